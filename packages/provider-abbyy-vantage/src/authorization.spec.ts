import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  DAY_MS,
  ID_TOKEN,
  REDIRECT_URI,
  START,
  TENANT_ID,
  authorize,
  formPairs,
  guardNetwork,
  host,
  recordAndReply,
  recordKey,
  tokenResponse,
  vantageHarness,
  type RecordedRequest,
} from './__fixtures__/vantage-harness.js';
import { DEFAULT_PRODUCT_ID } from './credentials.js';

guardNetwork();

const sha256base64url = (value: string): string =>
  createHash('sha256').update(value, 'ascii').digest('base64url');

describe('authorization URL', () => {
  it.each(['us', 'eu', 'au'] as const)('has exactly ABBYY’s parameters on vantage-%s', async (region) => {
    const h = vantageHarness({ region });
    const start = await h.connector.startAuthorization(h.connection);
    const url = new URL(start.url);
    expect(`${url.origin}${url.pathname}`).toBe(
      `https://vantage-${region}.abbyy.com/auth2/connect/authorize`,
    );
    const params = Object.fromEntries(url.searchParams);
    expect(params).toEqual({
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      response_type: 'code',
      // OIDC Core §11: the authorization request decides on refresh tokens, with prompt=consent.
      scope: 'openid permissions global.wildcard offline_access',
      state: start.state,
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
      code_challenge_method: 'S256',
      productId: DEFAULT_PRODUCT_ID,
      prompt: 'consent',
    });
    expect([...url.searchParams.keys()]).toHaveLength(9);
    expect(start.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.expiresAt).toBe(START + 600_000);
  });

  it('uses the configured scope and productId (ABBYY says both may change)', async () => {
    const h = vantageHarness({ scope: 'openid permissions publicapi.all', productId: 'b1c2-next-product' });
    const url = new URL((await h.connector.startAuthorization(h.connection)).url);
    expect(url.searchParams.get('scope')).toBe('openid permissions publicapi.all offline_access');
    expect(url.searchParams.get('productId')).toBe('b1c2-next-product');
    expect(url.searchParams.get('prompt')).toBe('consent');
  });

  it('issues a fresh state and PKCE challenge for every authorization', async () => {
    const h = vantageHarness();
    const a = new URL((await h.connector.startAuthorization(h.connection)).url);
    const b = new URL((await h.connector.startAuthorization(h.connection)).url);
    expect(a.searchParams.get('state')).not.toBe(b.searchParams.get('state'));
    expect(a.searchParams.get('code_challenge')).not.toBe(b.searchParams.get('code_challenge'));
  });
});

describe('code exchange', () => {
  it('PKCE round trip: the challenge sent is BASE64URL(SHA-256(verifier)) of the verifier later sent', async () => {
    const h = vantageHarness();
    const { url, exchange } = await authorize(h);
    const verifier = new URLSearchParams(exchange.body).get('code_verifier') ?? '';
    expect(verifier).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    expect(url.searchParams.get('code_challenge')).toBe(sha256base64url(verifier));
    expect(url.href).not.toContain(verifier);
    expect(url.searchParams.has('code_verifier')).toBe(false);
  });

  it('posts exactly the documented form: verifier, code, redirect_uri, scope … offline_access, id and secret in the body', async () => {
    const h = vantageHarness();
    const { exchange, result } = await authorize(h);
    expect(exchange.method).toBe('POST');
    expect(exchange.url).toBe('https://vantage-eu.abbyy.com/auth2/connect/token');
    expect(exchange.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(exchange.headers.get('accept')).toBe('application/json');
    expect(exchange.headers.get('authorization')).toBeNull();
    const verifier = new URLSearchParams(exchange.body).get('code_verifier') ?? '';
    expect(formPairs(exchange.body)).toEqual([
      ['grant_type', 'authorization_code'],
      ['code', CODE],
      ['redirect_uri', REDIRECT_URI],
      ['code_verifier', verifier],
      ['scope', 'openid permissions global.wildcard offline_access'],
      ['client_id', CLIENT_ID],
      ['client_secret', CLIENT_SECRET],
    ]);
    expect(result).toEqual({
      connectionId: 'conn-1',
      accessTokenExpiresAt: START + DAY_MS,
      hasRefreshToken: true,
      reauthorizationRequiredAt: START + 30 * DAY_MS,
      scope: 'openid permissions global.wildcard offline_access',
      warnings: [],
    });
  });

  it('adds offline_access once, also to a configured scope that already has it', async () => {
    const h = vantageHarness({ scope: 'openid offline_access permissions' });
    const { url, exchange } = await authorize(h);
    expect(url.searchParams.get('scope')).toBe('openid offline_access permissions');
    expect(new URLSearchParams(exchange.body).get('scope')).toBe('openid offline_access permissions');
  });

  it('tolerates the id_token: stores and returns the access token only', async () => {
    const h = vantageHarness();
    await authorize(h);
    const token = await h.connector.getAccessToken(h.connection);
    expect(token).toEqual({ accessToken: 'AT-1', tokenType: 'Bearer', expiresAt: START + DAY_MS });
    const record = await h.tokenStore.get(recordKey);
    expect(record?.tokens).toEqual({
      accessToken: 'AT-1',
      tokenType: 'Bearer',
      issuedAt: START,
      expiresAt: START + DAY_MS,
      refreshToken: 'RT-1',
      scope: 'openid permissions global.wildcard offline_access',
    });
    expect(JSON.stringify(record)).not.toContain(ID_TOKEN.split('.')[1]);
  });

  it('exchanges on the tenant-scoped token endpoint when a tenant id is set; authorize stays regional', async () => {
    const h = vantageHarness({ region: 'au', tenantId: TENANT_ID });
    const { url, exchange } = await authorize(h, {
      tokenUrl: `${host('au')}/auth2/${TENANT_ID}/connect/token`,
    });
    expect(`${url.origin}${url.pathname}`).toBe('https://vantage-au.abbyy.com/auth2/connect/authorize');
    expect(exchange.url).toBe(`https://vantage-au.abbyy.com/auth2/${TENANT_ID}/connect/token`);
  });

  it('maps invalid_grant to ERR_INVALID_AUTHORIZATION_CODE, stores nothing, and consumes the state', async () => {
    const h = vantageHarness();
    const start = await h.connector.startAuthorization(h.connection);
    const sink: RecordedRequest[] = [];
    const scope = nock(host('eu'))
      .post('/auth2/connect/token')
      .reply(
        recordAndReply(sink, 400, { error: 'invalid_grant', error_description: `code ${CODE} expired` }),
      );
    const callback = `${REDIRECT_URI}?code=${CODE}&state=${start.state}`;
    const error: unknown = await h.connector
      .completeAuthorization(h.connection, callback)
      .catch((e: unknown) => e);
    scope.done();
    expect(error).toMatchObject({
      code: ErrorCode.InvalidAuthorizationCode,
      oauthError: 'invalid_grant',
      status: 400,
    });
    expect(inspect(error)).not.toContain(CODE);
    expect(await h.tokenStore.get(recordKey)).toBeUndefined();
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.StateMismatch,
    });
  });

  it('without a refresh token fails naming both causes (the client setting, the offline_access scope or consent) and stores nothing', async () => {
    const h = vantageHarness();
    const start = await h.connector.startAuthorization(h.connection);
    const scope = nock(host('eu'))
      .post('/auth2/connect/token')
      .reply(200, tokenResponse({ refresh_token: undefined }));
    const error: unknown = await h.connector
      .completeAuthorization(h.connection, { code: CODE, state: start.state })
      .catch((e: unknown) => e);
    scope.done();
    expect(error).toMatchObject({
      code: ErrorCode.Configuration,
      connectorId: 'abbyy-vantage',
      connectionId: 'conn-1',
      localized: {
        en: 'ABBYY Vantage issued no refresh token. Two possible causes: (1) the API client may not issue them: in Vantage open Tenant Administration → Public API Client → your client → “OAuth 2.0 Flows Settings” and turn on “Allow issuing refresh tokens”; (2) the offline_access scope was not granted: if you set “scope”, check that the client allows it (allowedScopes) and that the person accepted offline access on the consent screen. Then authorize the connection again.',
        es: 'ABBYY Vantage no emitió un token de actualización. Dos causas posibles: (1) el cliente de API no puede emitirlos: en Vantage abra Administración del inquilino → Public API Client → su cliente → «OAuth 2.0 Flows Settings» y active «Allow issuing refresh tokens»; (2) no se concedió el alcance offline_access: si configuró «scope», compruebe que el cliente lo permite (allowedScopes) y que la persona aceptó el acceso sin conexión en la pantalla de consentimiento. Luego autorice la conexión de nuevo.',
      },
    });
    expect(await h.tokenStore.get(recordKey)).toBeUndefined();
    expect((await h.connector.getStatus(h.connection)).state).toBe('not_authorized');
    // Nothing stored, so no token request is made later either: a clear error right away.
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'not_authorized',
    });
  });

  it('a re-authorization without a refresh token keeps the grant the connection already has', async () => {
    const h = vantageHarness();
    await authorize(h);
    const start = await h.connector.startAuthorization(h.connection);
    const scope = nock(host('eu'))
      .post('/auth2/connect/token')
      .reply(200, tokenResponse({ access_token: 'AT-NO-RT', refresh_token: undefined }));
    await expect(
      h.connector.completeAuthorization(h.connection, { code: CODE, state: start.state }),
    ).rejects.toMatchObject({ code: ErrorCode.Configuration });
    scope.done();
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-1');
    expect(await h.connector.getStatus(h.connection)).toMatchObject({
      state: 'active',
      hasRefreshToken: true,
      reauthorizationRequiredAt: START + 30 * DAY_MS,
    });
  });

  it('never shows the client secret, code, verifier or tokens in errors or logs', async () => {
    const h = vantageHarness();
    const { exchange } = await authorize(h);
    const verifier = new URLSearchParams(exchange.body).get('code_verifier') ?? '';
    h.clock.advance(DAY_MS);
    const scope = nock(host('eu'))
      .post('/auth2/connect/token')
      .reply(400, { error: 'invalid_client', error_description: `bad secret ${CLIENT_SECRET} for RT-1` });
    const error: unknown = await h.connector.getAccessToken(h.connection).catch((e: unknown) => e);
    scope.done();
    expect(error).toMatchObject({ code: ErrorCode.InvalidClient });
    const shown = [
      inspect(error),
      JSON.stringify(error),
      (error as Error).stack ?? '',
      inspect(await h.connector.getStatus(h.connection)),
      ...h.logger.lines(),
    ].join('\n');
    for (const secret of [CLIENT_SECRET, CODE, verifier, 'AT-1', 'RT-1', ID_TOKEN]) {
      expect(shown).not.toContain(secret);
    }
  });
});
