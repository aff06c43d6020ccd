import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../errors/codes.js';
import { MemoryTokenRequestLimiter } from './token-limiter.js';

const ORIGIN = 'https://token.provider.test';

describe('MemoryTokenRequestLimiter', () => {
  it('lets at most `concurrency` requests per origin through; others wait, first in first out', async () => {
    const limiter = new MemoryTokenRequestLimiter({ concurrency: 2, jitterMs: 0 });
    const order: number[] = [];
    const slots = await Promise.all([0, 1].map(() => limiter.acquire(ORIGIN, { waitMs: 1_000 })));
    const waiting = [2, 3, 4].map((n) =>
      limiter.acquire(ORIGIN, { waitMs: 1_000 }).then((slot) => (order.push(n), slot)),
    );
    // Another origin is not held up.
    await (await limiter.acquire('https://other.test', { waitMs: 10 })).release();
    expect(limiter.load(ORIGIN)).toEqual({ active: 2, waiting: 3 });
    await slots[0]!.release();
    const third = await waiting[0]!;
    expect(order).toEqual([2]);
    await slots[1]!.release();
    await third.release();
    const [, fourth, fifth] = await Promise.all(waiting);
    expect(order).toEqual([2, 3, 4]);
    expect(limiter.load(ORIGIN)).toEqual({ active: 2, waiting: 0 });
    await fourth!.release();
    await fifth!.release();
    expect(limiter.load(ORIGIN)).toEqual({ active: 0, waiting: 0 });
  });

  it('ends a wait after waitMs with ERR_TIMEOUT, and an aborted one with ERR_ABORTED, without losing the slot', async () => {
    const limiter = new MemoryTokenRequestLimiter({ concurrency: 1, jitterMs: 0 });
    const held = await limiter.acquire(ORIGIN, { waitMs: 10 });
    await expect(
      limiter.acquire(ORIGIN, { waitMs: 20, context: { connectionId: 'c-1' } }),
    ).rejects.toMatchObject({
      code: ErrorCode.Timeout,
      deadlineMs: 20,
      connectionId: 'c-1',
    });
    const controller = new AbortController();
    const aborted = limiter.acquire(ORIGIN, { waitMs: 1_000, signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: ErrorCode.Aborted });
    const next = limiter.acquire(ORIGIN, { waitMs: 1_000 });
    await held.release();
    await held.release(); // a second release changes nothing
    const slot = await next;
    expect(limiter.load(ORIGIN)).toEqual({ active: 1, waiting: 0 });
    await slot.release();
  });

  it('hands a freed slot on after a jitter below jitterMs', async () => {
    const limiter = new MemoryTokenRequestLimiter({ concurrency: 1, jitterMs: 40, random: () => 0.99 });
    const held = await limiter.acquire(ORIGIN, { waitMs: 10 });
    const next = limiter.acquire(ORIGIN, { waitMs: 1_000 });
    const released = performance.now();
    await held.release();
    await (await next).release();
    const waited = performance.now() - released;
    expect(waited).toBeGreaterThanOrEqual(35);
    expect(waited).toBeLessThan(500);
    await sleep(0);
  });

  it('refuses an already aborted caller at once', async () => {
    const limiter = new MemoryTokenRequestLimiter();
    await expect(limiter.acquire(ORIGIN, { waitMs: 10, signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
    expect(limiter.concurrency).toBe(16);
  });
});
