import { ErrorCode } from '../errors/codes.js';
import { isConnectorError } from '../errors/connector-error.js';
import { KeyedMutex } from './memory-stores.js';
import { StoreFailureError, isStoreFailure } from './store-failure.js';
import { DEFAULT_LEASE_MS, leaseUntil } from './lease.js';
import type { Lease, LockOptions } from './token-store.js';

/** What a store's cross-process lease is asked for (a lock file, a Redis key). */
export interface LeaseRequest {
  /** How long the lease lasts; it is never renewed. */
  readonly ttlMs: number;
  /** How long to wait for a busy lease before failing with `lock_timeout`. */
  readonly waitMs: number;
  readonly signal?: AbortSignal | undefined;
  /**
   * Call after each wait for another holder, before trying again: `true` means the caller no
   * longer needs the lease, and `acquire` resolves `undefined` without taking it.
   */
  readonly afterWait?: (() => Promise<boolean>) | undefined;
}

/** A lease this process holds. */
export interface HeldLease {
  /**
   * `performance.now()` taken just before the request that won the lease was sent: the lease
   * lapses no earlier than `grantedAt + ttlMs` anywhere, so the holder's own view is safe.
   */
  readonly grantedAt: number;
  /** Stops renewing and gives the lease up if it is still ours. Never throws. */
  release(): Promise<void>;
}

/** Default wait for, and lifetime of, a lock (ms), as {@link LockOptions} documents. */
const DEFAULT_LOCK_MS = 30_000;

export interface LeasedKeyLockOptions {
  /**
   * Takes the cross-process lease of `key` (a lock file, a Redis key), waiting at most
   * `request.waitMs` for another holder: then it fails with `lock_timeout`. Resolves `undefined`
   * when `request.afterWait` said the lease is no longer needed.
   */
  readonly acquire: (key: string, request: LeaseRequest) => Promise<HeldLease | undefined>;
  /** Names the store (a path, `redis aic:*`) in the `lock_timeout` of a timed-out queue. */
  readonly where: string;
}

/**
 * The `withLock` of a durable `TokenStore`: exclusive per key across processes.
 *
 * Holders in one process first queue on a {@link KeyedMutex}, so only one of them at a time
 * competes for the cross-process lease; that one then acquires the lease within what is left of
 * `waitMs`, runs `fn` with a {@link Lease} that lapses at `ttlMs` (never renewed) and releases the
 * lease. One `waitMs` bounds both waits, and a caller is told
 * `ERR_STORE_FAILURE` with reason `lock_timeout` whichever of them ran out. An abort of
 * `options.signal` ends either wait with `ERR_ABORTED`; an error of `acquire` or `fn` passes
 * through unchanged.
 */
export class LeasedKeyLock {
  readonly #mutex = new KeyedMutex();
  readonly #acquire: LeasedKeyLockOptions['acquire'];
  readonly #where: string;

  constructor(options: LeasedKeyLockOptions) {
    this.#acquire = options.acquire;
    this.#where = options.where;
  }

  async run<T>(key: string, fn: (lease: Lease) => Promise<T>, options: LockOptions<T> = {}): Promise<T> {
    const waitMs = options.waitMs ?? DEFAULT_LOCK_MS;
    const deadline = Date.now() + waitMs;
    let queued = true;
    let early: { value: T } | undefined;
    const afterWait =
      options.afterWait === undefined
        ? undefined
        : async (): Promise<boolean> => {
            const value = await options.afterWait?.();
            if (value !== undefined) early = { value };
            return early !== undefined;
          };
    try {
      return await this.#mutex.run(
        key,
        async (waited) => {
          queued = false;
          if (waited && afterWait !== undefined && (await afterWait()) && early !== undefined)
            return early.value;
          const ttlMs = options.ttlMs ?? DEFAULT_LEASE_MS;
          const held = await this.#acquire(key, {
            ttlMs,
            waitMs: Math.max(0, deadline - Date.now()),
            signal: options.signal,
            afterWait,
          });
          if (held === undefined) {
            if (early === undefined) throw new Error('acquire resolved without a lease nor an early result');
            return early.value;
          }
          const lease = leaseUntil(held.grantedAt, ttlMs);
          try {
            return await fn(lease);
          } finally {
            lease.dispose();
            await held.release();
          }
        },
        { signal: options.signal, waitMs },
      );
    } catch (error) {
      // The in-process queue timed out: report it like the cross-process wait does.
      if (
        queued &&
        isConnectorError(error) &&
        error.code === ErrorCode.StoreFailure &&
        !isStoreFailure(error)
      ) {
        throw new StoreFailureError('lock_timeout', this.#where, { cause: error });
      }
      throw error;
    }
  }
}
