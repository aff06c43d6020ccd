import nock from 'nock';
import { inspect } from 'node:util';
import { ErrorCode, StateMismatchError } from '@aic/connector-core';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  ORIGIN,
  REDIRECT_FORM,
  START,
  TOKEN_PATH,
  exchangeScope,
  guardNetwork,
  hpHarness,
  hpToken,
  startAuthorization,
  type Region,
} from './__fixtures__/hp-harness.js';

guardNetwork();

describe.each<Region>(['us', 'eu'])('authorization request (%s)', (region) => {
  it("points at the region's authorize endpoint with exactly client_id, redirect_uri, response_type=code, scope=Read, state", async () => {
    const h = hpHarness(region);
    const start = await h.connector.startAuthorization(h.connection);
    expect(start.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(start.url).toBe(
      `${ORIGIN[region]}/oauth/v1/authorize?client_id=${CLIENT_ID}&redirect_uri=${REDIRECT_FORM}` +
        `&response_type=code&scope=Read&state=${start.state}`,
    );
    expect(start.expiresAt).toBe(START + 600_000);
  });
});

describe('callback', () => {
  it('rejects a state mismatch with HTTP 401 semantics before any token request', async () => {
    const h = hpHarness();
    const { state } = await startAuthorization(h);
    const token = nock(ORIGIN.us).post(TOKEN_PATH).reply(200, hpToken('AT-1', 'RT-1'));
    const error: unknown = await h.connector
      .completeAuthorization(h.connection, `https://aic.example.com/oauth/callback?code=c&state=forged`)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StateMismatchError);
    expect(error).toMatchObject({ code: ErrorCode.StateMismatch, httpStatus: 401 });
    expect(token.isDone()).toBe(false);
    // The real pending authorization survives the forged callback.
    await h.connector.completeAuthorization(h.connection, { code: 'c', state });
    token.done();
  });

  it('refuses a replayed callback: state is single-use', async () => {
    const h = hpHarness();
    const { callback } = await startAuthorization(h);
    exchangeScope('us', CODE, hpToken('AT-1', 'RT-1'));
    await h.connector.completeAuthorization(h.connection, callback);
    await expect(h.connector.completeAuthorization(h.connection, callback)).rejects.toMatchObject({
      code: ErrorCode.StateMismatch,
    });
  });

  it('turns error=access_denied into ERR_AUTHORIZATION_DENIED without a token request', async () => {
    const h = hpHarness();
    const { state } = await startAuthorization(h);
    await expect(
      h.connector.completeAuthorization(h.connection, { error: 'access_denied', state }),
    ).rejects.toMatchObject({ code: ErrorCode.AuthorizationDenied, oauthError: 'access_denied' });
  });
});

describe('code exchange', () => {
  it.each<Region>(['us', 'eu'])(
    'POSTs the exact form to the %s token endpoint, client credentials in the body, and stores the grant',
    async (region) => {
      const h = hpHarness(region);
      const { callback } = await startAuthorization(h);
      const scope = exchangeScope(region, CODE, hpToken('AT-1', 'RT-1'));
      const result = await h.connector.completeAuthorization(h.connection, callback);
      scope.done();
      expect(result).toEqual({
        connectionId: `conn-${region}`,
        accessTokenExpiresAt: START + 1_799_999,
        hasRefreshToken: true,
        reauthorizationRequiredAt: undefined,
        scope: 'Read',
        warnings: [],
      });
      expect(await h.connector.getAccessToken(h.connection)).toEqual({
        accessToken: 'AT-1',
        tokenType: 'Bearer',
        expiresAt: START + 1_799_999,
      });
    },
  );

  it('reports an expired authorization code (invalid_grant) as ERR_INVALID_AUTHORIZATION_CODE', async () => {
    const h = hpHarness();
    const { callback } = await startAuthorization(h);
    nock(ORIGIN.us)
      .post(TOKEN_PATH)
      .reply(400, { error: 'invalid_grant', error_description: `code cF5faYzL expired ${CLIENT_SECRET}` });
    const error: unknown = await h.connector
      .completeAuthorization(h.connection, callback)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.InvalidAuthorizationCode });
    for (const shown of [inspect(error), JSON.stringify(error), (error as Error).stack ?? '']) {
      expect(shown).not.toContain(CLIENT_SECRET);
      expect(shown).not.toContain(CODE);
    }
    expect((await h.connector.getStatus(h.connection)).state).toBe('not_authorized');
  });

  it('keeps a 30-minute token and warns when HP sends no refresh_token', async () => {
    const h = hpHarness();
    const { callback } = await startAuthorization(h);
    exchangeScope('us', CODE, hpToken('AT-1', undefined));
    const result = await h.connector.completeAuthorization(h.connection, callback);
    expect(result.hasRefreshToken).toBe(false);
    expect(result.warnings.map((w) => w.code)).toEqual(['no_refresh_token']);
  });

  it('never shows the client secret or tokens in logs', async () => {
    const h = hpHarness();
    const { callback } = await startAuthorization(h);
    exchangeScope('us', CODE, hpToken('AT-1', 'RT-1'));
    await h.connector.completeAuthorization(h.connection, callback);
    expect(h.logger.entries.length).toBeGreaterThan(0);
    for (const line of h.logger.lines()) {
      for (const secret of [CLIENT_SECRET, 'AT-1', 'RT-1', CODE]) expect(line).not.toContain(secret);
    }
  });
});
