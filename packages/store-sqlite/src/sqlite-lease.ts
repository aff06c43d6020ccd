import { randomUUID } from 'node:crypto';
import {
  StoreFailureError,
  abortedError,
  type HeldLease,
  type LeaseRequest,
  type Logger,
} from '@aic/connector-core';
import type { LockWatcher } from './lock-watcher.js';
import type { StoreDatabase, WriteContext } from './store-database.js';

interface LockRow {
  readonly owner: string | null;
  readonly expires_at: number;
  readonly seq: number;
}

type Attempt =
  | { readonly taken: true; readonly brokeLapsed: boolean }
  | { readonly taken: false; readonly seen: number; readonly observedAt: number; readonly expiresAt: number };

/**
 * The cross-process lease of one connection: a row of `aic_locks` holding an owner and an expiry
 * (wall-clock ms: processes on one machine share the clock). Taking it and checking it is free
 * (no row, no owner, or lapsed) happen in one write transaction. A held lease is never renewed:
 * it lapses `ttlMs` after it was taken, and the holder's writes are fenced by record version.
 * Release clears the owner only if it is still ours.
 */
export class SqliteLeases {
  readonly #db: StoreDatabase;
  readonly #watcher: LockWatcher;
  readonly #logger: Logger | undefined;

  constructor(db: StoreDatabase, watcher: LockWatcher, logger: Logger | undefined) {
    this.#db = db;
    this.#watcher = watcher;
    this.#logger = logger;
  }

  async acquire(key: string, request: LeaseRequest): Promise<HeldLease | undefined> {
    const owner = randomUUID();
    const deadline = performance.now() + request.waitMs;
    for (;;) {
      if (request.signal?.aborted === true) throw abortedError({}, request.signal.reason);
      const grantedAt = performance.now();
      // Look first (a read never waits for the write lock): a held lease costs no write.
      const seen = await this.#db.read(() => {
        const row = this.#db
          .statement('SELECT owner, expires_at, seq FROM aic_locks WHERE key = ?')
          .get(key) as LockRow | undefined;
        const state = this.#db.statement('SELECT seq FROM aic_state WHERE id = 1').get() as { seq: number };
        return { row, observedAt: state.seq };
      });
      const attempt: Attempt =
        seen.row !== undefined && seen.row.owner !== null && seen.row.expires_at > Date.now()
          ? { taken: false, seen: seen.row.seq, observedAt: seen.observedAt, expiresAt: seen.row.expires_at }
          : await this.#db.write((tx) => this.#take(tx, key, owner, request.ttlMs), { durable: false });
      if (attempt.taken) {
        if (attempt.brokeLapsed) {
          this.#logger?.log('warn', 'took over a lapsed store lock (its holder crashed or stalled)', {
            store: this.#db.path,
          });
        }
        return this.#held(key, owner, grantedAt);
      }
      const remaining = deadline - performance.now();
      if (remaining <= 0) throw new StoreFailureError('lock_timeout', this.#db.path);
      // Wake when the holder releases, when its lease would lapse, or when our wait is over.
      const lapsesInMs = attempt.expiresAt - Date.now() + 1;
      await this.#watcher.wait(
        key,
        attempt.seen,
        attempt.observedAt,
        Math.min(remaining, Math.max(1, lapsesInMs)),
        request.signal,
      );
      if (request.afterWait !== undefined && (await request.afterWait())) return undefined;
    }
  }

  /** Takes the lease if it is free or lapsed (inside a write transaction). */
  #take(tx: WriteContext, key: string, owner: string, ttlMs: number): Attempt {
    const now = Date.now();
    const row = this.#db.statement('SELECT owner, expires_at, seq FROM aic_locks WHERE key = ?').get(key) as
      LockRow | undefined;
    if (row !== undefined && row.owner !== null && row.expires_at > now) {
      return { taken: false, seen: row.seq, observedAt: tx.seq, expiresAt: row.expires_at };
    }
    this.#db
      .statement(
        'INSERT INTO aic_locks (key, owner, expires_at, seq) VALUES (?, ?, ?, ?) ' +
          'ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, seq = excluded.seq',
      )
      .run(key, owner, now + ttlMs, tx.next());
    return { taken: true, brokeLapsed: row !== undefined && row.owner !== null };
  }

  #held(key: string, owner: string, grantedAt: number): HeldLease {
    return {
      grantedAt,
      release: async () => {
        let released: boolean;
        try {
          released = await this.#db.write(
            (tx) => {
              const row = this.#db.statement('SELECT owner FROM aic_locks WHERE key = ?').get(key) as
                { owner: string | null } | undefined;
              if (row?.owner !== owner) return false;
              this.#db
                .statement('UPDATE aic_locks SET owner = NULL, expires_at = 0, seq = ? WHERE key = ?')
                .run(tx.next(), key);
              return true;
            },
            { durable: false },
          );
        } catch {
          // The lease lapses by its TTL; nothing else to do.
          return;
        }
        if (!released) {
          this.#logger?.log('warn', 'a store lock lapsed while held (the holder stalled past its TTL)', {
            store: this.#db.path,
          });
        }
      },
    };
  }
}
