import nock from 'nock';
import { ErrorCode, basicAuthorization } from '@aic/connector-core';
import {
  CODE,
  ORIGIN,
  START,
  TOKEN_PATH,
  authorizedHarness,
  exchangeScope,
  guardNetwork,
  hpHarness,
  hpToken,
  refreshBody,
  refreshScope,
  startAuthorization,
  withStoredGrant,
} from './__fixtures__/hp-harness.js';

guardNetwork();

/** Refresh margin of the definition: 5 minutes before expiry. */
const MARGIN_MS = 300_000;

describe('expiry: expires_in is milliseconds', () => {
  it('logs a warning when a token would live under a minute (HP switching expires_in to seconds)', async () => {
    const h = hpHarness();
    const { callback } = await startAuthorization(h);
    const scope = exchangeScope('us', CODE, hpToken('AT-1', 'RT-1', { expires_in: 1800 }));
    await h.connector.completeAuthorization(h.connection, callback);
    scope.done();
    expect((await h.connector.getAccessToken(h.connection)).expiresAt).toBe(START + 1800);
    expect(h.logger.entries.filter((entry) => entry.level === 'warn')).toEqual([
      {
        level: 'warn',
        message: 'access token lives less than a minute; check the unit of expires_in',
        fields: {
          connectorId: 'hp-techpulse',
          connectionId: 'conn-us',
          lifetimeMs: 1800,
          expiresInUnit: 'milliseconds',
        },
      },
    ]);
  });

  it("logs no such warning for HP's usual 1799999", async () => {
    const h = await authorizedHarness();
    expect(h.logger.entries.filter((entry) => entry.level === 'warn')).toEqual([]);
  });

  it('reads 1799999 as 1 799 999 ms and refreshes exactly at expiry minus 5 minutes', async () => {
    const h = await authorizedHarness();
    const expiresAt = START + 1_799_999;
    h.clock.set(expiresAt - MARGIN_MS - 1);
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-1');

    h.clock.advance(1);
    const refresh = refreshScope('us', 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    const token = await h.connector.getAccessToken(h.connection);
    refresh.done();
    expect(token).toEqual({
      accessToken: 'AT-2',
      tokenType: 'Bearer',
      expiresAt: expiresAt - MARGIN_MS + 1_799_999,
    });
  });

  it.each([
    ['a lifetime above 30 minutes (a day in ms) is capped', 86_400_000, 1_800_000],
    ['a missing expires_in means HP’s documented 30 minutes', undefined, 1_800_000],
    ['a shorter lifetime is kept', 600_000, 600_000],
  ])('%s', async (_title, expiresIn, lifetime) => {
    const h = hpHarness();
    const { callback } = await startAuthorization(h);
    exchangeScope('us', CODE, hpToken('AT-1', 'RT-1', { expires_in: expiresIn }));
    const result = await h.connector.completeAuthorization(h.connection, callback);
    expect(result.accessTokenExpiresAt).toBe(START + lifetime);
  });
});

describe('refresh', () => {
  it('POSTs to the region token endpoint with plain Basic auth and exactly grant_type, refresh_token, redirect_uri', async () => {
    const h = await authorizedHarness('eu');
    // Exact body string: no client_id or client_secret in the body (one method per request).
    const refresh = refreshScope('eu', 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    expect((await h.connector.getAccessToken(h.connection, { forceRefresh: true })).accessToken).toBe('AT-2');
    refresh.done();
  });

  it('keeps the rotated refresh token, and the previous one when HP returns none', async () => {
    const h = await authorizedHarness();
    refreshScope('us', 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    await h.connector.getAccessToken(h.connection, { forceRefresh: true });
    expect((await h.tokenStore.get(h.key))?.tokens?.refreshToken).toBe('RT-2');

    refreshScope('us', 'RT-2', 200, hpToken('AT-3', undefined));
    expect((await h.connector.getAccessToken(h.connection, { forceRefresh: true })).accessToken).toBe('AT-3');
    expect((await h.tokenStore.get(h.key))?.tokens?.refreshToken).toBe('RT-2');

    const third = refreshScope('us', 'RT-2', 200, hpToken('AT-4', 'RT-4'));
    await h.connector.getAccessToken(h.connection, { forceRefresh: true });
    third.done();
  });

  it('refreshes once for many concurrent callers', async () => {
    const h = await authorizedHarness();
    h.clock.advance(1_799_999);
    const refresh = refreshScope('us', 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    const tokens = await Promise.all(
      Array.from({ length: 25 }, () => h.connector.getAccessToken(h.connection)),
    );
    refresh.done();
    expect(new Set(tokens.map((t) => t.accessToken))).toEqual(new Set(['AT-2']));
  });

  it('encodes Basic as plain UTF-8 base64(key:secret), as HP documents, even for non-alphanumerics', async () => {
    const h = hpHarness('us', { clientId: 'key-1.x', clientSecret: 'sec+ret/=ñ:€' });
    // `printf '%s' 'key-1.x:sec+ret/=ñ:€' | base64` (RFC 6749 form-encoding would differ).
    const plain = 'Basic a2V5LTEueDpzZWMrcmV0Lz3DsTrigqw=';
    expect(basicAuthorization({ clientId: 'key-1.x', clientSecret: 'sec+ret/=ñ:€' }, 'rfc6749')).not.toBe(
      plain,
    );
    await withStoredGrant(h);
    const refresh = nock(ORIGIN.us)
      .post(TOKEN_PATH, refreshBody('RT-9'))
      .matchHeader('authorization', plain)
      .reply(200, hpToken('AT-2', 'RT-2'));
    await h.connector.getAccessToken(h.connection);
    refresh.done();
  });

  it('marks the connection for reauthorization when HP rejects the refresh token', async () => {
    const h = await authorizedHarness();
    refreshScope('us', 'RT-1', 400, { error: 'invalid_grant' });
    await expect(h.connector.getAccessToken(h.connection, { forceRefresh: true })).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'invalid_grant',
    });
    const status = await h.connector.getStatus(h.connection);
    expect(status.state).toBe('reauthorization_required');
    // No further token request while the connection waits for a person.
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
    });
  });
});

describe('refresh token imported from the old manual (Postman) procedure', () => {
  it('is used while nothing is stored, then replaced by the rotated one', async () => {
    const h = hpHarness('us', { refreshToken: 'RT-POSTMAN' });
    const first = refreshScope('us', 'RT-POSTMAN', 200, hpToken('AT-1', 'RT-2'));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-1');
    first.done();
    const second = refreshScope('us', 'RT-2', 200, hpToken('AT-3', 'RT-3'));
    await h.connector.getAccessToken(h.connection, { forceRefresh: true });
    second.done();
  });

  it('without one, an unauthorized connection needs an authorization and makes no request', async () => {
    const h = hpHarness();
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'not_authorized',
    });
  });
});
