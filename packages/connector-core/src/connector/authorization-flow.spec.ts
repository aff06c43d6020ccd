import nock from 'nock';
import { ErrorCode } from '../errors/codes.js';
import { text } from '../errors/localized.js';
import { endpointPolicy } from '../oauth/endpoint-policy.js';
import { codeChallengeS256 } from '../oauth/randomness.js';
import {
  AUTH_HOST,
  SECRET,
  ccDefinition,
  fixtureDefinition,
  harness,
  harnessFor,
  startFlow,
  tokenBody,
  tokenScope,
} from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });

const exchangeBody = (code: string, verifier: string, redirectUri = 'https://aic.test/callback'): string =>
  new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: verifier,
    client_id: 'client-1',
    client_secret: SECRET,
  }).toString();

describe('completeAuthorization: the callback is checked before any token request', () => {
  it('exchanges the code with exactly the body RFC 6749 §4.1.3 + RFC 7636 §4.5 ask for', async () => {
    const h = harness();
    const { callback, url } = await startFlow(h, 'c/ode+1');
    let body = '';
    const scope = nock(AUTH_HOST, { badheaders: ['authorization'] })
      .post('/token', (b: unknown) => {
        body = new URLSearchParams(b as Record<string, string>).toString();
        return true;
      })
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .matchHeader('accept', 'application/json')
      .reply(200, tokenBody());
    await h.connector.completeAuthorization(
      h.connection,
      callback.replace('c/ode+1', encodeURIComponent('c/ode+1')),
    );
    scope.done();
    const verifier = new URLSearchParams(body).get('code_verifier') ?? '';
    expect(body).toBe(exchangeBody('c/ode+1', verifier));
    expect(codeChallengeS256(verifier)).toBe(url.searchParams.get('code_challenge'));
  });

  it('uses exactly the redirect URI of the authorization request, even if the settings changed since', async () => {
    const h = harness({}, { redirectUri: 'https://aic.test/callback?tenant=a' });
    const { callback } = await startFlow(h);
    const changed = {
      id: 'conn-1',
      credentials: { ...h.connection.credentials, redirectUri: 'https://aic.test/other' },
    };
    const scope = tokenScope()
      .post(
        '/token',
        (b: Record<string, string>) => b['redirect_uri'] === 'https://aic.test/callback?tenant=a',
      )
      .reply(200, tokenBody());
    await h.connector.completeAuthorization(changed, callback);
    scope.done();
  });

  it('omits code_verifier when the provider does not use PKCE', async () => {
    const h = harness({ grant: { ...fixtureDefinition.grant, pkce: 'none' } });
    const { url, callback } = await startFlow(h);
    expect(url.searchParams.has('code_challenge')).toBe(false);
    const scope = tokenScope()
      .post('/token', (b: Record<string, string>) => !('code_verifier' in b))
      .reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, callback);
    scope.done();
  });

  it('expires a pending authorization after 10 minutes by default (ERR_STATE_EXPIRED), consuming it', async () => {
    const h = harness();
    const start = await h.connector.startAuthorization(h.connection);
    expect(start.expiresAt).toBe(h.clock.now() + 600_000);
    h.clock.advance(600_000);
    await expect(
      h.connector.completeAuthorization(h.connection, { code: 'c', state: start.state }),
    ).rejects.toMatchObject({ code: ErrorCode.StateExpired, httpStatus: 401, connectionId: 'conn-1' });
    await expect(
      h.connector.completeAuthorization(h.connection, { code: 'c', state: start.state }),
    ).rejects.toMatchObject({ code: ErrorCode.StateMismatch });
  });

  it('accepts a callback one millisecond before expiry, and honours a configured wait', async () => {
    const h = harness({ grant: { ...fixtureDefinition.grant, pendingTtlSeconds: 60 } });
    const start = await h.connector.startAuthorization(h.connection);
    expect(start.expiresAt).toBe(h.clock.now() + 60_000);
    h.clock.advance(59_999);
    const scope = tokenScope().post('/token').reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, { code: 'c', state: start.state });
    scope.done();
  });

  it('refuses a replayed state after success, with no second token request', async () => {
    const h = harness();
    const { callback } = await startFlow(h);
    const scope = tokenScope().post('/token').reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, callback);
    scope.done();
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.StateMismatch,
      localized: {
        es: 'El parámetro «state» no corresponde a ninguna autorización pendiente de esta conexión (posible CSRF, o ya se usó): inicie la autorización de nuevo.',
        en: 'The “state” parameter matches no pending authorization of this connection (possible CSRF, or already used): start the authorization again.',
      },
    });
  });

  it('refuses a state issued for another connection', async () => {
    const h = harness();
    const { state } = await startFlow(h);
    const other = { id: 'conn-2', credentials: h.connection.credentials };
    await expect(h.connector.completeAuthorization(other, { code: 'c', state })).rejects.toMatchObject({
      code: ErrorCode.StateMismatch,
      connectionId: 'conn-2',
    });
  });

  it.each([
    ['a duplicated code', (s: string) => `https://aic.test/callback?code=a&code=b&state=${s}`],
    ['a duplicated state', (s: string) => `https://aic.test/callback?code=a&state=${s}&state=${s}`],
    ['no code', (s: string) => `https://aic.test/callback?state=${s}`],
    ['no state', () => 'https://aic.test/callback?code=a'],
  ])('refuses %s (ERR_INVALID_CALLBACK) and keeps the pending authorization', async (_, callbackFor) => {
    const h = harness();
    const { state, callback } = await startFlow(h);
    await expect(h.connector.completeAuthorization(h.connection, callbackFor(state))).rejects.toMatchObject({
      code: ErrorCode.InvalidCallback,
      httpStatus: 400,
    });
    const scope = tokenScope().post('/token').reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, callback);
    scope.done();
  });

  it('turns error=access_denied into ERR_AUTHORIZATION_DENIED, consumes the pending authorization, calls nothing', async () => {
    const h = harness();
    const { state } = await startFlow(h);
    await expect(
      h.connector.completeAuthorization(
        h.connection,
        `https://aic.test/callback?error=access_denied&error_description=Denied+by+user&state=${state}`,
      ),
    ).rejects.toMatchObject({
      code: ErrorCode.AuthorizationDenied,
      oauthError: 'access_denied',
      connectionId: 'conn-1',
      message: 'The user or the provider denied the authorization (access_denied): Denied by user.',
    });
    await expect(h.connector.completeAuthorization(h.connection, { code: 'c', state })).rejects.toMatchObject(
      {
        code: ErrorCode.StateMismatch,
      },
    );
    // An error callback that answers no pending authorization of ours (no state, a forged one)
    // is a state mismatch: its provider text is never shown.
    for (const forged of [
      { error: 'access_denied', error_description: 'Call +1-555-ATTACKER' },
      { error: 'access_denied', error_description: 'Call +1-555-ATTACKER', state: 'forged-state' },
    ]) {
      const refusal = await h.connector.completeAuthorization(h.connection, forged).catch((e: unknown) => e);
      expect(refusal).toMatchObject({ code: ErrorCode.StateMismatch });
      expect(JSON.stringify(refusal)).not.toContain('ATTACKER');
    }
  });

  it('maps an expired code (invalid_grant) to ERR_INVALID_AUTHORIZATION_CODE: one request, no retry, pending consumed', async () => {
    const h = harness();
    const { callback } = await startFlow(h);
    const scope = tokenScope()
      .post('/token')
      .reply(400, { error: 'invalid_grant', error_description: 'Authorization code expired' });
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.InvalidAuthorizationCode,
      status: 400,
    });
    scope.done();
    expect(h.clock.sleeps).toEqual([]);
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.StateMismatch,
    });
    expect((await h.connector.getStatus(h.connection)).state).toBe('not_authorized');
  });

  it('puts the pending authorization back after a transient failure, so the same callback can be retried', async () => {
    const h = harness();
    const { callback } = await startFlow(h);
    const down = tokenScope().post('/token').times(3).reply(503, 'Service Unavailable');
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.ProviderUnavailable,
      status: 503,
    });
    down.done();
    expect(h.clock.sleeps).toEqual([50, 100]);
    const up = tokenScope().post('/token').reply(200, tokenBody());
    await expect(h.connector.completeAuthorization(h.connection, callback)).resolves.toMatchObject({
      hasRefreshToken: true,
    });
    up.done();
  });

  it('honours an aborted signal before anything happens, keeping the pending authorization', async () => {
    const h = harness();
    await expect(
      h.connector.startAuthorization(h.connection, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
    const { callback } = await startFlow(h);
    await expect(
      h.connector.completeAuthorization(h.connection, callback, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: ErrorCode.Aborted });
    const scope = tokenScope().post('/token').reply(200, tokenBody());
    await h.connector.completeAuthorization(h.connection, callback);
    scope.done();
  });

  it('fails with ERR_CONFIGURATION (nothing stored) when a refresh token is required and none comes', async () => {
    const h = harness({ grant: { ...fixtureDefinition.grant, missingRefreshToken: 'error' } });
    const { callback } = await startFlow(h);
    tokenScope()
      .post('/token')
      .reply(200, tokenBody({ refresh_token: undefined }));
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.Configuration,
      message:
        'The provider issued no refresh token: enable refresh tokens on the API client (and the offline_access scope) and authorize again.',
    });
    expect((await h.connector.getStatus(h.connection)).state).toBe('not_authorized');

    const hint = text('Active «Allow issuing refresh tokens».', 'Enable "Allow issuing refresh tokens".');
    const hinted = harness({
      grant: { ...fixtureDefinition.grant, missingRefreshToken: 'error', missingRefreshTokenHint: hint },
    });
    const flow = await startFlow(hinted);
    tokenScope()
      .post('/token')
      .reply(200, tokenBody({ refresh_token: undefined }));
    await expect(
      hinted.connector.completeAuthorization(hinted.connection, flow.callback),
    ).rejects.toMatchObject({
      code: ErrorCode.Configuration,
      localized: hint,
    });
  });

  it('stores an access token without refresh token when told to warn, and says so', async () => {
    const h = harness();
    const { callback } = await startFlow(h);
    tokenScope()
      .post('/token')
      .reply(200, tokenBody({ refresh_token: undefined, scope: 'read' }));
    const result = await h.connector.completeAuthorization(h.connection, callback);
    expect(result).toMatchObject({ hasRefreshToken: false, scope: 'read' });
    expect(result.warnings.map((w) => w.code)).toEqual(['no_refresh_token']);
  });

  it('reports when the refresh token will stop working (absolute lifetime)', async () => {
    const h = harness({
      expiry: {
        ...fixtureDefinition.expiry,
        refreshTokenMaxAgeSeconds: 30 * 86_400,
        refreshTokenAgeFrom: 'authorization',
      },
    });
    const { callback } = await startFlow(h);
    tokenScope().post('/token').reply(200, tokenBody());
    const result = await h.connector.completeAuthorization(h.connection, callback);
    expect(result.reauthorizationRequiredAt).toBe(h.clock.now() + 30 * 86_400_000);
    expect(h.connector.manifest.capabilities.refreshTokenDeadline).toBe(true);
  });
});

describe('startAuthorization', () => {
  it('refuses provider configuration that tries to set a reserved parameter', async () => {
    const h = harness({
      grant: {
        ...fixtureDefinition.grant,
        authorizationParams: () => ({ redirect_uri: 'https://evil.test' }),
      },
    });
    await expect(h.connector.startAuthorization(h.connection)).rejects.toMatchObject({
      code: ErrorCode.Configuration,
    });
  });

  it('refuses an http endpoint from the credentials before any call; loopback only in development mode', async () => {
    const h = harness({}, { endpoints: { authorization: 'http://auth.fixture.test/authorize' } });
    await expect(h.connector.startAuthorization(h.connection)).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
      issues: [expect.objectContaining({ pointer: '/endpoints/authorization' })],
    });
    const loopback = { endpoints: { authorization: 'http://127.0.0.1:8080/authorize' } };
    await expect(
      harness({}, loopback).connector.startAuthorization(harness({}, loopback).connection),
    ).rejects.toMatchObject({
      code: ErrorCode.EndpointNotAllowed,
      endpoint: 'authorization',
      origin: 'http://127.0.0.1:8080',
    });
    const local = harness({}, loopback, { endpointPolicy: endpointPolicy({ development: true }) });
    const start = await local.connector.startAuthorization(local.connection);
    expect(new URL(start.url).origin).toBe('http://127.0.0.1:8080');
  });

  it('refuses an http endpoint in a provider definition (ERR_INSECURE_ENDPOINT)', async () => {
    const h = harness({
      regions: {
        main: { ...fixtureDefinition.regions.main, authorization: 'http://auth.fixture.test/authorize' },
      },
    });
    await expect(h.connector.startAuthorization(h.connection)).rejects.toMatchObject({
      code: ErrorCode.InsecureEndpoint,
    });
  });

  it('needs an authorization endpoint', async () => {
    const h = harness({
      regions: { main: { token: `${AUTH_HOST}/token`, apiBase: 'https://api.fixture.test' } },
    });
    await expect(h.connector.startAuthorization(h.connection)).rejects.toMatchObject({
      code: ErrorCode.Configuration,
      message: 'The connection has no authorization endpoint or redirect URI.',
    });
  });

  it('is unsupported on client credentials connectors (ERR_UNSUPPORTED)', async () => {
    const h = harnessFor(ccDefinition);
    await expect(h.connector.startAuthorization(h.connection)).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
    await expect(
      h.connector.completeAuthorization(h.connection, { code: 'c', state: 's' }),
    ).rejects.toMatchObject({
      code: ErrorCode.Unsupported,
    });
  });
});

describe('completeAuthorization: the issuer of the callback (RFC 9207)', () => {
  const ISSUER = 'https://auth.fixture.test';
  const withIssuer = () =>
    harness({
      regions: { ...fixtureDefinition.regions, main: { ...fixtureDefinition.regions.main, issuer: ISSUER } },
      grant: { ...fixtureDefinition.grant, issuerParameter: 'required' },
    });

  it('refuses a mix-up callback before any token request and keeps the pending authorization for the real one', async () => {
    const h = withIssuer();
    expect(h.connector.manifest.issuerParameter).toBe('required');
    const { state } = await startFlow(h);
    for (const forged of [
      { code: 'attacker-code', state, iss: 'https://attacker.test' },
      { code: 'attacker-code', state },
      {
        error: 'access_denied',
        error_description: 'go to attacker.test',
        state,
        iss: 'https://attacker.test',
      },
    ]) {
      await expect(h.connector.completeAuthorization(h.connection, forged)).rejects.toMatchObject({
        code: ErrorCode.IssuerMismatch,
      });
    }
    const scope = tokenScope()
      .post('/token', /code=the-real-code/)
      .reply(200, tokenBody());
    await expect(
      h.connector.completeAuthorization(h.connection, { code: 'the-real-code', state, iss: ISSUER }),
    ).resolves.toMatchObject({ connectionId: 'conn-1', hasRefreshToken: true });
    scope.done();
  });
});
