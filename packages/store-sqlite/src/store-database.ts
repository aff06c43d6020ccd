import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreFailureError, isConnectorError, type Logger } from '@aic/connector-core';
import { SCHEMA_SQL, SQLITE_SCHEMA_VERSION, SQLITE_STORE_FORMAT } from './schema.js';

/** What a write transaction may do with the store-wide counter (`aic_state.seq`). */
export interface WriteContext {
  /** The counter as this transaction found it. */
  readonly seq: number;
  /** The counter's next value: a record version, a pending authorization's or a lock's change. */
  next(): number;
  /** Makes the counter at least `value` (a version brought in from another store). */
  atLeast(value: number): void;
  /** The counter now, after this transaction's `next` and `atLeast` calls. */
  current(): number;
}

/** Operations made on the database, for metrics and the benchmarks. */
export interface StoreOperationCounts {
  /** Read transactions. */
  readonly reads: number;
  /** Write transactions (committed or refused by a fence, without the busy retries). */
  readonly writes: number;
  /** Attempts that found the database locked by another process and were retried. */
  readonly busyRetries: number;
}

export interface StoreDatabaseOptions {
  readonly path: string;
  /** How long an operation retries while another process holds the write lock. */
  readonly busyTimeoutMs: number;
  /** `full`: every record write is on disk (fsync) when it resolves; `normal`: at the next checkpoint. */
  readonly synchronous: 'full' | 'normal';
  readonly logger?: Logger | undefined;
  readonly random: () => number;
}

interface StateRow {
  readonly format: string;
  readonly schema_version: number;
  readonly store_id: string;
  readonly seq: number;
}

const BUSY = Symbol('busy');
/** Busy retries back off from 1 ms to this, with jitter (the event loop is never blocked). */
const MAX_BUSY_DELAY_MS = 25;
/** During the first open only, SQLite's own (blocking) busy handler waits this long. */
const OPEN_BUSY_TIMEOUT_MS = 5_000;

const errorCode = (error: unknown): number | undefined => {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
};

/** SQLITE_BUSY (5) or SQLITE_LOCKED (6): another connection holds a lock; try again later. */
const isBusy = (error: unknown): boolean => {
  const code = errorCode(error);
  return code === 5 || code === 6;
};

/**
 * One `node:sqlite` connection to a store file, shared by the token store, its pending store and
 * the token request limiter of a process.
 *
 * - Opening creates the directory (0700) and the file (0600; SQLite gives its `-wal` and `-shm`
 *   files the same mode), switches to WAL and creates the schema.
 * - Every operation is one transaction run synchronously (nothing else of this process interleaves
 *   with it); writes start with `BEGIN IMMEDIATE`, so the check and the write of a fenced update are
 *   atomic across processes too. When another process holds the write lock, the operation is
 *   retried after a short jittered delay without blocking the event loop, for at most
 *   `busyTimeoutMs` (then `ERR_STORE_FAILURE`, `unavailable`).
 * - Rollback detection: every transaction reads the store-wide counter; lower than a value this
 *   process already saw, a different store id, or the file replaced or removed (another inode at
 *   the path) means the database was rolled back or swapped while the host runs: `rolled_back`,
 *   for every later operation of this process too.
 */
export class StoreDatabase {
  readonly path: string;
  readonly #busyTimeoutMs: number;
  readonly #durable: boolean;
  readonly #logger: Logger | undefined;
  readonly #random: () => number;
  readonly #db: DatabaseSync;
  readonly #statements = new Map<string, StatementSync>();
  readonly #identity: { readonly dev: number; readonly ino: number };
  readonly #storeId: string;
  #highWater: number;
  #synchronousFull: boolean | undefined;
  #rolledBack = false;
  #closed = false;
  #reads = 0;
  #writes = 0;
  #busyRetries = 0;

  constructor(options: StoreDatabaseOptions) {
    this.path = resolve(options.path);
    this.#busyTimeoutMs = options.busyTimeoutMs;
    this.#durable = options.synchronous === 'full';
    this.#logger = options.logger;
    this.#random = options.random;
    try {
      this.#createFile();
      this.#db = new DatabaseSync(this.path);
    } catch (error) {
      throw this.#failure(error);
    }
    try {
      const state = this.#initialize();
      this.#storeId = state.store_id;
      this.#highWater = state.seq;
      const info = statSync(this.path);
      this.#identity = { dev: info.dev, ino: info.ino };
    } catch (error) {
      this.#db.close();
      throw this.#failure(error);
    }
  }

  /** The file gets mode 0600 before SQLite opens it; the directory, when created here, 0700. */
  #createFile(): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    closeSync(openSync(this.path, 'a', 0o600));
    const mode = statSync(this.path).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      chmodSync(this.path, 0o600);
      this.#logger?.log('warn', 'the token store file was readable by other users; its mode is now 0600', {
        store: this.path,
      });
    }
  }

  #initialize(): StateRow {
    const db = this.#db;
    db.exec(`PRAGMA busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
    const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined;
    if (mode?.journal_mode !== 'wal') {
      // A file system without shared memory (some network shares) cannot run WAL safely.
      throw new StoreFailureError('io', this.path);
    }
    db.exec('PRAGMA journal_size_limit = 16777216');
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(SCHEMA_SQL);
      let state = db
        .prepare('SELECT format, schema_version, store_id, seq FROM aic_state WHERE id = 1')
        .get() as StateRow | undefined;
      if (state === undefined) {
        state = {
          format: SQLITE_STORE_FORMAT,
          schema_version: SQLITE_SCHEMA_VERSION,
          store_id: randomUUID(),
          seq: 0,
        };
        db.prepare(
          'INSERT INTO aic_state (id, format, schema_version, store_id, seq) VALUES (1, ?, ?, ?, ?)',
        ).run(state.format, state.schema_version, state.store_id, state.seq);
      }
      if (state.format !== SQLITE_STORE_FORMAT) throw new StoreFailureError('corrupted', this.path);
      if (state.schema_version !== SQLITE_SCHEMA_VERSION) {
        throw new StoreFailureError(
          state.schema_version > SQLITE_SCHEMA_VERSION ? 'unsupported_format' : 'corrupted',
          this.path,
        );
      }
      db.exec('COMMIT');
      return state;
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    } finally {
      db.exec('PRAGMA busy_timeout = 0');
    }
  }

  /** A prepared statement, compiled once per connection. */
  statement(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (statement === undefined) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `work` in one read transaction (a consistent snapshot). */
  read<T>(work: () => T): Promise<T> {
    return this.#retry(() => this.#attempt(false, work));
  }

  /**
   * Runs `work` in one write transaction (`BEGIN IMMEDIATE`): all of it or nothing. An error thrown
   * by `work` rolls it back and passes through. `durable`: on disk when the promise resolves (the
   * store's `synchronous` setting); otherwise a lease or slot row, which a power loss may drop.
   */
  write<T>(work: (context: WriteContext) => T, options: { durable: boolean }): Promise<T> {
    return this.#retry(() => this.#attempt(true, work, options.durable && this.#durable));
  }

  /** Counts of the operations made so far by this process on this store. */
  get operations(): StoreOperationCounts {
    return { reads: this.#reads, writes: this.#writes, busyRetries: this.#busyRetries };
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    this.#db.close();
  }

  async #retry<T>(attempt: () => T | typeof BUSY): Promise<T> {
    const started = performance.now();
    for (let retries = 0; ; retries++) {
      const outcome = attempt();
      if (outcome !== BUSY) return outcome;
      this.#busyRetries++;
      if (performance.now() - started >= this.#busyTimeoutMs) {
        throw new StoreFailureError('unavailable', this.path);
      }
      const ceiling = Math.min(MAX_BUSY_DELAY_MS, 2 ** Math.min(retries, 5));
      await sleep(Math.max(1, ceiling * (0.5 + this.#random() / 2)));
    }
  }

  #attempt<T>(write: boolean, work: (context: WriteContext) => T, durable = false): T | typeof BUSY {
    this.#checkOpen();
    const db = this.#db;
    let open = false;
    try {
      if (write) this.#synchronous(durable);
      db.exec(write ? 'BEGIN IMMEDIATE' : 'BEGIN');
      open = true;
      const state = this.statement(
        'SELECT format, schema_version, store_id, seq FROM aic_state WHERE id = 1',
      ).get() as StateRow | undefined;
      this.#observe(state);
      const start = state!.seq;
      let seq = start;
      const value = work({
        seq: start,
        next: () => ++seq,
        atLeast: (at) => {
          if (at > seq) seq = at;
        },
        current: () => seq,
      });
      if (seq !== start) this.statement('UPDATE aic_state SET seq = ? WHERE id = 1').run(seq);
      db.exec('COMMIT');
      open = false;
      if (seq > this.#highWater) this.#highWater = seq;
      if (write) this.#writes++;
      else this.#reads++;
      return value;
    } catch (error) {
      if (open) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // SQLite already rolled back (an I/O error ends the transaction by itself).
        }
      }
      if (isBusy(error)) return BUSY;
      if (write && isConnectorError(error)) this.#writes++;
      throw this.#failure(error);
    }
  }

  #synchronous(full: boolean): void {
    if (this.#synchronousFull === full) return;
    this.#db.exec(full ? 'PRAGMA synchronous = FULL' : 'PRAGMA synchronous = NORMAL');
    this.#synchronousFull = full;
  }

  #checkOpen(): void {
    if (this.#closed) throw new StoreFailureError('unavailable', this.path);
    if (this.#rolledBack) throw new StoreFailureError('rolled_back', this.path);
    let info;
    try {
      info = statSync(this.path);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT')
        throw new StoreFailureError('io', this.path, { cause: error });
    }
    // Removed or replaced by another file: this connection would go on with a file nobody sees.
    if (info === undefined || info.dev !== this.#identity.dev || info.ino !== this.#identity.ino) {
      this.#rollback('the store file was removed or replaced');
    }
  }

  #observe(state: StateRow | undefined): void {
    if (state === undefined) throw new StoreFailureError('corrupted', this.path);
    if (state.store_id !== this.#storeId) this.#rollback('the store holds another store id');
    if (state.seq < this.#highWater) this.#rollback('the store write counter went back');
  }

  #rollback(what: string): never {
    if (!this.#rolledBack) {
      this.#rolledBack = true;
      this.#logger?.log('error', `${what}: the token store was rolled back or replaced while in use`, {
        store: this.path,
      });
    }
    throw new StoreFailureError('rolled_back', this.path);
  }

  /** The typed error for anything a store operation threw. */
  #failure(error: unknown): Error {
    if (isConnectorError(error)) return error;
    const code = errorCode(error);
    // SQLITE_CORRUPT (11), SQLITE_NOTADB (26): not a database this store can read.
    if (code === 11 || code === 26) return new StoreFailureError('corrupted', this.path, { cause: error });
    return new StoreFailureError('io', this.path, { cause: error });
  }
}
