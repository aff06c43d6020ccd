import { resolve } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreFailureError, isConnectorError, type Logger } from '@aic/connector-core';
import { isBusy, openStoreFile, storeFailure, type StateRow } from './sqlite-file.js';

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
  /** Writes (a record, a pending authorization, a lease, a slot), committed or refused by a fence. */
  readonly writes: number;
  /** Write transactions committed (writes made together share one, and one fsync). */
  readonly transactions: number;
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

const BUSY = Symbol('busy');

interface QueuedWrite {
  readonly work: (context: WriteContext) => unknown;
  readonly durable: boolean;
  readonly queuedAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}
/** Busy retries back off from 1 ms to this, with jitter (the event loop is never blocked). */
const MAX_BUSY_DELAY_MS = 16;
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
  #transactions = 0;
  #queue: QueuedWrite[] = [];
  #draining = false;
  #busyRetries = 0;

  constructor(options: StoreDatabaseOptions) {
    this.path = resolve(options.path);
    this.#busyTimeoutMs = options.busyTimeoutMs;
    this.#durable = options.synchronous === 'full';
    this.#logger = options.logger;
    this.#random = options.random;
    const opened = openStoreFile(this.path, options.logger);
    this.#db = opened.db;
    this.#storeId = opened.state.store_id;
    this.#highWater = opened.state.seq;
    this.#identity = opened.identity;
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
  async read<T>(work: () => T): Promise<T> {
    const started = performance.now();
    for (let retries = 0; ; retries++) {
      const outcome = this.#readAttempt(work);
      if (outcome !== BUSY) return outcome;
      await this.#backOff(started, retries);
    }
  }

  /**
   * Runs `work` in a write transaction (`BEGIN IMMEDIATE`): all of it or nothing. An error thrown
   * by `work` undoes its changes and passes through. `durable`: on disk when the promise resolves
   * (the store's `synchronous` setting); otherwise a lease or slot row, which a power loss may drop.
   *
   * Group commit: writes requested while a transaction is being attempted are committed together in
   * the next one, each inside its own savepoint (one write's error undoes only its own changes),
   * with one fsync for all. Each caller hears back once the transaction holding its write committed.
   */
  write<T>(work: (context: WriteContext) => T, options: { durable: boolean }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({
        work,
        durable: options.durable && this.#durable,
        queuedAt: performance.now(),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!this.#draining) {
        this.#draining = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  /** Counts of the operations made so far by this process on this store. */
  get operations(): StoreOperationCounts {
    return {
      reads: this.#reads,
      writes: this.#writes,
      transactions: this.#transactions,
      busyRetries: this.#busyRetries,
    };
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

  async #backOff(started: number, retries: number): Promise<void> {
    this.#busyRetries++;
    if (performance.now() - started >= this.#busyTimeoutMs)
      throw new StoreFailureError('unavailable', this.path);
    const ceiling = Math.min(MAX_BUSY_DELAY_MS, 2 ** Math.min(retries, 4));
    await sleep(Math.max(1, ceiling * (0.5 + this.#random() / 2)));
  }

  async #drain(): Promise<void> {
    let batch: QueuedWrite[] = [];
    for (let retries = 0; ;) {
      batch = batch.concat(this.#queue.splice(0));
      if (batch.length === 0) break;
      // Leases and slots first, in their own transaction: they never wait for a record's fsync.
      const light = batch.filter((item) => !item.durable);
      const part = light.length > 0 && light.length < batch.length ? light : batch;
      const outcome = this.#writeAttempt(part);
      if (outcome !== BUSY) {
        batch = part === batch ? [] : batch.filter((item) => item.durable);
        retries = 0;
        continue;
      }
      this.#busyRetries++;
      const now = performance.now();
      // Writes that waited longer than the busy timeout give up; the others try again.
      batch = batch.filter((item) => {
        if (now - item.queuedAt < this.#busyTimeoutMs) return true;
        item.reject(new StoreFailureError('unavailable', this.path));
        return false;
      });
      const ceiling = Math.min(MAX_BUSY_DELAY_MS, 2 ** Math.min(retries++, 4));
      await sleep(Math.max(1, ceiling * (0.5 + this.#random() / 2)));
    }
    this.#draining = false;
  }

  #readAttempt<T>(work: () => T): T | typeof BUSY {
    this.#checkOpen();
    const db = this.#db;
    let open = false;
    try {
      db.exec('BEGIN');
      open = true;
      this.#observe(this.#state());
      const value = work();
      db.exec('COMMIT');
      open = false;
      this.#reads++;
      return value;
    } catch (error) {
      if (open) this.#rollbackQuietly();
      if (isBusy(error)) return BUSY;
      throw this.#failure(error);
    }
  }

  /** One transaction for every write of `batch`; settles each of them unless the database was busy. */
  #writeAttempt(batch: readonly QueuedWrite[]): typeof BUSY | undefined {
    const db = this.#db;
    let open = false;
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    let seq = 0;
    try {
      this.#checkOpen();
      this.#synchronous(batch.some((item) => item.durable));
      db.exec('BEGIN IMMEDIATE');
      open = true;
      const state = this.#state();
      this.#observe(state);
      const start = state!.seq;
      seq = start;
      const context: WriteContext = {
        seq: start,
        next: () => ++seq,
        atLeast: (at) => {
          if (at > seq) seq = at;
        },
        current: () => seq,
      };
      for (const item of batch) {
        const before = seq;
        db.exec('SAVEPOINT aic_write');
        try {
          outcomes.push({ ok: true, value: item.work(context) });
        } catch (error) {
          if (!isConnectorError(error)) throw error; // a database failure ends the whole transaction
          db.exec('ROLLBACK TO aic_write');
          seq = before;
          outcomes.push({ ok: false, error });
        }
        db.exec('RELEASE aic_write');
      }
      if (seq !== start) this.statement('UPDATE aic_state SET seq = ? WHERE id = 1').run(seq);
      db.exec('COMMIT');
      open = false;
    } catch (error) {
      if (open) this.#rollbackQuietly();
      if (isBusy(error)) return BUSY;
      const failure = this.#failure(error);
      for (const item of batch) item.reject(failure);
      return undefined;
    }
    if (seq > this.#highWater) this.#highWater = seq;
    this.#transactions++;
    this.#writes += batch.length;
    batch.forEach((item, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) item.resolve(outcome.value);
      else item.reject(outcome.error);
    });
    return undefined;
  }

  #state(): StateRow | undefined {
    return this.statement(
      'SELECT format, schema_version, store_id, seq FROM aic_state WHERE id = 1',
    ).get() as StateRow | undefined;
  }

  #rollbackQuietly(): void {
    try {
      this.#db.exec('ROLLBACK');
    } catch {
      // SQLite already rolled back (an I/O error ends the transaction by itself).
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

  #failure(error: unknown): Error {
    return storeFailure(error, this.path);
  }
}
