import nock from 'nock';
import { ErrorCode } from '../errors/codes.js';
import { endpointPolicy } from '../oauth/endpoint-policy.js';
import { timedLease } from '../stores/lease.js';
import { MemoryTokenStore } from '../stores/memory-stores.js';
import type { Lease, LockOptions } from '../stores/token-store.js';
import {
  CC_HOST,
  authorize,
  ccDefinition,
  harness,
  harnessFor,
  tokenBody,
  tokenScope,
  type Harness,
} from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });

const KEY = 'fixture\u001fconn-1';
const EXPIRED_MS = 3_300_000;

/**
 * A store whose lock excludes nobody: what two processes see when one holder's lease lapsed (a
 * stall, a failover) while it was still refreshing. Only fencing keeps the record right.
 */
class LapsedLockStore extends MemoryTokenStore {
  override withLock<T>(_key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T> {
    return timedLease(options?.ttlMs, fn);
  }
}

/** Two connector instances ("processes") over one store, both past the access token's expiry. */
async function twoProcesses(store: MemoryTokenStore): Promise<[Harness, Harness]> {
  const first = harness({}, {}, { tokenStore: store });
  const second = harness({}, {}, { tokenStore: store });
  await authorize(first);
  first.clock.advance(EXPIRED_MS);
  second.clock.advance(EXPIRED_MS);
  return [first, second];
}

describe('fenced writes: a holder whose lease lapsed never overwrites a newer record', () => {
  it('the stale holder keeps the newer record (and hands out its token), never its own', async () => {
    const store = new LapsedLockStore();
    const [stale, fresh] = await twoProcesses(store);
    const slow = tokenScope()
      .post('/token', /refresh_token=RT-1/)
      .delay(150)
      .reply(200, tokenBody({ access_token: 'AT-stale', refresh_token: 'RT-stale' }));
    const quick = tokenScope()
      .post('/token', /refresh_token=RT-1/)
      .reply(200, tokenBody({ access_token: 'AT-fresh', refresh_token: 'RT-fresh' }));
    const staleCall = stale.connector.getAccessToken(stale.connection);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect((await fresh.connector.getAccessToken(fresh.connection)).accessToken).toBe('AT-fresh');
    expect((await staleCall).accessToken).toBe('AT-fresh');
    slow.done();
    quick.done();
    const record = await store.get(KEY);
    expect(record?.tokens).toMatchObject({ accessToken: 'AT-fresh', refreshToken: 'RT-fresh' });
    expect(record?.version).toBe(2);
    expect(stale.logger.entries.map((e) => e.message)).toContain(
      'the refresh lock lapsed and another holder wrote first; keeping its record',
    );
  });

  it('a stale holder told invalid_grant never marks a newer grant as needing reauthorization', async () => {
    const store = new LapsedLockStore();
    const [stale, fresh] = await twoProcesses(store);
    const slow = tokenScope()
      .post('/token', /refresh_token=RT-1/)
      .delay(150)
      .reply(400, { error: 'invalid_grant', error_description: 'refresh token reused' });
    const quick = tokenScope()
      .post('/token', /refresh_token=RT-1/)
      .reply(200, tokenBody({ access_token: 'AT-fresh', refresh_token: 'RT-fresh' }));
    const staleCall = stale.connector.getAccessToken(stale.connection);
    await new Promise((resolve) => setTimeout(resolve, 30));
    await fresh.connector.getAccessToken(fresh.connection);
    expect((await staleCall).accessToken).toBe('AT-fresh');
    slow.done();
    quick.done();
    expect(await store.get(KEY)).toMatchObject({ status: 'active', tokens: { refreshToken: 'RT-fresh' } });
  });
});

describe('lock waiters re-read instead of taking the lock', () => {
  it('the second process waits for the first, then uses its token: one token request, one lease', async () => {
    let leases = 0;
    class CountingStore extends MemoryTokenStore {
      override withLock<T>(
        key: string,
        fn: (lease: Lease) => Promise<T>,
        options?: LockOptions<T>,
      ): Promise<T> {
        return super.withLock(key, (lease) => ((leases += 1), fn(lease)), options);
      }
    }
    const [first, second] = await twoProcesses(new CountingStore());
    leases = 0;
    const scope = tokenScope()
      .post('/token', /refresh_token=RT-1/)
      .delay(50)
      .reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    const tokens = await Promise.all([
      first.connector.getAccessToken(first.connection),
      second.connector.getAccessToken(second.connection),
    ]);
    expect(tokens.map((t) => t.accessToken)).toEqual(['AT-2', 'AT-2']);
    expect(leases).toBe(1);
    scope.done();
  });
});

describe('a token request never starts unless the lease outlives its deadline', () => {
  it('refuses with ERR_STORE_FAILURE (lease_lapsed) and sends nothing when the lease is too short', async () => {
    class ShortLeaseStore extends MemoryTokenStore {
      override withLock<T>(
        _key: string,
        fn: (lease: Lease) => Promise<T>,
        options?: LockOptions<T>,
      ): Promise<T> {
        void options;
        return timedLease(5_000, fn); // the engine asked for far more (two deadlines and a margin)
      }
    }
    const store = new ShortLeaseStore();
    const h = harness({}, {}, { tokenStore: store });
    await authorize(h);
    h.clock.advance(EXPIRED_MS);
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.StoreFailure,
      reason: 'lease_lapsed',
    });
    expect((await store.get(KEY))?.tokens?.refreshToken).toBe('RT-1');
  });
});

describe('grants are bound to the origins that issued them', () => {
  const SANDBOX = 'https://sandbox.fixture.test';
  const policy = endpointPolicy({ allowedOrigins: [SANDBOX] });

  it('never sends the refresh token or the access token to new endpoints: reauthorization, record kept', async () => {
    const h = harness({}, {}, { endpointPolicy: policy });
    await authorize(h);
    const moved = {
      id: h.connection.id,
      credentials: {
        ...h.connection.credentials,
        endpoints: { token: `${SANDBOX}/token`, apiBase: `${SANDBOX}/v1` },
      },
    };
    for (const call of [
      () => h.connector.getAccessToken(moved),
      () => h.connector.request(moved, { method: 'GET', path: '/me' }),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: ErrorCode.ReauthorizationRequired, reason: 'endpoints_changed' });
      expect((error as { localized: { es: string } }).localized.es).toContain(
        'los endpoints de la conexión cambiaron',
      );
    }
    expect(await h.connector.getStatus(moved)).toMatchObject({
      state: 'reauthorization_required',
      reauthorizationReason: 'endpoints_changed',
    });
    // Nothing was lost: the original endpoints still work with the stored grant.
    expect(await h.tokenStore.get(KEY)).toMatchObject({
      status: 'active',
      tokens: { accessToken: 'AT-1', refreshToken: 'RT-1' },
      origins: { token: 'https://auth.fixture.test', apiBase: 'https://api.fixture.test' },
    });
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-1');
  });

  it('a client credentials connection re-issues at the new token origin without its old refresh token', async () => {
    const h = harnessFor(ccDefinition, {}, { endpointPolicy: policy });
    const connection = { id: 'cc-1', credentials: ccDefinition.sampleCredentials };
    const first = nock(CC_HOST)
      .post('/oauth2/token', 'grant_type=client_credentials&scope=read')
      .reply(200, tokenBody({ access_token: 'AT-cc', refresh_token: 'RT-cc' }));
    await h.connector.getAccessToken(connection);
    first.done();
    const moved = {
      id: 'cc-1',
      credentials: {
        ...ccDefinition.sampleCredentials,
        endpoints: { token: `${SANDBOX}/oauth2/token`, apiBase: `${SANDBOX}/api` },
      },
    };
    const sandbox = nock(SANDBOX)
      .post('/oauth2/token', 'grant_type=client_credentials&scope=read')
      .reply(200, tokenBody({ access_token: 'AT-sandbox', refresh_token: undefined }));
    expect((await h.connector.getAccessToken(moved)).accessToken).toBe('AT-sandbox');
    sandbox.done();
    expect(await h.tokenStore.get('fixture-cc\u001fcc-1')).toMatchObject({
      origins: { token: SANDBOX, apiBase: SANDBOX },
      tokens: { accessToken: 'AT-sandbox' },
    });
  });
});

describe('disconnect', () => {
  it('forgets the tokens and every pending authorization: a state started before cannot complete after', async () => {
    const h = harness();
    await authorize(h);
    const start = await h.connector.startAuthorization(h.connection);
    await h.connector.disconnect(h.connection);
    expect(await h.tokenStore.get(KEY)).toBeUndefined();
    await expect(
      h.connector.completeAuthorization(h.connection, { code: 'late-code', state: start.state }),
    ).rejects.toMatchObject({ code: ErrorCode.StateMismatch });
  });

  it('works for a connection whose settings no longer validate', async () => {
    const h = harness();
    await authorize(h);
    await h.connector.disconnect({ id: h.connection.id, credentials: { broken: true } });
    expect(await h.tokenStore.get(KEY)).toBeUndefined();
  });
});
