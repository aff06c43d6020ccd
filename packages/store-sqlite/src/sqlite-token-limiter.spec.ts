import { ErrorCode, MemoryLogger, type TokenRequestSlot } from '@aic/connector-core';
import { useStoreFile } from './__fixtures__/store-fixtures.js';
import { SqliteTokenRequestLimiter } from './sqlite-token-limiter.js';

const file = useStoreFile();
const ORIGIN = 'https://auth.example.test';
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const heldSlots = (origin = ORIGIN) =>
  (
    file
      .raw()
      .prepare('SELECT count(*) AS n FROM aic_token_slots WHERE origin = ? AND expires_at > ?')
      .get(origin, Date.now()) as { n: number }
  ).n;

describe('SqliteTokenRequestLimiter', () => {
  it('bounds token requests in flight per origin across store instances (processes), queueing the rest', async () => {
    const limiters = [0, 1, 2].map(
      () => new SqliteTokenRequestLimiter(file.open(), { concurrency: 3, pollMs: 2, jitterMs: 2 }),
    );
    let active = 0;
    let peak = 0;
    const run = async (index: number) => {
      const slot = await limiters[index % 3]!.acquire(ORIGIN, { waitMs: 10_000 });
      active++;
      peak = Math.max(peak, active);
      await pause(5 + (index % 4));
      active--;
      await slot.release();
    };
    await Promise.all(Array.from({ length: 45 }, (_, i) => run(i)));
    expect(peak).toBe(3);
    expect(heldSlots()).toBe(0);
    // Another origin has its own slots.
    const a = await limiters[0]!.acquire(ORIGIN, { waitMs: 100 });
    const other = await limiters[1]!.acquire('https://other.example.test', { waitMs: 100 });
    expect([heldSlots(), heldSlots('https://other.example.test')]).toEqual([1, 1]);
    await a.release();
    await other.release();
  });

  it('serves the waiters of one process first in, first out', async () => {
    const limiter = new SqliteTokenRequestLimiter(file.open(), { concurrency: 1, pollMs: 2, jitterMs: 0 });
    const first = await limiter.acquire(ORIGIN, { waitMs: 1_000 });
    const order: number[] = [];
    const waiting = [1, 2, 3].map((n) =>
      limiter.acquire(ORIGIN, { waitMs: 5_000 }).then(async (slot) => {
        order.push(n);
        await slot.release();
      }),
    );
    await pause(20);
    expect(limiter.waiting(ORIGIN)).toBe(3);
    await first.release();
    await Promise.all(waiting);
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.waiting(ORIGIN)).toBe(0);
  });

  it('a waiter gives up with ERR_TIMEOUT after waitMs, or ERR_ABORTED when its signal aborts', async () => {
    const limiter = new SqliteTokenRequestLimiter(file.open(), { concurrency: 1 });
    const slot = await new SqliteTokenRequestLimiter(file.open(), { concurrency: 1 }).acquire(ORIGIN, {
      waitMs: 100,
    });
    await expect(
      limiter.acquire(ORIGIN, { waitMs: 50, context: { connectorId: 'fixture', connectionId: 'c-1' } }),
    ).rejects.toMatchObject({
      code: ErrorCode.Timeout,
      connectorId: 'fixture',
      connectionId: 'c-1',
      deadlineMs: 50,
    });
    const controller = new AbortController();
    const waiting = limiter.acquire(ORIGIN, { waitMs: 5_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller left')), 20);
    await expect(waiting).rejects.toMatchObject({ code: ErrorCode.Aborted });
    await expect(
      limiter.acquire(ORIGIN, { waitMs: 5_000, signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
    expect(limiter.waiting(ORIGIN)).toBe(0);
    await slot.release();
    // Nothing was leaked by the waiters that left: the one slot is free again.
    const again = await limiter.acquire(ORIGIN, { waitMs: 500 });
    await again.release();
  });

  it('takes back a slot held past slotTtlMs (its process died)', async () => {
    const crashed = new SqliteTokenRequestLimiter(file.open(), { concurrency: 1, slotTtlMs: 100 });
    await crashed.acquire(ORIGIN, { waitMs: 100 }); // never released
    const limiter = new SqliteTokenRequestLimiter(file.open(), { concurrency: 1, slotTtlMs: 100, pollMs: 5 });
    const started = performance.now();
    const slot = await limiter.acquire(ORIGIN, { waitMs: 2_000 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(50);
    await slot.release();
  });

  it('release is idempotent and never throws; a slot it cannot give back is logged and lapses', async () => {
    const logger = new MemoryLogger();
    const store = file.open();
    const limiter = new SqliteTokenRequestLimiter(store, { concurrency: 2, logger });
    const slot: TokenRequestSlot = await limiter.acquire(ORIGIN, { waitMs: 100 });
    await slot.release();
    await slot.release();
    expect(heldSlots()).toBe(0);
    const lost = await limiter.acquire(ORIGIN, { waitMs: 100 });
    store.close();
    await expect(lost.release()).resolves.toBeUndefined();
    expect(logger.entries.map((e) => e.message)).toEqual([
      'could not give back a token request slot; it lapses by its TTL',
    ]);
  });

  it('needs a SqliteTokenStore', () => {
    expect(() => new SqliteTokenRequestLimiter({} as never)).toThrow(TypeError);
  });
});
