import { ErrorCode, MemoryLogger, type ConnectionRecord } from '@aic/connector-core';
import { CONN, deferred, failure, pause, record, useStandalone } from './standalone.js';

const h = useStandalone();

/** What core's TokenManager passes: a re-read that ends the wait when the record is fresh. */
const usableAfterWait =
  (store: { get(key: string): Promise<ConnectionRecord | undefined> }, wanted: string) => async () => {
    const current = await store.get(CONN);
    return current?.tokens?.accessToken === wanted ? current : undefined;
  };

describe('RedisTokenStore lock', () => {
  it('is exclusive across processes and lets other connections through', async () => {
    const a = h.store(await h.connection());
    const b = h.store(await h.connection());
    const gate = deferred();
    const order: string[] = [];
    const held = a.withLock(CONN, async () => {
      order.push('a-in');
      await gate.promise;
      order.push('a-out');
    });
    await pause(30);
    const waiting = b.withLock(CONN, async () => {
      order.push('b-in');
      return 'b';
    });
    await pause(80);
    expect(order).toEqual(['a-in']);
    await expect(b.withLock('other', async () => 'free')).resolves.toBe('free');
    gate.resolve();
    await held;
    await expect(waiting).resolves.toBe('b');
    expect(order).toEqual(['a-in', 'a-out', 'b-in']);
    expect(await (await h.client()).exists(`${h.prefix}{${CONN}}:lock`)).toBe(0);
  });

  it('holder: the locked read comes with the lock, the write releases it — two commands in all', async () => {
    const connection = await h.connection();
    const store = h.store(connection);
    await h.store(await h.client()).set(CONN, record('AT-1'));
    connection.sent.length = 0;
    let leaseAfterWrite: { remaining: number; aborted: boolean } | undefined;
    await store.withLock(CONN, async (lease) => {
      const read = await store.get(CONN);
      expect(read).toEqual({ ...record('AT-1'), version: 1 });
      expect(lease.remainingMs()).toBeGreaterThan(29_000);
      await store.set(CONN, record('AT-2'), { ifVersion: read!.version });
      leaseAfterWrite = { remaining: lease.remainingMs(), aborted: lease.signal.aborted };
    });
    expect(connection.sent).toEqual(['SSUBSCRIBE', 'ACQUIRE', 'WRITE']);
    // The write ended the lease: nothing may be sent under it any more.
    expect(leaseAfterWrite).toEqual({ remaining: 0, aborted: true });
    expect(await (await h.client()).exists(`${h.prefix}{${CONN}}:lock`)).toBe(0);
    // A second read inside a lock does go to Redis (only the first one is free).
    connection.sent.length = 0;
    await store.withLock(CONN, async () => {
      await store.get(CONN);
      await store.get(CONN);
    });
    expect(connection.sent).toEqual(['ACQUIRE', 'HGETALL', 'RELEASE']);
  });

  it('waiter: no polling — one failed attempt, then the release wakes it with the record (no re-read)', async () => {
    const holderConnection = await h.connection();
    const waiterConnection = await h.connection();
    const holder = h.store(holderConnection);
    const waiter = h.store(waiterConnection);
    await h.store(await h.client()).set(CONN, record('AT-1'));
    const gate = deferred();
    const held = holder.withLock(CONN, async () => {
      const read = await holder.get(CONN);
      await gate.promise;
      await holder.set(CONN, record('AT-2'), { ifVersion: read!.version });
    });
    await pause(30);
    waiterConnection.sent.length = 0;
    let ranLocked = false;
    const waited = waiter.withLock(
      CONN,
      async () => {
        ranLocked = true;
        return undefined;
      },
      { afterWait: usableAfterWait(waiter, 'AT-2') },
    );
    await pause(300); // a polling waiter would send several commands meanwhile
    expect(waiterConnection.sent).toEqual(['SSUBSCRIBE', 'ACQUIRE']);
    gate.resolve();
    await held;
    await expect(waited).resolves.toEqual({ ...record('AT-2'), version: 2 });
    expect(ranLocked).toBe(false);
    expect(waiterConnection.sent).toEqual(['SSUBSCRIBE', 'ACQUIRE']);
  });

  it('waiter: when the woken record does not serve it, it takes the lock next', async () => {
    const holder = h.store(await h.connection());
    const waiter = h.store(await h.connection());
    const gate = deferred();
    const held = holder.withLock(CONN, () => gate.promise);
    await pause(30);
    const waited = waiter.withLock<unknown>(CONN, async () => 'locked', {
      afterWait: usableAfterWait(waiter, 'AT-9'),
    });
    await pause(50);
    gate.resolve();
    await held;
    await expect(waited).resolves.toBe('locked');
  });

  it('a crashed holder: the waiter takes over once the lock lapses, with one more attempt (no polling)', async () => {
    const client = await h.client();
    await client.set(`${h.prefix}{${CONN}}:lock`, 'crashed-holder', {
      expiration: { type: 'PX', value: 300 },
    });
    const connection = await h.connection();
    const started = Date.now();
    await expect(
      h.store(connection).withLock(CONN, async () => 'recovered', { waitMs: 5_000 }),
    ).resolves.toBe('recovered');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(connection.sent).toEqual(['SSUBSCRIBE', 'ACQUIRE', 'ACQUIRE', 'RELEASE']);
  });

  it('releases only its own lock: a lock taken over meanwhile is left to its new owner', async () => {
    const client = await h.client();
    const logger = new MemoryLogger();
    const store = h.store(await h.connection(), { logger });
    await store.withLock(
      CONN,
      async (lease) => {
        await pause(120); // the holder stalls past its TTL; another instance takes the lock
        expect(lease.remainingMs()).toBe(0);
        expect(lease.signal.aborted).toBe(true);
        await client.set(`${h.prefix}{${CONN}}:lock`, 'someone-else', {
          expiration: { type: 'PX', value: 60_000 },
        });
      },
      { ttlMs: 60 },
    );
    expect(await client.get(`${h.prefix}{${CONN}}:lock`)).toBe('someone-else');
    expect(logger.entries.map((e) => e.message)).toEqual([
      'a Redis store lock lapsed while held (the holder stalled past its TTL)',
    ]);
  });

  it('the lease’s local view ends leaseDriftMs before the lock’s TTL, and is never renewed', async () => {
    const client = await h.client();
    const store = h.store(await h.connection(), { leaseDriftMs: 200 });
    await store.withLock(
      CONN,
      async (lease) => {
        expect(lease.remainingMs()).toBeLessThanOrEqual(800);
        expect(lease.remainingMs()).toBeGreaterThan(700);
        const aborted = new Promise((resolve) => lease.signal.addEventListener('abort', resolve));
        const started = performance.now();
        await aborted;
        expect(performance.now() - started).toBeLessThan(850);
        // Redis still has the key: the local view lapsed first.
        expect(await client.pTTL(`${h.prefix}{${CONN}}:lock`)).toBeGreaterThan(50);
      },
      { ttlMs: 1_000 },
    );
  });

  it('a waiter gives up with lock_timeout after waitMs', async () => {
    const gate = deferred();
    const held = h.store(await h.connection()).withLock(CONN, () => gate.promise, { ttlMs: 5_000 });
    await pause(30);
    const started = Date.now();
    await expect(
      h.store(await h.connection()).withLock(CONN, async () => 'never', { waitMs: 300 }),
    ).rejects.toMatchObject(failure('lock_timeout'));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    gate.resolve();
    await held;
  });

  it('stops waiting with ERR_ABORTED when the signal aborts (also in the in-process queue)', async () => {
    const store = h.store(await h.connection());
    const gate = deferred();
    const held = store.withLock(CONN, () => gate.promise);
    await pause(30);
    const controller = new AbortController();
    const remote = h
      .store(await h.connection())
      .withLock(CONN, async () => 'never', { signal: controller.signal });
    const local = store.withLock(CONN, async () => 'never', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller left')), 40);
    await expect(remote).rejects.toMatchObject({ code: ErrorCode.Aborted });
    await expect(local).rejects.toMatchObject({ code: ErrorCode.Aborted });
    await expect(store.withLock(CONN, async () => 'late', { waitMs: 20 })).rejects.toMatchObject(
      failure('lock_timeout'),
    );
    gate.resolve();
    await held;
  });

  it('reloads its Lua scripts after the server script cache is flushed', async () => {
    const client = await h.client();
    const store = h.store(await h.connection());
    await store.withLock(CONN, async () => undefined);
    await client.scriptFlush();
    await store.withLock(CONN, async () => undefined);
    expect(await client.exists(`${h.prefix}{${CONN}}:lock`)).toBe(0);
  });
});
