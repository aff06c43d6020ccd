import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../errors/codes.js';
import { LeasedKeyLock } from './leased-lock.js';
import type { HeldLease, LeaseRequest } from './leased-lock.js';
import { StoreFailureError } from './store-failure.js';

const WHERE = '/var/lib/aic/tokens.enc';

/** A recording lease: every acquire and release lands in `log`; `acquire` can be replaced. */
function recordingLock(acquire?: (key: string, request: LeaseRequest) => Promise<HeldLease>) {
  const log: string[] = [];
  const requests: { key: string; request: LeaseRequest }[] = [];
  const lock = new LeasedKeyLock({
    where: WHERE,
    acquire: async (key, request) => {
      requests.push({ key, request });
      log.push(`acquire ${key}`);
      if (acquire !== undefined) return acquire(key, request);
      return {
        grantedAt: performance.now(),
        release: () => {
          log.push(`release ${key}`);
          return Promise.resolve();
        },
      };
    },
  });
  return { lock, log, requests };
}

describe('LeasedKeyLock', () => {
  it('runs fn between acquiring and releasing the lease, with the default TTL and wait', async () => {
    const { lock, log, requests } = recordingLock();
    const signal = new AbortController().signal;
    const result = await lock.run(
      'conn',
      async () => {
        log.push('fn');
        return 42;
      },
      { signal },
    );
    expect(result).toBe(42);
    expect(log).toEqual(['acquire conn', 'fn', 'release conn']);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.request.ttlMs).toBe(30_000);
    expect(requests[0]!.request.signal).toBe(signal);
    expect(requests[0]!.request.waitMs).toBeGreaterThan(29_000);
    expect(requests[0]!.request.waitMs).toBeLessThanOrEqual(30_000);
  });

  it('lets one holder per key in this process compete for the lease at a time, in order', async () => {
    const { lock, log } = recordingLock();
    let releaseFirst!: () => void;
    let entered!: () => void;
    const firstIn = new Promise<void>((resolve) => (entered = resolve));
    const first = lock.run('k', async () => {
      log.push('first');
      entered();
      await new Promise<void>((resolve) => (releaseFirst = resolve));
      return 1;
    });
    const second = lock.run('k', async () => {
      log.push('second');
      return 2;
    });
    await firstIn;
    await expect(lock.run('other', async () => 3)).resolves.toBe(3);
    expect(log).toEqual(['acquire k', 'first', 'acquire other', 'release other']);
    releaseFirst();
    await expect(Promise.all([first, second])).resolves.toEqual([1, 2]);
    expect(log).toEqual([
      'acquire k',
      'first',
      'acquire other',
      'release other',
      'release k',
      'acquire k',
      'second',
      'release k',
    ]);
  });

  it('gives the lease only what is left of waitMs after the in-process queue', async () => {
    const { lock, requests } = recordingLock();
    let releaseFirst!: () => void;
    const first = lock.run('k', () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const second = lock.run('k', async () => 'second', { waitMs: 1_000, ttlMs: 5_000 });
    await sleep(100);
    releaseFirst();
    await first;
    await expect(second).resolves.toBe('second');
    expect(requests[1]!.request.ttlMs).toBe(5_000);
    expect(requests[1]!.request.waitMs).toBeGreaterThan(0);
    expect(requests[1]!.request.waitMs).toBeLessThanOrEqual(1_000 - 90);
  });

  it('reports a timed-out in-process queue as lock_timeout naming the store', async () => {
    const { lock, requests } = recordingLock();
    let releaseFirst!: () => void;
    const first = lock.run('k', () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const error: unknown = await lock.run('k', async () => 'never', { waitMs: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreFailureError);
    expect(error).toMatchObject({ code: ErrorCode.StoreFailure, reason: 'lock_timeout' });
    expect((error as Error).message).toContain(WHERE);
    expect((error as Error).cause).toMatchObject({ code: ErrorCode.StoreFailure });
    expect(requests).toHaveLength(1);
    releaseFirst();
    await first;
  });

  it('passes a failed acquire through unchanged and never runs fn', async () => {
    const refused = new StoreFailureError('unavailable', 'redis aic:*');
    const { lock } = recordingLock(() => Promise.reject(refused));
    let ran = false;
    const run = lock.run('k', async () => {
      ran = true;
    });
    await expect(run).rejects.toBe(refused);
    expect(ran).toBe(false);
  });

  it('releases the lease when fn throws, and rethrows its error', async () => {
    const { lock, log } = recordingLock();
    const boom = new Error('boom');
    await expect(lock.run('k', () => Promise.reject(boom))).rejects.toBe(boom);
    expect(log).toEqual(['acquire k', 'release k']);
  });

  it('ends a queued wait with ERR_ABORTED when the signal aborts', async () => {
    const { lock, requests } = recordingLock();
    let releaseFirst!: () => void;
    const first = lock.run('k', () => new Promise<void>((resolve) => (releaseFirst = resolve)));
    const controller = new AbortController();
    const waiter = lock.run('k', async () => 'never', { signal: controller.signal });
    controller.abort();
    await expect(waiter).rejects.toMatchObject({ code: ErrorCode.Aborted });
    expect(requests).toHaveLength(1);
    releaseFirst();
    await first;
  });
});
