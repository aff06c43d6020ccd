import { ErrorCode, MemoryLogger, type ConnectionRecord, type Lease } from '@aic/connector-core';
import { failure, record, useStoreFile } from './__fixtures__/store-fixtures.js';

const file = useStoreFile();

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lockRow = (key: string) =>
  file.raw().prepare('SELECT owner, expires_at FROM aic_locks WHERE key = ?').get(key) as
    { owner: string | null; expires_at: number } | undefined;

describe('SqliteTokenStore: locks', () => {
  it('excludes another store instance (another process) until release, and wakes it at once', async () => {
    const a = file.open();
    const b = file.open();
    const gate = deferred();
    const order: string[] = [];
    const held = a.withLock('conn', async () => {
      order.push('a-in');
      await gate.promise;
      order.push('a-out');
    });
    await pause(20);
    let wokeAt = 0;
    const waiting = b.withLock('conn', async () => {
      wokeAt = performance.now();
      order.push('b-in');
      return 'b';
    });
    await pause(80);
    expect(order).toEqual(['a-in']);
    expect(lockRow('conn')?.owner).toEqual(expect.any(String));
    // Another key is not blocked.
    await expect(b.withLock('other', async () => 'free')).resolves.toBe('free');
    const releasedAt = performance.now();
    gate.resolve();
    await held;
    await expect(waiting).resolves.toBe('b');
    expect(order).toEqual(['a-in', 'a-out', 'b-in']);
    // Woken by the release (the watcher), not by the 30 s lease lapsing.
    expect(wokeAt - releasedAt).toBeLessThan(1_000);
    expect(lockRow('conn')).toEqual({ owner: null, expires_at: 0 });
  });

  it('gives up after waitMs with lock_timeout, across instances and in process', async () => {
    const a = file.open();
    const gate = deferred();
    const held = a.withLock('conn', () => gate.promise);
    await pause(20);
    await expect(file.open().withLock('conn', async () => 'never', { waitMs: 100 })).rejects.toMatchObject(
      failure('lock_timeout'),
    );
    await expect(a.withLock('conn', async () => 'never', { waitMs: 30 })).rejects.toMatchObject(
      failure('lock_timeout'),
    );
    gate.resolve();
    await held;
  });

  it('never renews a lease: it lapses at its TTL, the holder is told, another takes over, the stale release is refused', async () => {
    const logger = new MemoryLogger();
    const a = file.open({ logger });
    const b = file.open({ logger });
    const gate = deferred();
    let holderLease: Lease | undefined;
    const held = a.withLock(
      'conn',
      async (lease) => {
        holderLease = lease;
        await gate.promise;
      },
      { ttlMs: 200 },
    );
    await pause(20);
    expect(holderLease!.remainingMs()).toBeGreaterThan(100);
    expect(holderLease!.remainingMs()).toBeLessThanOrEqual(200);
    const taken = await b.withLock(
      'conn',
      async (lease) => {
        expect(holderLease!.signal.aborted).toBe(true);
        expect(holderLease!.remainingMs()).toBe(0);
        expect(lease.signal.aborted).toBe(false);
        return 'taken over';
      },
      { waitMs: 2_000 },
    );
    expect(taken).toBe('taken over');
    gate.resolve();
    await held;
    expect(logger.entries.map((e) => e.message)).toEqual([
      'took over a lapsed store lock (its holder crashed or stalled)',
      'a store lock lapsed while held (the holder stalled past its TTL)',
    ]);
  });

  it('stops waiting with ERR_ABORTED when the signal aborts', async () => {
    const gate = deferred();
    const held = file.open().withLock('conn', () => gate.promise);
    await pause(20);
    const controller = new AbortController();
    const waiting = file.open().withLock('conn', async () => 'never', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller left')), 30);
    await expect(waiting).rejects.toMatchObject({ code: ErrorCode.Aborted });
    await expect(
      file.open().withLock('conn', async () => 'never', { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: ErrorCode.Aborted });
    gate.resolve();
    await held;
  });

  it('a waiter whose afterWait finds the work done returns its result without taking the lock', async () => {
    const a = file.open();
    const b = file.open();
    const gate = deferred();
    const held = a.withLock('conn', async () => {
      await gate.promise;
      await a.set('conn', record('AT-refreshed-by-a'));
    });
    await pause(20);
    let ran = false;
    const waiting = b.withLock(
      'conn',
      async () => {
        ran = true;
        return 'locked';
      },
      {
        afterWait: async () => {
          const stored = await b.get('conn');
          return stored === undefined ? undefined : `reused ${stored.tokens?.accessToken}`;
        },
      },
    );
    await pause(30);
    gate.resolve();
    await held;
    await expect(waiting).resolves.toBe('reused AT-refreshed-by-a');
    expect(ran).toBe(false);
    expect(lockRow('conn')?.owner).toBeNull();
  });

  it('closing the store wakes its waiters, which fail with unavailable', async () => {
    const gate = deferred();
    const held = file.open().withLock('conn', () => gate.promise);
    await pause(20);
    const b = file.open();
    const waiting = b.withLock('conn', async () => 'never');
    await pause(30);
    b.close();
    await expect(waiting).rejects.toMatchObject(failure('unavailable'));
    gate.resolve();
    await held;
  });
});

describe('SqliteTokenStore: grant spends (Lease.spendGrant)', () => {
  const spendsOf = (key: string) =>
    file.raw().prepare('SELECT owner FROM aic_spends WHERE key = ?').all(key) as { owner: string }[];

  it('records the spend; a write of the record or a timely release resolves it', async () => {
    const store = file.open();
    await store.set('conn', record());
    await store.withLock('conn', async (lease) => {
      await lease.spendGrant!();
      expect(spendsOf('conn')).toHaveLength(1);
      await store.set('conn', record('AT-rotated'), { ifVersion: (await store.get('conn'))!.version });
      expect(spendsOf('conn')).toHaveLength(0);
    });
    // The call failed in a way the holder handled (e.g. the provider was down) and it released in time.
    await store.withLock('conn', async (lease) => {
      await lease.spendGrant!();
    });
    expect(spendsOf('conn')).toHaveLength(0);
  });

  it('a spend left by a holder whose lease lapsed refuses the next holders, then asks for a new authorization', async () => {
    const logger = new MemoryLogger();
    const stalled = file.open();
    await stalled.set('fixture\u001fconn-1', record());
    const gate = deferred();
    const held = stalled.withLock(
      'fixture\u001fconn-1',
      async (lease) => {
        await lease.spendGrant!();
        await gate.promise; // stalls past its lease with the refresh token sent
        await expect(lease.spendGrant!()).rejects.toMatchObject(failure('lease_lapsed'));
      },
      { ttlMs: 150 },
    );
    await pause(20);
    const next = file.open({ logger });
    await expect(
      next.withLock('fixture\u001fconn-1', (lease) => lease.spendGrant!(), { waitMs: 2_000 }),
    ).rejects.toMatchObject(failure('lock_timeout'));
    const later = file.open({ logger, interruptedRefreshMs: 0 });
    await expect(later.withLock('fixture\u001fconn-1', (lease) => lease.spendGrant!())).rejects.toMatchObject(
      {
        code: ErrorCode.ReauthorizationRequired,
        reason: 'refresh_interrupted',
        connectorId: 'fixture',
        connectionId: 'conn-1',
      },
    );
    expect(logger.entries.map((e) => [e.message, e.fields?.['givingUp']])).toEqual([
      ['took over a lapsed store lock (its holder crashed or stalled)', undefined],
      [
        'an earlier holder sent this refresh token and vanished before storing the answer; not sending it again',
        false,
      ],
      [
        'an earlier holder sent this refresh token and vanished before storing the answer; not sending it again',
        true,
      ],
    ]);
    gate.resolve();
    await held;
    // Its release came after the lapse: the spend stays until a write resolves it.
    expect(spendsOf('fixture\u001fconn-1')).toHaveLength(1);
    await later.set('fixture\u001fconn-1', { status: 'reauthorization_required', updatedAt: 2 });
    expect(spendsOf('fixture\u001fconn-1')).toHaveLength(0);
  });

  it('keeps the spend when a write failed under the lease (the rotated grant may exist only in memory)', async () => {
    const store = file.open();
    await store.set('conn', record());
    await store.withLock('conn', async (lease) => {
      await lease.spendGrant!();
      // A record the store cannot write (not JSON): the write fails, not as a conflict.
      const unwritable = { ...record(), updatedAt: 1n } as unknown as ConnectionRecord;
      await expect(store.set('conn', unwritable)).rejects.toMatchObject({ code: ErrorCode.StoreFailure });
    });
    expect(spendsOf('conn')).toHaveLength(1);
  });
});
