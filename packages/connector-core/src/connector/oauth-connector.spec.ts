import nock from 'nock';
import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { endpointPolicy } from '../oauth/endpoint-policy.js';
import { codeChallengeS256 } from '../oauth/randomness.js';
import {
  API_HOST,
  AUTH_HOST,
  CC_HOST,
  SECRET,
  authorize,
  ccDefinition,
  fixtureDefinition,
  harness,
  harnessFor,
  startFlow,
  tokenScope,
} from '../__fixtures__/fixture-provider.js';
import { startLocalServer } from '../__fixtures__/local-server.js';
import { manifestOf } from './oauth-connector.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll }, { allowHost: '127.0.0.1' });

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

describe('manifest and credentials', () => {
  it('declares what the connector is and can do', () => {
    const h = harness();
    expect(h.connector.manifest).toEqual({
      id: 'fixture',
      version: '1.0.0',
      displayName: { es: 'Fixture', en: 'Fixture' },
      description: { es: 'Proveedor de prueba', en: 'Test provider' },
      grant: 'authorization_code',
      issuerParameter: 'optional',
      origins: [
        'https://auth.fixture.test',
        'https://api.fixture.test',
        'https://other.fixture.test',
        'https://other-api.fixture.test',
      ],
      capabilities: {
        authorizationCode: true,
        pkce: true,
        refreshToken: true,
        clientCredentials: false,
        refreshTokenDeadline: false,
        regions: ['main', 'other'],
      },
      endpoints: fixtureDefinition.regions,
      clientAuthentication: {
        codeExchange: { method: 'client_secret_post', encoding: undefined },
        refresh: { method: 'client_secret_basic', encoding: 'rfc6749' },
      },
      expiry: fixtureDefinition.expiry,
      credentialSchema: fixtureDefinition.credentialSchema,
      clientFields: { id: 'clientId', secret: 'clientSecret' },
      validation: { method: 'GET', path: '/me' },
      sampleCredentials: fixtureDefinition.sampleCredentials,
    });
    expect(Object.isFrozen(h.connector.manifest)).toBe(true);
    expect(manifestOf(ccDefinition)).toMatchObject({
      grant: 'client_credentials',
      capabilities: {
        authorizationCode: false,
        pkce: false,
        refreshToken: true,
        clientCredentials: true,
        regions: ['main'],
      },
      clientAuthentication: {
        clientCredentials: { method: 'client_secret_basic', encoding: 'plain' },
        refresh: { method: 'client_secret_post', encoding: undefined },
      },
    });
    expect(
      manifestOf({ ...ccDefinition, grant: { ...ccDefinition.grant, refreshAuth: undefined } }).capabilities
        .refreshToken,
    ).toBe(false);
  });

  it('validateCredentials throws one error listing every bad field, and accepts the sample', () => {
    const h = harness();
    expect(() => h.connector.validateCredentials(fixtureDefinition.sampleCredentials)).not.toThrow();
    expect(() => h.connector.validateCredentials({ clientSecret: SECRET })).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidCredentials,
        connectorId: 'fixture',
        issues: [
          expect.objectContaining({ pointer: '/clientId' }),
          expect.objectContaining({ pointer: '/redirectUri' }),
        ],
      }),
    );
  });

  it('uses the region the credentials select, and per-connection endpoint overrides', async () => {
    const h = harness({}, { region: 'other' });
    expect(new URL((await h.connector.startAuthorization(h.connection)).url).origin).toBe(
      'https://other.fixture.test',
    );
    const sandbox = { endpoints: { authorization: 'https://sandbox.fixture.test/authorize' } };
    const refused = harness({}, sandbox);
    await expect(refused.connector.startAuthorization(refused.connection)).rejects.toMatchObject({
      code: ErrorCode.EndpointNotAllowed,
      origin: 'https://sandbox.fixture.test',
    });
    const o = harness({}, sandbox, {
      endpointPolicy: endpointPolicy({ allowedOrigins: ['https://sandbox.fixture.test'] }),
    });
    expect(new URL((await o.connector.startAuthorization(o.connection)).url).origin).toBe(
      'https://sandbox.fixture.test',
    );
  });
});

describe('validateConnection ("Validar conexión")', () => {
  it('is ok when a token is obtained and the probe answers 2xx', async () => {
    const h = harness();
    await authorize(h);
    const probe = nock(API_HOST).get('/v1/me').matchHeader('authorization', 'Bearer AT-1').reply(200, {});
    const verdict = await h.connector.validateConnection(h.connection);
    probe.done();
    expect(verdict).toMatchObject({
      outcome: 'ok',
      ok: true,
      probeStatus: 200,
      message: { es: 'Conexión válida.', en: 'Connection is valid.' },
      status: { state: 'active', hasRefreshToken: true },
    });
  });

  it('only obtains a token when the connector has no probe (client credentials)', async () => {
    const h = harnessFor({ ...ccDefinition, validation: undefined });
    const scope = nock(CC_HOST)
      .post('/oauth2/token')
      .reply(200, { access_token: 'CC', token_type: 'Bearer' });
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'ok',
      probeStatus: undefined,
    });
    scope.done();
  });

  it('says bad_credentials for a 403 probe (role not allowed)', async () => {
    const h = harness();
    await authorize(h);
    nock(API_HOST).get('/v1/me').reply(403);
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'bad_credentials',
      ok: false,
      probeStatus: 403,
    });
  });

  it('says provider_down when the probe keeps failing with 5xx (retried, bounded)', async () => {
    const h = harness();
    await authorize(h);
    const scope = nock(API_HOST).get('/v1/me').times(3).reply(503);
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'provider_down',
      errorCode: ErrorCode.ProviderUnavailable,
    });
    scope.done();
  });

  it('says reauthorize when the connection was never authorized, without calling', async () => {
    const h = harness();
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'reauthorize',
      errorCode: ErrorCode.ReauthorizationRequired,
      status: { state: 'not_authorized' },
    });
  });

  it('says bad_credentials for invalid settings, without calling', async () => {
    const h = harness({}, { redirectUri: 'not a url' });
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'bad_credentials',
      errorCode: ErrorCode.InvalidCredentials,
      status: { connectorId: 'fixture', connectionId: 'conn-1', state: 'not_authorized', warnings: [] },
    });
  });

  it('fails clearly once the client secret has expired, without calling', async () => {
    const h = harness({}, { clientSecretCreatedAt: '2025-05-01' });
    await authorize(h);
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'bad_credentials',
      errorCode: ErrorCode.ClientSecretExpired,
      message: {
        en: "The client secret expired on 2026-05-01: create a new one in the provider's portal and update the connection.",
      },
    });
  });

  it('says invalid_client is bad_credentials', async () => {
    const h = harnessFor(ccDefinition);
    nock(CC_HOST).post('/oauth2/token').reply(401, { error: 'invalid_client' });
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'bad_credentials',
      errorCode: ErrorCode.InvalidClient,
    });
  });

  it('surfaces ERR_ABORTED instead of a verdict', async () => {
    const h = harness();
    await authorize(h);
    await expect(
      h.connector.validateConnection(h.connection, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
    const server = await startLocalServer(() => undefined); // accepts the probe, never answers
    try {
      const local = harness(
        {},
        { endpoints: { apiBase: `${server.origin}/v1` } },
        { endpointPolicy: endpointPolicy({ development: true }) },
      );
      await authorize(local);
      const controller = new AbortController();
      const pending = local.connector.validateConnection(local.connection, { signal: controller.signal });
      while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      controller.abort();
      await expect(pending).rejects.toMatchObject({ code: ErrorCode.Aborted });
      expect(server.requests.map((r) => r.url)).toEqual(['/v1/me']);
    } finally {
      await server.close();
    }
  });

  it('reports a probe path outside the API base as a configuration problem', async () => {
    const h = harness({ validation: { method: 'GET', path: 'https://evil.test/me' } });
    await authorize(h);
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'misconfigured',
      errorCode: ErrorCode.ForeignOrigin,
      probeUrl: undefined,
    });
  });
});

describe('invalid_client with a client secret past its expiry date', () => {
  const rejectClient = () =>
    tokenScope().post('/token').reply(401, { error: 'invalid_client', error_description: 'bad client' });

  it('is reported as ERR_CLIENT_SECRET_EXPIRED naming the date and the secret field', async () => {
    // Fixture policy: 365 days from creation; the clock starts on 2026-06-01.
    const h = harness({}, { clientSecretCreatedAt: '2025-05-01' });
    const { callback } = await startFlow(h);
    rejectClient();
    const error: unknown = await h.connector
      .completeAuthorization(h.connection, callback)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.ClientSecretExpired,
      connectorId: 'fixture',
      connectionId: 'conn-1',
      issues: [
        {
          pointer: '/clientSecret',
          message: {
            es: 'venció el 2026-05-01: genere uno nuevo en el portal del proveedor y actualícelo aquí',
            en: "expired on 2026-05-01: create a new one in the provider's portal and update it here",
          },
        },
      ],
    });
    expect((error as Error).message).toBe(
      'The provider rejected the client and the client secret expired on 2026-05-01: create a new one and update the connection.',
    );
    expect((error as { cause?: { code?: string } }).cause?.code).toBe(ErrorCode.InvalidClient);
  });

  it('stays ERR_INVALID_CLIENT while the secret is within its lifetime', async () => {
    const h = harness({}, { clientSecretCreatedAt: '2025-06-02' });
    const { callback } = await startFlow(h);
    rejectClient();
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.InvalidClient,
    });
  });
});
