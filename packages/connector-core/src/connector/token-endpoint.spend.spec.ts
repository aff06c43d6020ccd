import nock from 'nock';
import { ErrorCode } from '../errors/codes.js';
import { ReauthorizationRequiredError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import type { TokenRequestLimiter } from '../http/token-limiter.js';
import { MemoryTokenRequestLimiter } from '../http/token-limiter.js';
import { MemoryTokenStore } from '../stores/memory-stores.js';
import { StoreFailureError } from '../stores/store-failure.js';
import type { Lease, LockOptions } from '../stores/token-store.js';
import {
  authorize,
  ccDefinition,
  harness,
  harnessFor,
  tokenBody,
  tokenScope,
} from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });

const KEY = 'fixture\u001fconn-1';

/** A memory store whose leases have `spendGrant`, recording each call among `events`. */
class SpendingStore extends MemoryTokenStore {
  readonly events: string[];
  spend: () => Promise<void> = () => Promise.resolve();

  constructor(events: string[]) {
    super();
    this.events = events;
  }

  override withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T> {
    return super.withLock(
      key,
      (lease) =>
        fn({
          signal: lease.signal,
          remainingMs: () => lease.remainingMs(),
          spendGrant: async () => {
            this.events.push('spend');
            await this.spend();
          },
        }),
      options,
    );
  }
}

/** A limiter recording when a slot is granted. */
function recordingLimiter(events: string[]): TokenRequestLimiter {
  const inner = new MemoryTokenRequestLimiter();
  return {
    acquire: async (origin, request) => {
      const slot = await inner.acquire(origin, request);
      events.push('slot');
      return slot;
    },
  };
}

function setup() {
  const events: string[] = [];
  const store = new SpendingStore(events);
  const h = harness({}, {}, { tokenStore: store, tokenLimiter: recordingLimiter(events) });
  return { h, store, events };
}

describe('Lease.spendGrant: the store hears of a refresh token just before it is sent', () => {
  it('is called once per refresh, after the slot wait and before the request', async () => {
    const { h, events } = setup();
    await authorize(h);
    events.length = 0;
    const scope = tokenScope()
      .post('/token', (body: Record<string, string>) => {
        events.push(`request ${body['refresh_token']}`);
        return true;
      })
      .reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    await expect(h.connector.getAccessToken(h.connection, { forceRefresh: true })).resolves.toMatchObject({
      accessToken: 'AT-2',
    });
    scope.done();
    expect(events).toEqual(['slot', 'spend', 'request RT-1']);
  });

  it('sends nothing when the store refuses the spend, and leaves the record as it was', async () => {
    const { h, store } = setup();
    await authorize(h);
    const before = await store.get(KEY);
    store.spend = () => Promise.reject(new StoreFailureError('lease_lapsed', 'test'));
    await expect(h.connector.getAccessToken(h.connection, { forceRefresh: true })).rejects.toMatchObject({
      code: ErrorCode.StoreFailure,
      reason: 'lease_lapsed',
    });
    expect(await store.get(KEY)).toEqual(before);
  });

  it('a spend refused as interrupted marks the connection reauthorization_required without a request', async () => {
    const { h, store } = setup();
    await authorize(h);
    store.spend = () =>
      Promise.reject(new ReauthorizationRequiredError('refresh_interrupted', text('es', 'en')));
    await expect(h.connector.getAccessToken(h.connection, { forceRefresh: true })).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'refresh_interrupted',
    });
    expect(await store.get(KEY)).toMatchObject({
      status: 'reauthorization_required',
      reauthorizationReason: 'refresh_interrupted',
      tokens: { refreshToken: 'RT-1' },
    });
    // Later calls fail fast from the stored state, with the reason in both languages.
    const later = await h.connector.getAccessToken(h.connection).catch((error: unknown) => error);
    expect(later).toMatchObject({ code: ErrorCode.ReauthorizationRequired, reason: 'refresh_interrupted' });
    expect((later as Error).message).toContain('not sent again');
  });

  it('is not called for a code exchange or a client credentials request (they spend no stored grant)', async () => {
    const { h, events } = setup();
    await authorize(h);
    expect(events).toEqual(['slot']);

    const ccEvents: string[] = [];
    const cc = harnessFor(ccDefinition, {}, { tokenStore: new SpendingStore(ccEvents) });
    const scope = nock('https://cc.fixture.test').post('/oauth2/token').reply(200, tokenBody());
    await cc.connector.getAccessToken(cc.connection);
    scope.done();
    expect(ccEvents).toEqual([]);
  });
});
