import nock from 'nock';
import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { codeChallengeS256 } from '../oauth/randomness.js';
import {
  API_HOST,
  AUTH_HOST,
  SECRET,
  assertNoPendingMocks,
  harness,
  startFlow,
  tokenScope,
} from '../__fixtures__/fixture-provider.js';

beforeAll(() => nock.disableNetConnect());
afterEach(() => assertNoPendingMocks());
afterAll(() => nock.enableNetConnect());

const tokenBody = (extra: Record<string, unknown> = {}) => ({
  access_token: 'AT-1',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'RT-1',
  ...extra,
});

describe('authorization code flow', () => {
  it('builds the URL, checks state, exchanges the code with PKCE and the same redirect URI', async () => {
    const h = harness();
    const { url, callback, state } = await startFlow(h);
    expect(url.origin + url.pathname).toBe(`${AUTH_HOST}/authorize`);
    expect(url.searchParams.get('client_id')).toBe('client-1');
    expect(url.searchParams.get('redirect_uri')).toBe('https://aic.test/callback');
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')).toBe('read write');
    expect(url.searchParams.get('state')).toBe(state);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('productId')).toBe('p-1');
    expect(url.href).not.toContain('code_verifier');

    let verifier = '';
    const scope = tokenScope()
      .post('/token', (body: Record<string, string>) => {
        verifier = body['code_verifier'] ?? '';
        return (
          body['grant_type'] === 'authorization_code' &&
          body['code'] === 'the-code' &&
          body['redirect_uri'] === 'https://aic.test/callback' &&
          body['client_id'] === 'client-1' &&
          body['client_secret'] === SECRET
        );
      })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .matchHeader('accept', 'application/json')
      .reply(200, tokenBody());
    const result = await h.connector.completeAuthorization(h.connection, callback);
    scope.done();
    expect(codeChallengeS256(verifier)).toBe(url.searchParams.get('code_challenge'));
    expect(result).toEqual({
      connectionId: 'conn-1',
      accessTokenExpiresAt: h.clock.now() + 3600_000,
      hasRefreshToken: true,
      reauthorizationRequiredAt: undefined,
      scope: undefined,
      warnings: [],
    });
    const token = await h.connector.getAccessToken(h.connection);
    expect(token).toEqual({ accessToken: 'AT-1', tokenType: 'Bearer', expiresAt: h.clock.now() + 3600_000 });
  });

  it('rejects a state mismatch before any token request, keeping the real pending authorization', async () => {
    const h = harness();
    const { state } = await startFlow(h);
    await expect(
      h.connector.completeAuthorization(h.connection, `https://aic.test/callback?code=c&state=forged`),
    ).rejects.toMatchObject({ code: ErrorCode.StateMismatch, httpStatus: 401 });
    tokenScope().post('/token').reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, { code: 'c', state });
  });

  it('refreshes with Basic after expiry minus margin, once for 100 concurrent callers', async () => {
    const h = harness();
    const { callback } = await startFlow(h);
    tokenScope().post('/token').reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, callback);
    h.clock.advance(3300_000 - 1);
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-1');
    h.clock.advance(1);
    const basic = `Basic ${Buffer.from('client%2D1:fixture%2Dsecret%2D%C3%9C%2D0123456789').toString('base64')}`;
    const scope = tokenScope()
      .post('/token', 'grant_type=refresh_token&refresh_token=RT-1')
      .matchHeader('authorization', basic)
      .reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () => h.connector.getAccessToken(h.connection)),
    );
    scope.done();
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['AT-2']));
    expect((await h.tokenStore.get('fixture\u001fconn-1'))?.tokens?.refreshToken).toBe('RT-2');
  });

  it('on an API 401 refreshes once and retries once; a second 401 needs reauthorization', async () => {
    const h = harness();
    const { callback } = await startFlow(h);
    tokenScope().post('/token').reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, callback);
    const api = nock(API_HOST)
      .get('/v1/things')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(401)
      .get('/v1/things')
      .matchHeader('authorization', 'Bearer AT-2')
      .reply(200, { ok: true });
    tokenScope()
      .post('/token')
      .reply(200, tokenBody({ access_token: 'AT-2' }));
    const response = await h.connector.request(h.connection, { method: 'GET', path: '/things' });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    api.done();

    nock(API_HOST).get('/v1/things').reply(401).get('/v1/things').reply(401);
    tokenScope()
      .post('/token')
      .reply(200, tokenBody({ access_token: 'AT-3' }));
    await expect(h.connector.request(h.connection, { method: 'GET', path: '/things' })).rejects.toMatchObject(
      {
        code: ErrorCode.ReauthorizationRequired,
        reason: 'api_401',
      },
    );
  });

  it('never shows secrets in connection or error output', async () => {
    const h = harness();
    const { callback } = await startFlow(h);
    tokenScope()
      .post('/token')
      .reply(400, { error: 'invalid_grant', error_description: `bad code the-code ${SECRET}` });
    const error: unknown = await h.connector
      .completeAuthorization(h.connection, callback)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.InvalidAuthorizationCode });
    for (const shown of [
      inspect(error),
      JSON.stringify(error),
      (error as Error).stack ?? '',
      ...h.logger.lines(),
    ]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain('the-code');
    }
  });
});
