import { ErrorCode } from '../errors/codes.js';
import { ManualClock } from '../support/clock.js';
import { connectionKey, type ConnectionRecord } from './connection-record.js';
import { KeyedMutex, MemoryPendingAuthorizationStore, MemoryTokenStore } from './memory-stores.js';
import type { PendingAuthorization } from './token-store.js';

const record: ConnectionRecord = {
  status: 'active',
  tokens: { accessToken: 'AT', tokenType: 'Bearer', issuedAt: 0, expiresAt: 1000, refreshToken: 'RT' },
  updatedAt: 0,
};

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('MemoryTokenStore', () => {
  it('stores frozen copies by key', async () => {
    const store = new MemoryTokenStore();
    const key = connectionKey('acme', 'c-1');
    expect(key).toBe('acme\u001fc-1');
    expect(await store.get(key)).toBeUndefined();
    const input = { ...record, tokens: { ...record.tokens! } };
    await store.set(key, input);
    (input.tokens as { accessToken: string }).accessToken = 'mutated';
    const stored = await store.get(key);
    expect(stored).toEqual({ ...record, version: 1 });
    expect(Object.isFrozen(stored)).toBe(true);
    expect(Object.isFrozen(stored?.tokens)).toBe(true);
    expect(store.size).toBe(1);
    expect(await store.get(connectionKey('other', 'c-1'))).toBeUndefined();
    await store.delete(key);
    expect(await store.get(key)).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('withLock runs holders of one key one at a time, in order, and other keys freely', async () => {
    const store = new MemoryTokenStore();
    const log: string[] = [];
    let releaseFirst!: () => void;
    const first = store.withLock('k', async () => {
      log.push('first in');
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      log.push('first out');
      return 1;
    });
    const second = store.withLock('k', async () => {
      log.push('second');
      return 2;
    });
    const other = store.withLock('other', async () => {
      log.push('other');
      return 3;
    });
    await other;
    await tick();
    expect(log).toEqual(['first in', 'other']);
    releaseFirst();
    expect(await Promise.all([first, second])).toEqual([1, 2]);
    expect(log).toEqual(['first in', 'other', 'first out', 'second']);
  });

  it('releases the lock when the holder throws', async () => {
    const store = new MemoryTokenStore();
    await expect(store.withLock('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(store.withLock('k', async () => 'next')).resolves.toBe('next');
  });
});

describe('KeyedMutex', () => {
  it('lets a waiter leave on abort (ERR_ABORTED) without breaking the queue', async () => {
    const mutex = new KeyedMutex();
    let release!: () => void;
    const holder = mutex.run('k', () => new Promise<string>((resolve) => (release = () => resolve('held'))));
    const controller = new AbortController();
    const leaving = mutex.run('k', async () => 'never', { signal: controller.signal });
    const third = mutex.run('k', async () => 'third');
    controller.abort();
    await expect(leaving).rejects.toMatchObject({ code: ErrorCode.Aborted });
    release();
    await expect(holder).resolves.toBe('held');
    await expect(third).resolves.toBe('third');
    await expect(mutex.run('k', async () => 'x', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
  });

  it('gives up waiting after waitMs with ERR_STORE_FAILURE', async () => {
    const mutex = new KeyedMutex();
    let release!: () => void;
    const holder = mutex.run('k', () => new Promise<void>((resolve) => (release = resolve)));
    const waiter = mutex.run('k', async () => 'never', { waitMs: 20 });
    await expect(waiter).rejects.toMatchObject({ code: ErrorCode.StoreFailure });
    release();
    await holder;
    await expect(mutex.run('k', async () => 'free', { waitMs: 20 })).resolves.toBe('free');
  });
});

describe('MemoryPendingAuthorizationStore', () => {
  const pending = (expiresAt: number): PendingAuthorization => ({
    connectorId: 'acme',
    connectionId: 'c-1',
    stateDigest: 'd',
    codeVerifier: 'v'.repeat(43),
    redirectUri: 'https://aic.test/cb',
    createdAt: 0,
    expiresAt,
  });

  it('take is single-use', async () => {
    const store = new MemoryPendingAuthorizationStore(new ManualClock(0));
    await store.put('s1', pending(1000));
    expect(await store.take('s1')).toEqual(pending(1000));
    expect(await store.take('s1')).toBeUndefined();
    expect(await store.take('unknown')).toBeUndefined();
  });

  it('sweeps expired entries on put, so abandoned flows do not pile up', async () => {
    const clock = new ManualClock(0);
    const store = new MemoryPendingAuthorizationStore(clock);
    await store.put('old', pending(1000));
    await store.put('young', pending(5000));
    expect(store.size).toBe(2);
    clock.advance(1000);
    await store.put('new', pending(9000));
    expect(store.size).toBe(2);
    expect(await store.take('old')).toBeUndefined();
    expect(new MemoryPendingAuthorizationStore().size).toBe(0);
  });
});
