import nock from 'nock';
import { ErrorCode } from '../errors/codes.js';
import type { ConnectionRecord } from '../stores/connection-record.js';
import { MemoryTokenStore } from '../stores/memory-stores.js';
import type { WriteOptions } from '../stores/token-store.js';
import {
  SECRET,
  authorize,
  fixtureDefinition,
  harness,
  tokenBody,
  tokenScope,
} from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });

const KEY = 'fixture\u001fconn-1';
/** Basic header of the fixture client in rfc6749 mode: `client%2D1:fixture%2Dsecret%2D%C3%9C%2D0123456789`. */
const BASIC = `Basic ${Buffer.from('client%2D1:fixture%2Dsecret%2D%C3%9C%2D0123456789').toString('base64')}`;

const refreshScope = (refreshToken = 'RT-1') =>
  tokenScope()
    .post('/token', `grant_type=refresh_token&refresh_token=${refreshToken}`)
    .matchHeader('authorization', BASIC)
    .matchHeader('content-type', 'application/x-www-form-urlencoded');

/** A token store that records the order of writes against the moment tokens are handed out. */
class RecordingStore extends MemoryTokenStore {
  readonly events: string[] = [];
  failNextSet = false;
  override async set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    if (this.failNextSet) {
      this.failNextSet = false;
      throw new Error('disk full');
    }
    this.events.push(`set ${record.tokens?.accessToken ?? '-'} ${record.tokens?.refreshToken ?? '-'}`);
    await super.set(key, record, options);
  }
}

describe('token lifecycle: expiry and refresh', () => {
  it('serves the cached token until expiry minus margin, then refreshes with Basic (rfc6749 encoding, non-Latin-1 secret)', async () => {
    expect(SECRET).toContain('Ü');
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000 - 1);
    expect(await h.connector.getAccessToken(h.connection)).toEqual({
      accessToken: 'AT-1',
      tokenType: 'Bearer',
      expiresAt: h.clock.now() + 300_001,
    });
    h.clock.advance(1);
    const scope = refreshScope().reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    scope.done();
  });

  it('sends redirect_uri on refresh when the provider wants it', async () => {
    const h = harness({ grant: { ...fixtureDefinition.grant, redirectUriOnRefresh: true } });
    await authorize(h);
    const scope = tokenScope()
      .post(
        '/token',
        'grant_type=refresh_token&refresh_token=RT-1&redirect_uri=https%3A%2F%2Faic.test%2Fcallback',
      )
      .matchHeader('authorization', BASIC)
      .reply(200, tokenBody({ access_token: 'AT-2' }));
    await h.connector.getAccessToken(h.connection, { forceRefresh: true });
    scope.done();
  });

  it('persists a rotated refresh token before handing out the new access token', async () => {
    const store = new RecordingStore();
    const h = harness({}, {}, { tokenStore: store });
    await authorize(h);
    h.clock.advance(3_300_000);
    refreshScope().reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    const token = await h.connector.getAccessToken(h.connection).then((t) => {
      store.events.push(`handed out ${t.accessToken}`);
      return t;
    });
    expect(token.accessToken).toBe('AT-2');
    expect(store.events).toEqual(['set AT-1 RT-1', 'set AT-2 RT-2', 'handed out AT-2']);
  });

  it('hands out nothing when the rotated refresh token cannot be persisted, and saves it on the next call without a token request', async () => {
    const store = new RecordingStore();
    const h = harness({}, {}, { tokenStore: store });
    await authorize(h);
    h.clock.advance(3_300_000);
    store.failNextSet = true;
    const first = refreshScope().reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    await expect(h.connector.getAccessToken(h.connection)).rejects.toThrow('disk full');
    first.done();
    expect((await store.get(KEY))?.tokens?.refreshToken).toBe('RT-1');
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    expect((await store.get(KEY))?.tokens?.refreshToken).toBe('RT-2');
  });

  it('a new authorization supersedes a rotated grant whose save failed', async () => {
    const store = new RecordingStore();
    const h = harness({}, {}, { tokenStore: store });
    await authorize(h);
    h.clock.advance(3_300_000);
    store.failNextSet = true;
    refreshScope().reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    await expect(h.connector.getAccessToken(h.connection)).rejects.toThrow('disk full');
    await authorize(h);
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-1');
    expect((await store.get(KEY))?.tokens?.refreshToken).toBe('RT-1');
  });

  it('keeps the previous refresh token when the refresh response has none', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000);
    refreshScope().reply(200, tokenBody({ access_token: 'AT-2', refresh_token: undefined }));
    await h.connector.getAccessToken(h.connection);
    expect((await h.tokenStore.get(KEY))?.tokens).toMatchObject({
      accessToken: 'AT-2',
      refreshToken: 'RT-1',
    });
    h.clock.advance(3_300_000);
    const scope = refreshScope('RT-1').reply(200, tokenBody({ access_token: 'AT-3' }));
    await h.connector.getAccessToken(h.connection);
    scope.done();
  });

  it('forceRefresh refreshes a fresh token', async () => {
    const h = harness();
    await authorize(h);
    const scope = refreshScope().reply(200, tokenBody({ access_token: 'AT-2' }));
    expect((await h.connector.getAccessToken(h.connection, { forceRefresh: true })).accessToken).toBe('AT-2');
    scope.done();
  });

  it('uses a refresh token imported from the credentials while nothing is stored', async () => {
    const h = harness({}, { refreshToken: 'RT-IMPORTED' });
    const scope = refreshScope('RT-IMPORTED').reply(
      200,
      tokenBody({ access_token: 'AT-9', refresh_token: 'RT-10' }),
    );
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-9');
    scope.done();
    expect((await h.tokenStore.get(KEY))?.tokens?.refreshToken).toBe('RT-10');
  });
});

describe('token lifecycle: reauthorization required', () => {
  it('says not_authorized (no call) before any authorization', async () => {
    const h = harness();
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'not_authorized',
      message: 'Reauthorization required: the connection has not been authorized yet.',
    });
  });

  it('says no_refresh_token when the access token expired and there is nothing to refresh with', async () => {
    const h = harness();
    await authorize(h, tokenBody({ refresh_token: undefined }));
    h.clock.advance(3_300_000);
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'no_refresh_token',
    });
  });

  it('persists reauthorization_required on invalid_grant and never calls the provider again for it', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000);
    const scope = refreshScope().reply(400, { error: 'invalid_grant', error_description: 'Token revoked' });
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'invalid_grant',
      message:
        'The provider rejected the refresh token (invalid_grant): Token revoked. Authorize the connection again.',
    });
    scope.done();
    expect(await h.tokenStore.get(KEY)).toMatchObject({
      status: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
    });
    for (let i = 0; i < 3; i++) {
      await expect(h.connector.getAccessToken(h.connection, { forceRefresh: true })).rejects.toMatchObject({
        code: ErrorCode.ReauthorizationRequired,
        reason: 'invalid_grant',
      });
    }
    await expect(h.connector.request(h.connection, { method: 'GET', path: '/x' })).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
    });
    expect(await h.connector.getStatus(h.connection)).toMatchObject({
      state: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
    });
    // A new authorization clears the state.
    await authorize(h, tokenBody({ access_token: 'AT-new', refresh_token: 'RT-new' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-new');
    expect((await h.connector.getStatus(h.connection)).state).toBe('active');
  });

  it('stops at the refresh token deadline (absolute lifetime from the authorization) without calling', async () => {
    const h = harness({
      expiry: {
        ...fixtureDefinition.expiry,
        refreshTokenMaxAgeSeconds: 86_400,
        refreshTokenAgeFrom: 'authorization',
      },
    });
    await authorize(h);
    h.clock.advance(43_200_000);
    const scope = refreshScope().reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    await h.connector.getAccessToken(h.connection);
    scope.done();
    expect((await h.tokenStore.get(KEY))?.refreshTokenDeadline).toBe(h.clock.now() - 43_200_000 + 86_400_000);
    h.clock.advance(43_200_000);
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'refresh_token_expired',
      message:
        'Reauthorization required: the refresh token reached its maximum lifetime and cannot be extended.',
    });
    expect((await h.tokenStore.get(KEY))?.status).toBe('reauthorization_required');
  });

  it('moves the deadline with each rotated refresh token when the age counts from issue', async () => {
    const h = harness({
      expiry: {
        ...fixtureDefinition.expiry,
        refreshTokenMaxAgeSeconds: 86_400,
        refreshTokenAgeFrom: 'issue',
      },
    });
    await authorize(h);
    h.clock.advance(43_200_000);
    refreshScope().reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    await h.connector.getAccessToken(h.connection);
    expect((await h.tokenStore.get(KEY))?.refreshTokenDeadline).toBe(h.clock.now() + 86_400_000);
  });
});

describe('token lifecycle: transient failures', () => {
  it('retries 5xx with jittered backoff and succeeds', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000);
    const scope = refreshScope()
      .reply(500)
      .post('/token')
      .reply(502)
      .post('/token')
      .reply(200, tokenBody({ access_token: 'AT-2' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    scope.done();
    expect(h.clock.sleeps).toEqual([50, 100]);
    expect(h.logger.entries.filter((e) => e.level === 'warn').map((e) => e.fields?.['status'])).toEqual([
      500, 502,
    ]);
  });

  it('honours Retry-After on 429 (seconds and HTTP-date)', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000);
    const scope = refreshScope()
      .reply(429, '', { 'Retry-After': '1' })
      .post('/token')
      .reply(() => [429, '', { 'Retry-After': new Date(h.clock.now() + 1000).toUTCString() }])
      .post('/token')
      .reply(200, tokenBody({ access_token: 'AT-2' }));
    await h.connector.getAccessToken(h.connection);
    scope.done();
    expect(h.clock.sleeps).toEqual([1000, 1000]);
  });

  it('gives ERR_RATE_LIMITED with retryAfterMs when the 429 budget runs out, and stays authorized', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000);
    const scope = refreshScope().times(3).reply(429, '', { 'Retry-After': '1' });
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.RateLimited,
      retryAfterMs: 1000,
    });
    scope.done();
    expect((await h.connector.getStatus(h.connection)).state).toBe('active');
  });

  it('retries connection resets and gives ERR_PROVIDER_UNAVAILABLE when they persist', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000);
    const reset = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const scope = refreshScope()
      .replyWithError(reset())
      .post('/token')
      .replyWithError(reset())
      .post('/token')
      .replyWithError(reset());
    const error: unknown = await h.connector.getAccessToken(h.connection).catch((e: unknown) => e);
    scope.done();
    expect(error).toMatchObject({
      code: ErrorCode.ProviderUnavailable,
      message: 'The provider did not respond after 3 attempts.',
      cause: expect.objectContaining({ message: 'Could not reach auth.fixture.test (ECONNRESET).' }),
    });
    expect(h.clock.sleeps).toEqual([50, 100]);
    const up = refreshScope().reply(200, tokenBody({ access_token: 'AT-2' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    up.done();
  });
});

describe('token lifecycle: single flight and cancellation', () => {
  it('100 concurrent callers on an expired token make exactly one token request', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_600_000);
    let requests = 0;
    const scope = refreshScope().reply(() => {
      requests++;
      return [200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' })];
    });
    const tokens = await Promise.all(
      Array.from({ length: 100 }, () => h.connector.getAccessToken(h.connection)),
    );
    scope.done();
    expect(requests).toBe(1);
    expect(tokens.every((t) => t.accessToken === 'AT-2')).toBe(true);
  });

  it('an aborted caller stops waiting with ERR_ABORTED while the shared refresh completes for others', async () => {
    const h = harness();
    await authorize(h);
    h.clock.advance(3_300_000);
    const scope = refreshScope()
      .delay(50)
      .reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    const controller = new AbortController();
    const leaving = h.connector.getAccessToken(h.connection, { signal: controller.signal });
    const staying = h.connector.getAccessToken(h.connection);
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: ErrorCode.Aborted, connectionId: 'conn-1' });
    expect((await staying).accessToken).toBe('AT-2');
    scope.done();
    expect((await h.tokenStore.get(KEY))?.tokens?.refreshToken).toBe('RT-2');
  });

  it('an already aborted signal makes no call, even with a cached token', async () => {
    const h = harness();
    await authorize(h);
    await expect(
      h.connector.getAccessToken(h.connection, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
  });

  it('disconnect forgets the tokens', async () => {
    const h = harness();
    await authorize(h);
    await h.connector.disconnect(h.connection);
    expect(await h.tokenStore.get(KEY)).toBeUndefined();
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      reason: 'not_authorized',
    });
  });
});
