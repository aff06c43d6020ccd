import { abortedError } from '@aic/connector-core';
import type { StoreDatabase } from './store-database.js';

interface Waiter {
  /** The lock row's `seq` when the waiter found it held: any later change wakes it. */
  readonly seen: number;
  readonly wake: () => void;
}

export interface LockWatcherOptions {
  /** Pause between two looks at the lock table while someone waits (ms, jittered ±50 %). */
  readonly pollMs: number;
  readonly random: () => number;
}

/**
 * Wakes this process's waiters when another process releases (or takes over) the lease they wait
 * for. SQLite cannot notify another process, so while anyone waits one reader per process looks
 * at the rows of `aic_locks` changed since its last look (`seq` is indexed): one cheap read per
 * tick for all waiters together, instead of every waiter polling its own lease. A waiter also wakes
 * when the lease it saw would lapse, and when its own wait ends.
 */
export class LockWatcher {
  readonly #db: StoreDatabase;
  readonly #pollMs: number;
  readonly #random: () => number;
  readonly #waiters = new Map<string, Set<Waiter>>();
  /** Rows changed after this counter value are not seen yet (`undefined`: nobody waits). */
  #cursor: number | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;

  constructor(db: StoreDatabase, options: LockWatcherOptions) {
    this.#db = db;
    this.#pollMs = options.pollMs;
    this.#random = options.random;
  }

  /**
   * Resolves when the lease row of `key` changes after `seen` (its `seq` when found held), when
   * `lapsesInMs` passed (the lease it saw lapses), or when `waitMs` passed; rejects with
   * `ERR_ABORTED` when `signal` aborts. `observedAt` is the store counter of the transaction that
   * found it held: no change after it is missed.
   */
  wait(
    key: string,
    seen: number,
    observedAt: number,
    waitMs: number,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let done = false;
      const finish = (error?: unknown): void => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const set = this.#waiters.get(key);
        set?.delete(waiter);
        if (set?.size === 0) this.#waiters.delete(key);
        if (this.#waiters.size === 0) this.#stop();
        if (error === undefined) resolve();
        else reject(error as Error);
      };
      const waiter: Waiter = { seen, wake: () => finish() };
      const onAbort = (): void => finish(abortedError({}, signal?.reason));
      // Not unref'd: a caller waiting for a lock is work in progress.
      const timer = setTimeout(() => finish(), Math.max(1, waitMs));
      if (signal?.aborted === true) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let set = this.#waiters.get(key);
      if (set === undefined) {
        set = new Set();
        this.#waiters.set(key, set);
      }
      set.add(waiter);
      this.#cursor = this.#cursor === undefined ? observedAt : Math.min(this.#cursor, observedAt);
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#polling || this.#waiters.size === 0) return;
    const delay = this.#pollMs * (0.5 + this.#random());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.#poll();
    }, delay);
  }

  #stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#cursor = undefined;
  }

  async #poll(): Promise<void> {
    const cursor = this.#cursor;
    if (cursor === undefined) return;
    this.#polling = true;
    let changes: readonly { key: string; seq: number }[];
    let seen = cursor;
    try {
      [changes, seen] = await this.#db.read(() => {
        const rows = this.#db
          .statement('SELECT key, seq FROM aic_locks WHERE seq > ? ORDER BY seq')
          .all(cursor) as unknown as { key: string; seq: number }[];
        const state = this.#db.statement('SELECT seq FROM aic_state WHERE id = 1').get() as { seq: number };
        return [rows, state.seq] as const;
      });
    } catch {
      // The store failed (busy past its timeout, rolled back): wake everyone, their own attempt
      // reports the failure.
      changes = [];
      for (const set of this.#waiters.values()) for (const waiter of [...set]) waiter.wake();
    } finally {
      this.#polling = false;
    }
    if (this.#cursor !== undefined) this.#cursor = Math.max(this.#cursor, seen);
    for (const { key, seq } of changes) {
      const set = this.#waiters.get(key);
      if (set === undefined) continue;
      for (const waiter of [...set]) if (seq > waiter.seen) waiter.wake();
    }
    this.#schedule();
  }

  /** Stops every wait (the store is closing): waiters wake and find the store closed. */
  close(): void {
    for (const set of this.#waiters.values()) for (const waiter of [...set]) waiter.wake();
    this.#stop();
  }
}
