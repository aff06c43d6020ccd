import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  DAY_MS,
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
  type VantageHarness,
} from './__fixtures__/vantage-harness.js';

guardNetwork();

const DEADLINE = START + 30 * DAY_MS;
const MARGIN_MS = 300_000;
const TOKEN_PATH = '/auth2/connect/token';

/** Scripts one refresh on the EU token endpoint, recording it. */
function scriptRefresh(sink: RecordedRequest[], response: Record<string, unknown>, path = TOKEN_PATH) {
  return nock(host('eu'))
    .post(path)
    .reply(recordAndReply(sink, 200, response));
}

/**
 * A token endpoint interceptor that must stay unused: proof that no token request was made.
 * (With net connect disabled, an unscripted request would fail loudly as well.)
 */
function tokenTrap(): nock.Scope {
  return nock(host('eu'))
    .post(TOKEN_PATH)
    .reply(200, tokenResponse({ access_token: 'AT-TRAP' }));
}

function expectUnused(trap: nock.Scope): void {
  expect(trap.isDone()).toBe(false);
  expect(trap.pendingMocks()).toEqual([`POST ${host('eu')}:443${TOKEN_PATH}`]);
  nock.cleanAll();
}

const warningCodes = async (h: VantageHarness): Promise<string[]> =>
  (await h.connector.getStatus(h.connection)).warnings.map((w) => w.code);

describe('refresh', () => {
  it('keeps the 24 h access token until 5 min before expiry, then refreshes with id and secret in the body', async () => {
    const h = vantageHarness();
    await authorize(h);
    const trap = tokenTrap();
    h.clock.set(START + DAY_MS - MARGIN_MS - 1);
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-1');
    expectUnused(trap);

    h.clock.set(START + DAY_MS - MARGIN_MS);
    const sink: RecordedRequest[] = [];
    const scope = scriptRefresh(sink, tokenResponse({ access_token: 'AT-2', refresh_token: undefined }));
    expect(await h.connector.getAccessToken(h.connection)).toEqual({
      accessToken: 'AT-2',
      tokenType: 'Bearer',
      expiresAt: START + 2 * DAY_MS - MARGIN_MS,
    });
    scope.done();
    const [refresh] = sink;
    expect(refresh?.url).toBe('https://vantage-eu.abbyy.com/auth2/connect/token');
    expect(refresh?.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
    expect(refresh?.headers.get('authorization')).toBeNull();
    expect(formPairs(refresh?.body ?? '')).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'RT-1'],
      ['client_id', CLIENT_ID],
      ['client_secret', CLIENT_SECRET],
    ]);
    // No refresh_token in the answer: the one we hold stays.
    expect((await h.tokenStore.get(recordKey))?.tokens?.refreshToken).toBe('RT-1');
  });

  it('refreshes on the tenant-scoped token endpoint when a tenant id is set', async () => {
    const h = vantageHarness({ tenantId: TENANT_ID });
    const tenantPath = `/auth2/${TENANT_ID}/connect/token`;
    await authorize(h, { tokenUrl: `${host('eu')}${tenantPath}` });
    h.clock.advance(DAY_MS);
    const sink: RecordedRequest[] = [];
    const scope = scriptRefresh(sink, tokenResponse({ access_token: 'AT-2' }), tenantPath);
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    scope.done();
    expect(sink[0]?.url).toBe(`https://vantage-eu.abbyy.com${tenantPath}`);
  });

  it('assumes 24 h when the response has no expires_in', async () => {
    const h = vantageHarness();
    const { result } = await authorize(h, { response: tokenResponse({ expires_in: undefined }) });
    expect(result.accessTokenExpiresAt).toBe(START + DAY_MS);
  });

  it('treats invalid_grant on refresh as reauthorization required, and stops calling the token endpoint', async () => {
    const h = vantageHarness();
    await authorize(h);
    h.clock.advance(DAY_MS);
    const scope = nock(host('eu')).post(TOKEN_PATH).reply(400, { error: 'invalid_grant' });
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'invalid_grant',
    });
    scope.done();
    const trap = tokenTrap();
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'invalid_grant',
    });
    expectUnused(trap);
    expect(await h.connector.getStatus(h.connection)).toMatchObject({
      state: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
    });
  });
});

describe('30-day refresh token deadline (ManualClock)', () => {
  it('refreshes at day 29 without extending the deadline, even when the refresh token rotates', async () => {
    const h = vantageHarness();
    const { result } = await authorize(h);
    expect(result.reauthorizationRequiredAt).toBe(DEADLINE);

    h.clock.set(START + 29 * DAY_MS);
    const sink: RecordedRequest[] = [];
    const first = scriptRefresh(sink, tokenResponse({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    first.done();
    expect(new URLSearchParams(sink[0]?.body).get('refresh_token')).toBe('RT-1');

    const record = await h.tokenStore.get(recordKey);
    expect(record?.tokens?.refreshToken).toBe('RT-2');
    expect(record?.refreshTokenDeadline).toBe(DEADLINE);
    expect(record?.authorizedAt).toBe(START);
    expect((await h.connector.getStatus(h.connection)).reauthorizationRequiredAt).toBe(DEADLINE);

    // The rotated token is the one used next; the deadline still does not move.
    h.clock.set(START + 29.5 * DAY_MS);
    const second = scriptRefresh(sink, tokenResponse({ access_token: 'AT-3', refresh_token: 'RT-3' }));
    await h.connector.getAccessToken(h.connection, { forceRefresh: true });
    second.done();
    expect(new URLSearchParams(sink[1]?.body).get('refresh_token')).toBe('RT-2');
    expect((await h.connector.getStatus(h.connection)).reauthorizationRequiredAt).toBe(DEADLINE);
  });

  it('warns reauthorization_soon from 3 days before the deadline, not earlier', async () => {
    const h = vantageHarness();
    await authorize(h);
    h.clock.set(DEADLINE - 3 * DAY_MS - 1);
    expect(await warningCodes(h)).toEqual([]);
    h.clock.set(DEADLINE - 3 * DAY_MS);
    const status = await h.connector.getStatus(h.connection);
    expect(status.warnings).toEqual([
      {
        code: 'reauthorization_soon',
        at: DEADLINE,
        message: {
          es: 'La conexión deberá autorizarse de nuevo antes del 2026-04-01T09:00:00.000Z (el token de actualización no se puede extender).',
          en: 'The connection must be authorized again before 2026-04-01T09:00:00.000Z (the refresh token cannot be extended).',
        },
      },
    ]);
    expect(status.state).toBe('active');
  });

  it('refreshes 1 ms before the deadline; once the last access token is due, requires reauthorization without a token request', async () => {
    const h = vantageHarness();
    await authorize(h);

    h.clock.set(DEADLINE - 1);
    const sink: RecordedRequest[] = [];
    const lastRefresh = scriptRefresh(sink, tokenResponse({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    lastRefresh.done();

    // Past the deadline the access token already issued is still valid and still served.
    h.clock.set(DEADLINE + DAY_MS / 2);
    let trap = tokenTrap();
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    expect(await warningCodes(h)).toEqual(['reauthorization_required']);
    expectUnused(trap);

    // When it is due, nothing can renew it: a clear error, and the token endpoint is not called.
    h.clock.set(DEADLINE - 1 + DAY_MS - MARGIN_MS);
    trap = tokenTrap();
    const error: unknown = await h.connector.getAccessToken(h.connection).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'refresh_token_expired',
      connectorId: 'abbyy-vantage',
      connectionId: 'conn-1',
      localized: {
        es: 'Se requiere autorizar de nuevo: el token de actualización alcanzó su vida máxima y no se puede extender.',
        en: 'Reauthorization required: the refresh token reached its maximum lifetime and cannot be extended.',
      },
    });
    await expect(h.connector.getAccessToken(h.connection, { forceRefresh: true })).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'refresh_token_expired',
    });
    expectUnused(trap);
    expect(await h.connector.getStatus(h.connection)).toMatchObject({
      state: 'reauthorization_required',
      reauthorizationReason: 'refresh_token_expired',
      reauthorizationRequiredAt: DEADLINE,
      hasRefreshToken: true,
    });
  });

  it('a new authorization after the deadline starts a new 30-day window', async () => {
    const h = vantageHarness();
    await authorize(h);
    h.clock.set(DEADLINE + DAY_MS);
    const trap = tokenTrap();
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      reason: 'refresh_token_expired',
    });
    expectUnused(trap);

    const { result } = await authorize(h, { response: tokenResponse({ access_token: 'AT-NEW' }) });
    expect(result.reauthorizationRequiredAt).toBe(DEADLINE + DAY_MS + 30 * DAY_MS);
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-NEW');
    expect(await h.connector.getStatus(h.connection)).toMatchObject({
      state: 'active',
      reauthorizationReason: undefined,
      reauthorizationRequiredAt: DEADLINE + 31 * DAY_MS,
    });
  });
});
