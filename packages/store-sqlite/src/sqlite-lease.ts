import { randomUUID } from 'node:crypto';
import {
  StoreFailureError,
  abortedError,
  reauthorizationError,
  type ErrorContext,
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

/** The lease this process holds on a key, and what it did under it. */
interface Hold {
  readonly owner: string;
  /** The holder recorded a refresh-token spend (`spendGrant`). */
  spent: boolean;
  /** A write of the key failed under this hold: a rotated grant may only be in memory. */
  writeFailed: boolean;
}

/** The connector and connection of a store key (`connectorId␟connectionId`), for errors and logs. */
export function contextOf(key: string): ErrorContext {
  const parts = key.split('\u001f');
  return parts.length === 2 ? { connectorId: parts[0], connectionId: parts[1] } : {};
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
 *
 * Grant spends (`Lease.spendGrant`): right before a refresh token is sent, the holder records the
 * spend in `aic_spends` (durably). Any write of the key's record clears it; so does a release while
 * the lease still holds and no write failed. A spend left by a holder that vanished — killed, or
 * stalled past its lease — refuses every later holder's spend, so that refresh token is never sent
 * twice: `ERR_STORE_FAILURE` (`lock_timeout`) for `interruptedRefreshMs` after it was recorded (the
 * stalled holder may still come back and store its answer), then `ERR_REAUTHORIZATION_REQUIRED`
 * (`refresh_interrupted`), which the engine stores.
 */
export class SqliteLeases {
  readonly #db: StoreDatabase;
  readonly #watcher: LockWatcher;
  readonly #logger: Logger | undefined;
  readonly #interruptedMs: number;
  readonly #holds = new Map<string, Hold>();

  constructor(
    db: StoreDatabase,
    watcher: LockWatcher,
    options: { readonly logger: Logger | undefined; readonly interruptedRefreshMs: number },
  ) {
    this.#db = db;
    this.#watcher = watcher;
    this.#logger = options.logger;
    this.#interruptedMs = options.interruptedRefreshMs;
  }

  /**
   * Records that the holder of `key` (this process) is about to send the stored refresh token.
   * Rejects, and the caller sends nothing, when the lease is no longer ours (`lease_lapsed`) or an
   * earlier holder's spend of the grant is unresolved (see the class comment).
   */
  async spend(key: string): Promise<void> {
    const hold = this.#holds.get(key);
    if (hold === undefined) throw new StoreFailureError('lease_lapsed', this.#db.path);
    const earlier = await this.#db.write(
      () => {
        const now = Date.now();
        const lock = this.#db.statement('SELECT owner, expires_at FROM aic_locks WHERE key = ?').get(key) as
          { owner: string | null; expires_at: number } | undefined;
        if (lock?.owner !== hold.owner || lock.expires_at <= now) {
          throw new StoreFailureError('lease_lapsed', this.#db.path);
        }
        const spend = this.#db.statement('SELECT owner, spent_at FROM aic_spends WHERE key = ?').get(key) as
          { owner: string; spent_at: number } | undefined;
        if (spend !== undefined && spend.owner !== hold.owner) return now - spend.spent_at;
        const version = this.#db.statement('SELECT version FROM aic_records WHERE key = ?').get(key) as
          { version: number } | undefined;
        this.#db
          .statement(
            'INSERT INTO aic_spends (key, owner, spent_at, version) VALUES (?, ?, ?, ?) ' +
              'ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, spent_at = excluded.spent_at, version = excluded.version',
          )
          .run(key, hold.owner, now, version?.version ?? null);
        return undefined;
      },
      { durable: true },
    );
    if (earlier === undefined) {
      hold.spent = true;
      return;
    }
    const lost = earlier >= this.#interruptedMs;
    this.#logger?.log(
      'warn',
      'an earlier holder sent this refresh token and vanished before storing the answer; not sending it again',
      { ...contextOf(key), ageMs: earlier, givingUp: lost },
    );
    if (lost) throw reauthorizationError(contextOf(key), 'refresh_interrupted');
    throw new StoreFailureError('lock_timeout', this.#db.path);
  }

  /** A write of `key` failed while this process holds its lease: its spend must outlive the release. */
  noteWriteFailure(key: string): void {
    const hold = this.#holds.get(key);
    if (hold !== undefined) hold.writeFailed = true;
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
        this.#holds.set(key, { owner, spent: false, writeFailed: false });
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
        const hold = this.#holds.get(key);
        if (hold?.owner === owner) this.#holds.delete(key);
        let released: boolean;
        try {
          released = await this.#db.write(
            (tx) => {
              const row = this.#db
                .statement('SELECT owner, expires_at FROM aic_locks WHERE key = ?')
                .get(key) as { owner: string | null; expires_at: number } | undefined;
              if (row?.owner !== owner) return false;
              // Released in time after a handled failure: the spent refresh token may be sent again.
              // Left in place when the lease lapsed (the holder stalled) or a write failed.
              if (hold?.spent === true && !hold.writeFailed && row.expires_at > Date.now()) {
                this.#db.statement('DELETE FROM aic_spends WHERE key = ? AND owner = ?').run(key, owner);
              }
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
