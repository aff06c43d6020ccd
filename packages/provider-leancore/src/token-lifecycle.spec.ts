import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  PLAIN_BASIC,
  expectClientCredentials,
  expectTokenRequest,
  guardNetwork,
  leanCoreHarness,
  tokenBody,
} from './__fixtures__/leancore-harness.js';

guardNetwork();

const HOUR = 3600_000;
/** expires_in 3600 s minus the 60 s refresh margin. */
const REFRESH_DUE = HOUR - 60_000;

const refreshRequest = (refreshToken: string) => ({
  body: `grant_type=refresh_token&refresh_token=${refreshToken}`,
  authorization: PLAIN_BASIC,
});

/** Records the body of every request a scope answers, in order. */
function recordBodies(scopes: nock.Scope[]): string[] {
  const bodies: string[] = [];
  for (const scope of scopes) {
    scope.on('request', (_request: unknown, _interceptor: unknown, body: string) => bodies.push(body));
  }
  return bodies;
}

describe('LeanCore token lifecycle', () => {
  it('serves the cached token until expiry minus 60 s, then re-issues once for 50 concurrent callers', async () => {
    const h = leanCoreHarness();
    const connection = h.connection();
    const first = expectClientCredentials(200, tokenBody('AT-1'));
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-1');
    first.done();

    h.clock.advance(REFRESH_DUE - 1);
    // No interceptor is scripted: any token request here would fail the call.
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-1');

    h.clock.advance(1);
    const second = expectClientCredentials(200, tokenBody('AT-2'));
    const tokens = await Promise.all(
      Array.from({ length: 50 }, () => h.connector.getAccessToken(connection)),
    );
    second.done();
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['AT-2']));
    expect(tokens[0]?.expiresAt).toBe(h.clock.now() + HOUR);
  });

  it('assumes 3600 s when expires_in is absent', async () => {
    const h = leanCoreHarness();
    const scope = expectClientCredentials(200, { access_token: 'AT-1', token_type: 'bearer' });
    const token = await h.connector.getAccessToken(h.connection());
    scope.done();
    expect(token).toEqual({ accessToken: 'AT-1', tokenType: 'Bearer', expiresAt: h.clock.now() + HOUR });
  });

  it('re-issues on forceRefresh even while the cached token is fresh', async () => {
    const h = leanCoreHarness();
    const connection = h.connection();
    const scope = expectClientCredentials(200, tokenBody('AT-1'));
    expectClientCredentials(200, tokenBody('AT-2'));
    await h.connector.getAccessToken(connection);
    expect((await h.connector.getAccessToken(connection, { forceRefresh: true })).accessToken).toBe('AT-2');
    scope.done();
  });

  it('treats a missing refresh token as normal: active, no warning, renewed by client credentials', async () => {
    const h = leanCoreHarness();
    const connection = h.connection();
    const scope = expectClientCredentials(200, tokenBody('AT-1'));
    await h.connector.getAccessToken(connection);
    scope.done();
    const status = await h.connector.getStatus(connection);
    expect(status).toMatchObject({ state: 'active', hasRefreshToken: false, warnings: [] });

    h.clock.advance(REFRESH_DUE);
    const renewal = expectClientCredentials(200, tokenBody('AT-2'));
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-2');
    renewal.done();
  });

  it('uses a refresh token when one comes (Basic, kept or rotated), then falls back to client credentials on invalid_grant', async () => {
    const h = leanCoreHarness();
    const connection = h.connection();
    const issued = expectClientCredentials(200, tokenBody('AT-1', { refresh_token: 'RT-1' }));
    await h.connector.getAccessToken(connection);
    issued.done();
    expect(await h.connector.getStatus(connection)).toMatchObject({ hasRefreshToken: true, warnings: [] });

    // Renewal 1: refresh grant; the answer carries no refresh_token, so RT-1 is kept.
    h.clock.advance(REFRESH_DUE);
    const refreshed = expectTokenRequest(refreshRequest('RT-1'), 200, tokenBody('AT-2'));
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-2');
    refreshed.done();
    expect((await h.tokenStore.get(h.key()))?.tokens?.refreshToken).toBe('RT-1');

    // Renewal 2: refresh with RT-1 again; this time a rotated RT-2 comes back and is stored.
    h.clock.advance(REFRESH_DUE);
    const rotated = expectTokenRequest(
      refreshRequest('RT-1'),
      200,
      tokenBody('AT-3', { refresh_token: 'RT-2' }),
    );
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-3');
    rotated.done();
    expect((await h.tokenStore.get(h.key()))?.tokens?.refreshToken).toBe('RT-2');

    // Renewal 3: RT-2 is rejected (e.g. past LeanCore's 7 days): exactly two calls, in order.
    h.clock.advance(REFRESH_DUE);
    const rejected = expectTokenRequest(refreshRequest('RT-2'), 400, {
      error: 'invalid_grant',
      error_description: 'Refresh token expired',
    });
    const fallback = expectClientCredentials(200, tokenBody('AT-4'));
    const bodies = recordBodies([rejected, fallback]);
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-4');
    rejected.done();
    fallback.done();
    expect(bodies).toEqual(['grant_type=refresh_token&refresh_token=RT-2', 'grant_type=client_credentials']);

    // The rejected refresh token is gone: the next renewal goes straight to client credentials.
    expect(await h.connector.getStatus(connection)).toMatchObject({
      state: 'active',
      hasRefreshToken: false,
      warnings: [],
    });
    h.clock.advance(REFRESH_DUE);
    const direct = expectClientCredentials(200, tokenBody('AT-5'));
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-5');
    direct.done();
  });

  it('falls back to client credentials when the refresh answer is not an OAuth response at all', async () => {
    const h = leanCoreHarness();
    const connection = h.connection();
    expectClientCredentials(200, tokenBody('AT-1', { refresh_token: 'RT-1' }));
    await h.connector.getAccessToken(connection);

    h.clock.advance(REFRESH_DUE);
    const broken = expectTokenRequest(refreshRequest('RT-1'), 404, '<html>Not Found</html>', {
      'content-type': 'text/html',
    });
    const fallback = expectClientCredentials(200, tokenBody('AT-2'));
    const bodies = recordBodies([broken, fallback]);
    expect((await h.connector.getAccessToken(connection)).accessToken).toBe('AT-2');
    expect(bodies).toEqual(['grant_type=refresh_token&refresh_token=RT-1', 'grant_type=client_credentials']);
  });

  it('does not mask LeanCore being down: a refresh failing with 503 is not followed by client credentials', async () => {
    const h = leanCoreHarness();
    const connection = h.connection();
    expectClientCredentials(200, tokenBody('AT-1', { refresh_token: 'RT-1' }));
    await h.connector.getAccessToken(connection);

    h.clock.advance(REFRESH_DUE);
    const down = nock('https://auth.leancore.co')
      .post('/oauth2/token', 'grant_type=refresh_token&refresh_token=RT-1')
      .times(4)
      .reply(503);
    await expect(h.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.ProviderUnavailable,
      status: 503,
    });
    down.done();
    expect((await h.tokenStore.get(h.key()))?.tokens?.refreshToken).toBe('RT-1');
  });

  it('keeps connections apart: one token request per connection, each with its own credentials', async () => {
    const h = leanCoreHarness();
    const a = expectClientCredentials(200, tokenBody('AT-a'));
    // username-b:password-b
    const b = expectTokenRequest(
      { body: 'grant_type=client_credentials', authorization: 'Basic dXNlcm5hbWUtYjpwYXNzd29yZC1i' },
      200,
      tokenBody('AT-b'),
    );
    const [tokenA, tokenB] = await Promise.all([
      h.connector.getAccessToken(h.connection({}, 'conn-a')),
      h.connector.getAccessToken(h.connection({ username: 'username-b', password: 'password-b' }, 'conn-b')),
    ]);
    a.done();
    b.done();
    expect([tokenA.accessToken, tokenB.accessToken]).toEqual(['AT-a', 'AT-b']);
  });
});
