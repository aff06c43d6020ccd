import { ErrorCode } from '../errors/codes.js';
import { RESERVED_AUTHORIZATION_PARAMS, buildAuthorizationRequest } from './authorization-request.js';
import { codeChallengeS256, isValidCodeVerifier } from './randomness.js';

const input = {
  authorizationEndpoint: 'https://auth.example.com/oauth/authorize',
  clientId: 'client 1',
  redirectUri: 'https://aic.test/callback?tenant=a',
  scope: 'read write',
  pkce: true,
};

describe('buildAuthorizationRequest (RFC 6749 §4.1.1, RFC 7636 §4.3)', () => {
  it('sets exactly the engine parameters, the PKCE challenge and the provider extras', () => {
    const request = buildAuthorizationRequest({
      ...input,
      extraParams: { productId: 'p-1', prompt: 'consent' },
    });
    expect(request.url.origin + request.url.pathname).toBe('https://auth.example.com/oauth/authorize');
    expect([...request.url.searchParams.keys()]).toEqual([
      'client_id',
      'redirect_uri',
      'response_type',
      'scope',
      'state',
      'code_challenge',
      'code_challenge_method',
      'productId',
      'prompt',
    ]);
    const params = Object.fromEntries(request.url.searchParams);
    expect(params).toEqual({
      client_id: 'client 1',
      redirect_uri: 'https://aic.test/callback?tenant=a',
      response_type: 'code',
      scope: 'read write',
      state: request.state,
      code_challenge: codeChallengeS256(request.codeVerifier ?? ''),
      code_challenge_method: 'S256',
      productId: 'p-1',
      prompt: 'consent',
    });
    expect(isValidCodeVerifier(request.codeVerifier ?? '')).toBe(true);
    expect(request.url.href).not.toContain(request.codeVerifier);
    expect(request.redirectUri).toBe('https://aic.test/callback?tenant=a');
  });

  it('omits PKCE and an empty scope when not asked for, and keeps the endpoint query', () => {
    const request = buildAuthorizationRequest({
      ...input,
      authorizationEndpoint: 'https://auth.example.com/authorize?audience=api&state=preset',
      scope: '',
      pkce: false,
    });
    expect(request.codeVerifier).toBeUndefined();
    expect(Object.fromEntries(request.url.searchParams)).toEqual({
      audience: 'api',
      state: request.state,
      client_id: 'client 1',
      redirect_uri: 'https://aic.test/callback?tenant=a',
      response_type: 'code',
    });
  });

  it('uses a fresh state and verifier per request', () => {
    const a = buildAuthorizationRequest(input);
    const b = buildAuthorizationRequest(input);
    expect(a.state).not.toBe(b.state);
    expect(a.codeVerifier).not.toBe(b.codeVerifier);
  });

  it('lists the reserved parameters', () => {
    expect([...RESERVED_AUTHORIZATION_PARAMS].sort()).toEqual(
      [
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'redirect_uri',
        'response_type',
        'state',
      ].sort(),
    );
  });

  it.each([
    ...RESERVED_AUTHORIZATION_PARAMS,
    'scope',
    'client_secret',
    'code_verifier',
    'refresh_token',
    'access_token',
    'password',
  ])('refuses configuration that sets %s', (name) => {
    expect(() =>
      buildAuthorizationRequest({
        ...input,
        extraParams: { [name]: 'attacker' },
        context: { connectorId: 'acme', connectionId: 'c-1' },
      }),
    ).toThrow(
      expect.objectContaining({
        code: ErrorCode.Configuration,
        connectorId: 'acme',
        localized: {
          es: `El parámetro «${name}» de la autorización lo fija el conector y no se puede configurar.`,
          en: `The authorization parameter “${name}” is set by the connector and cannot be configured.`,
        },
      }),
    );
  });

  it.each([
    ['authorizationEndpoint', 'http://auth.example.com/authorize', 'authorization'],
    ['redirectUri', 'http://aic.example/callback', 'redirect_uri'],
  ])('refuses a plain-http %s', (key, url, name) => {
    expect(() => buildAuthorizationRequest({ ...input, [key]: url })).toThrow(
      expect.objectContaining({
        code: ErrorCode.InsecureEndpoint,
        message: expect.stringContaining(`“${name}”`),
      }),
    );
  });

  it('accepts plain http on loopback (RFC 8252 §7.3)', () => {
    const request = buildAuthorizationRequest({
      ...input,
      authorizationEndpoint: 'http://127.0.0.1:9000/authorize',
      redirectUri: 'http://localhost:8080/callback',
    });
    expect(request.url.host).toBe('127.0.0.1:9000');
  });
});
