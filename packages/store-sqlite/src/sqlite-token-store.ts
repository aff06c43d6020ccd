import {
  LeasedKeyLock,
  RecordCipher,
  StoreConflictError,
  isStoreConflict,
  systemClock,
  type Clock,
  type ConnectionRecord,
  type Lease,
  type LockOptions,
  type Logger,
  type StoreKeys,
  type TokenStore,
  type WriteOptions,
} from '@aic/connector-core';
import { LockWatcher } from './lock-watcher.js';
import {
  importSnapshot,
  type ImportOptions,
  type ImportResult,
  type StoreSnapshot,
} from './sqlite-import.js';
import { putPendingRow, putRecordRow, RowCipher, type PendingRow, type RecordRow } from './sealed-rows.js';
import { SqliteLeases } from './sqlite-lease.js';
import { SqlitePendingAuthorizationStore } from './sqlite-pending-store.js';
import { StoreDatabase, type StoreOperationCounts } from './store-database.js';

export interface SqliteStoreOptions {
  /** The database file. It and its directory are created (modes 0600 and 0700) when missing. */
  readonly path: string;
  /** Supplied by the host (key file, secret manager, environment read by the host or CLI). */
  readonly keys: StoreKeys;
  /** Used to sweep expired pending authorizations. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Receives lock, cap and rollback warnings. Never given secrets. */
  readonly logger?: Logger | undefined;
  /**
   * How long a pending authorization is kept after it expires, so a late callback is told
   * "expired" rather than "unknown". Default 10 minutes.
   */
  readonly pendingGraceMs?: number | undefined;
  /**
   * Pending authorizations kept per connection (started and not yet completed); starting one more
   * drops the oldest. Default 10.
   */
  readonly maxPendingPerConnection?: number | undefined;
  /**
   * `full` (default): a record write is on disk (fsync of the WAL) when it resolves — a rotated
   * refresh token survives a power loss. `normal`: on disk at the next checkpoint; a power loss
   * (not a process crash) may drop the last writes.
   */
  readonly synchronous?: 'full' | 'normal' | undefined;
  /** How long an operation waits while other processes hold the database's write lock. Default 10 s. */
  readonly busyTimeoutMs?: number | undefined;
  /**
   * How long a refresh token sent by a lease holder that vanished before storing the answer blocks
   * the other holders (`ERR_STORE_FAILURE`, `lock_timeout`) before the connection is marked
   * `reauthorization_required` (`refresh_interrupted`) — the token is never sent twice. Default 120 000.
   */
  readonly interruptedRefreshMs?: number | undefined;
  /** How often a process waiting for another process's lock looks for its release (ms). Default 10. */
  readonly lockPollMs?: number | undefined;
  /** Uniform [0, 1) for retry jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

const DEFAULT_PENDING_GRACE_MS = 10 * 60_000;
const DEFAULT_MAX_PENDING_PER_CONNECTION = 10;
/** Rows re-sealed per transaction by `rotateKeys` (other processes write between batches). */
const ROTATION_BATCH = 200;

const internals = new WeakMap<SqliteTokenStore, StoreDatabase>();

/** @internal The database of a store, for the limiter that shares it. */
export function databaseOf(store: SqliteTokenStore): StoreDatabase {
  const db = internals.get(store);
  if (db === undefined) throw new TypeError('not a SqliteTokenStore');
  return db;
}

/**
 * The default durable {@link TokenStore}: one SQLite database file (`node:sqlite`, built into Node:
 * no dependency, no native build) shared by every process of a host on one machine.
 *
 * - One row per connection record, sealed with AES-256-GCM; the key and the record version are
 *   the associated data. `get` is one primary-key read and `set` one small write transaction:
 *   the cost of an operation does not depend on how many connections the store holds.
 * - Versions come from a store-wide counter, so they only grow (also across a delete), and
 *   `set`/`delete` with `{ ifVersion }` check and write in one `BEGIN IMMEDIATE` transaction:
 *   a writer whose lease lapsed never overwrites a newer record (`ERR_STORE_CONFLICT`).
 * - `withLock(key)` is exclusive across processes: an in-process queue, then a lease row in
 *   `aic_locks` that lapses at `ttlMs` and is never renewed.
 * - A database rolled back (a restored copy, a replaced file) while this process runs is refused
 *   with `rolled_back`.
 *
 * Bind it with its pending store (and, to share one token request limit between processes, a
 * `SqliteTokenRequestLimiter` on it); call {@link close} on shutdown.
 */
export class SqliteTokenStore implements TokenStore {
  /** Pending authorizations in the same database. */
  readonly pending: SqlitePendingAuthorizationStore;
  readonly #db: StoreDatabase;
  readonly #rows: RowCipher;
  readonly #lock: LeasedKeyLock;
  readonly #leases: SqliteLeases;
  readonly #watcher: LockWatcher;

  constructor(options: SqliteStoreOptions) {
    const random = options.random ?? Math.random;
    const cipher = new RecordCipher(options.keys);
    this.#db = new StoreDatabase({
      path: options.path,
      busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
      synchronous: options.synchronous ?? 'full',
      logger: options.logger,
      random,
    });
    internals.set(this, this.#db);
    this.#rows = new RowCipher(cipher, this.#db.path);
    this.#watcher = new LockWatcher(this.#db, { pollMs: options.lockPollMs ?? 10, random });
    const leases = new SqliteLeases(this.#db, this.#watcher, {
      logger: options.logger,
      interruptedRefreshMs: options.interruptedRefreshMs ?? 120_000,
    });
    this.#leases = leases;
    this.#lock = new LeasedKeyLock({
      acquire: (key, request) => leases.acquire(key, request),
      where: this.#db.path,
    });
    this.pending = new SqlitePendingAuthorizationStore(this.#db, this.#rows, {
      clock: options.clock ?? systemClock,
      logger: options.logger,
      graceMs: options.pendingGraceMs ?? DEFAULT_PENDING_GRACE_MS,
      maxPerConnection: Math.max(
        1,
        Math.floor(options.maxPendingPerConnection ?? DEFAULT_MAX_PENDING_PER_CONNECTION),
      ),
    });
  }

  /** Absolute path of the database file. */
  get path(): string {
    return this.#db.path;
  }

  /** Read and write transactions this process made on the store (for metrics). */
  get operations(): StoreOperationCounts {
    return this.#db.operations;
  }

  async get(key: string): Promise<ConnectionRecord | undefined> {
    const row = await this.#db.read(
      () =>
        this.#db.statement('SELECT version, kid, iv, data, tag FROM aic_records WHERE key = ?').get(key) as
          RecordRow | undefined,
    );
    return row === undefined ? undefined : this.#rows.openRecord(key, row);
  }

  /**
   * Durable when it resolves (with the default `synchronous: 'full'`). The record gets the next
   * value of the store-wide counter as its version.
   */
  async set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    try {
      await this.#db.write(
        (tx) => {
          const current = this.#fence(key, options);
          if (current !== undefined) tx.atLeast(current);
          const version = tx.next();
          putRecordRow(this.#db, key, version, this.#rows.sealRecord(key, version, record));
          // A new state of the record resolves a spend of the previous grant.
          this.#db.statement('DELETE FROM aic_spends WHERE key = ?').run(key);
        },
        { durable: true },
      );
    } catch (error) {
      // A rotated grant may now exist only in memory: its spend must outlive the lease.
      if (!isStoreConflict(error)) this.#leases.noteWriteFailure(key);
      throw error;
    }
  }

  delete(key: string, options?: WriteOptions): Promise<void> {
    return this.#db.write(
      (tx) => {
        if (this.#fence(key, options) === undefined) return;
        this.#db.statement('DELETE FROM aic_records WHERE key = ?').run(key);
        this.#db.statement('DELETE FROM aic_spends WHERE key = ?').run(key);
        tx.next();
      },
      { durable: true },
    );
  }

  /**
   * Exclusive across processes. The `Lease` given to `fn` lapses at `ttlMs` (never renewed) and
   * has `spendGrant()`: the engine calls it right before a refresh token is sent, and a refresh
   * token sent by a holder that vanished is never sent again (see `interruptedRefreshMs`).
   */
  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T> {
    return this.#lock.run(
      key,
      (lease) =>
        fn({
          signal: lease.signal,
          remainingMs: () => lease.remainingMs(),
          spendGrant: () => this.#leases.spend(key),
        }),
      options,
    );
  }

  /** The stored version of `key` (inside a write transaction), after checking a fenced write. */
  #fence(key: string, options: WriteOptions | undefined): number | undefined {
    const row = this.#db.statement('SELECT version FROM aic_records WHERE key = ?').get(key) as
      { version: number } | undefined;
    const expected = options?.ifVersion;
    if (expected !== undefined && (row?.version ?? 'absent') !== expected) {
      throw new StoreConflictError(this.#db.path);
    }
    return row?.version;
  }

  /**
   * Re-encrypts, with the current key, every record and pending authorization sealed with another
   * one, a batch of rows per transaction (versions unchanged). Returns how many rows were
   * re-encrypted; afterwards the previous keys can be removed from the configuration. A row no
   * configured key opens fails it with `wrong_key`.
   */
  async rotateKeys(): Promise<number> {
    const current = this.#rows.currentKeyId;
    let total = 0;
    for (;;) {
      const count = await this.#db.write(
        () => {
          const records = this.#db
            .statement(
              `SELECT key, version, kid, iv, data, tag FROM aic_records WHERE kid < ? OR kid > ? LIMIT ${ROTATION_BATCH}`,
            )
            .all(current, current) as unknown as (RecordRow & { key: string })[];
          for (const row of records) {
            const record = this.#rows.openRecord(row.key, row);
            putRecordRow(this.#db, row.key, row.version, this.#rows.sealRecord(row.key, row.version, record));
          }
          const pending = this.#db
            .statement(
              `SELECT key, connector_id, connection_id, seq, kid, iv, data, tag FROM aic_pending WHERE kid < ? OR kid > ? LIMIT ${ROTATION_BATCH}`,
            )
            .all(current, current) as unknown as PendingRow[];
          for (const row of pending) {
            const value = this.#rows.openPending(row);
            putPendingRow(this.#db, row.key, row.seq, value, this.#rows.sealPending(row.key, row.seq, value));
          }
          return records.length + pending.length;
        },
        { durable: true },
      );
      total += count;
      if (count === 0) return total;
    }
  }

  /**
   * Copies another store's content in (`aic store migrate`): one durable transaction, idempotent
   * per snapshot fingerprint, refusing a non-empty store unless `overwrite` (see {@link ImportResult}).
   */
  importSnapshot(snapshot: StoreSnapshot, options: ImportOptions): Promise<ImportResult> {
    return importSnapshot(this.#db, this.#rows, snapshot, options);
  }

  /** Closes the database. Waiting lock callers wake and fail; later calls fail with `unavailable`. */
  close(): void {
    this.#watcher.close();
    this.#db.close();
  }
}
