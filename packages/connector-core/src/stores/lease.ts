import type { Lease } from './token-store.js';

/** Default lifetime of a lock, as `LockOptions.ttlMs` documents. */
export const DEFAULT_LEASE_MS = 30_000;

/**
 * A {@link Lease} that lapses `ttlMs` after `grantedAt` (a `performance.now()` reading taken before
 * the lease was asked for, so the local view lapses no later than the shared one): its signal
 * aborts then, with a `TimeoutError`.
 */
export function leaseUntil(grantedAt: number, ttlMs: number): Lease & { dispose(): void } {
  const expiresAt = grantedAt + ttlMs;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The lock lease lapsed.', 'TimeoutError')),
    Math.max(0, expiresAt - performance.now()),
  );
  timer.unref();
  return {
    signal: controller.signal,
    remainingMs: () => Math.max(0, expiresAt - performance.now()),
    dispose: () => clearTimeout(timer),
  };
}

/** Runs `fn` under a lease of `ttlMs` (default 30 s) granted now; the lease's timer ends with `fn`. */
export async function timedLease<T>(ttlMs: number | undefined, fn: (lease: Lease) => Promise<T>): Promise<T> {
  const lease = leaseUntil(performance.now(), ttlMs ?? DEFAULT_LEASE_MS);
  try {
    return await fn(lease);
  } finally {
    lease.dispose();
  }
}
