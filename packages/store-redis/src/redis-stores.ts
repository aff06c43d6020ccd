import { setTimeout as sleep } from 'node:timers/promises';
import {
  LeasedKeyLock,
  RecordCipher,
  StoreFailureError,
  decodeConnectionRecord,
  decodePendingAuthorization,
  isStoreFailure,
  systemClock,
  type Clock,
  type ConnectionRecord,
  type LockOptions,
  type Logger,
  type PendingAuthorization,
  type PendingAuthorizationStore,
  type SealedRecord,
  type StoreKeys,
  type TokenStore,
} from '@aic/connector-core';
import { RedisCommands, replyText, type RedisCommandClient } from './redis-commands.js';
import { RedisLease } from './redis-lease.js';

export interface RedisStoreOptions {
  /** Prepended to every key this store touches. Default `aic:`. */
  readonly keyPrefix?: string | undefined;
  /**
   * Encrypt records at rest (AES-256-GCM, record key as AAD), with the same keys and rotation
   * rules as the encrypted file store. Without keys, records are plain JSON: protect Redis
   * (ACLs, TLS, no public bind) accordingly.
   */
  readonly keys?: StoreKeys | undefined;
  /** Bound of one Redis command (ms). Default 2 000. */
  readonly commandTimeoutMs?: number | undefined;
  /**
   * How long `set` and `delete` keep retrying while Redis is unreachable (ms), so that a refresh
   * token rotated just before an outage still reaches the store once Redis is back. Default 10 000.
   */
  readonly writeRetryMs?: number | undefined;
  /** Used for pending-authorization TTLs. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Extra time a pending authorization is kept after it expires, so a late callback reads "expired". Default 10 min. */
  readonly pendingGraceMs?: number | undefined;
  /** Receives lock warnings; never secrets. */
  readonly logger?: Logger | undefined;
  /** Uniform [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

const isSealed = (value: unknown): value is SealedRecord & { v: number } =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as Record<string, unknown>)['kid'] === 'string' &&
  typeof (value as Record<string, unknown>)['data'] === 'string';

/** JSON values, optionally sealed, under one key space. Shared by both Redis stores. */
export class RedisRecords {
  readonly commands: RedisCommands;
  readonly prefix: string;
  readonly #cipher: RecordCipher | undefined;

  constructor(client: RedisCommandClient, options: RedisStoreOptions) {
    this.prefix = options.keyPrefix ?? 'aic:';
    this.commands = new RedisCommands(client, {
      timeoutMs: options.commandTimeoutMs ?? 2_000,
      where: `redis ${this.prefix}*`,
    });
    this.#cipher = options.keys === undefined ? undefined : new RecordCipher(options.keys);
  }

  key(kind: 'token' | 'lock' | 'pending', key: string): string {
    return `${this.prefix}${kind}:${key}`;
  }

  encode(kind: 'token' | 'pending', key: string, value: unknown): string {
    if (this.#cipher === undefined) return JSON.stringify(value);
    return JSON.stringify({ v: 1, ...this.#cipher.seal(this.#context(kind, key), value) });
  }

  decode<T>(
    kind: 'token' | 'pending',
    key: string,
    reply: unknown,
    check: (value: unknown, where: string) => T,
  ): T | undefined {
    const raw = replyText(reply);
    if (raw === null) return undefined;
    const where = this.commands.where;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new StoreFailureError('corrupted', where);
    }
    if (this.#cipher !== undefined) {
      if (!isSealed(parsed)) throw new StoreFailureError('corrupted', where);
      return check(this.#cipher.open(this.#context(kind, key), parsed, where), where);
    }
    // An encrypted record read without keys: the configuration lost its keys.
    if (isSealed(parsed)) throw new StoreFailureError('wrong_key', where);
    return check(parsed, where);
  }

  #context(kind: string, key: string): string {
    return `aic-redis/v1\u0000${kind}\u0000${key}`;
  }
}

/**
 * A {@link TokenStore} in Redis, for hosts on several machines. Key layout (prefix `aic:`):
 * `aic:token:<key>` (the connection record, JSON), `aic:lock:<key>` (the refresh lock: a random
 * owner token with a TTL), `aic:pending:<key>` (see {@link RedisPendingAuthorizationStore}).
 *
 * `withLock` is exclusive across every process sharing the Redis server: an in-process mutex in
 * front of a Redis lease (`SET NX PX`, renewed while held, released only by its owner). The
 * engine re-reads the record after taking it, so a refresh happens once across all instances.
 * Every failure is `ERR_STORE_FAILURE` (or `ERR_ABORTED`): never an empty answer.
 */
export class RedisTokenStore implements TokenStore {
  /** Pending authorizations in the same Redis, under the same prefix. */
  readonly pending: RedisPendingAuthorizationStore;
  readonly #records: RedisRecords;
  readonly #lock: LeasedKeyLock;
  readonly #writeRetryMs: number;
  readonly #random: () => number;

  /** @param client a connected node-redis client (the host creates, connects and closes it). */
  constructor(client: RedisCommandClient, options: RedisStoreOptions = {}) {
    this.#records = new RedisRecords(client, options);
    this.#random = options.random ?? Math.random;
    this.#writeRetryMs = options.writeRetryMs ?? 10_000;
    const lease = new RedisLease(this.#records.commands, { random: this.#random, logger: options.logger });
    this.#lock = new LeasedKeyLock({
      acquire: (key, request) => lease.acquire(this.#records.key('lock', key), request),
      where: this.#records.commands.where,
    });
    this.pending = new RedisPendingAuthorizationStore(this.#records, options);
  }

  async get(key: string): Promise<ConnectionRecord | undefined> {
    const reply = await this.#records.commands.send(['GET', this.#records.key('token', key)]);
    return this.#records.decode('token', key, reply, decodeConnectionRecord);
  }

  /** Resolves once Redis acknowledged the write (its durability is the server's persistence setting). */
  async set(key: string, record: ConnectionRecord): Promise<void> {
    const value = this.#records.encode('token', key, record);
    await this.#write(['SET', this.#records.key('token', key), value]);
  }

  async delete(key: string): Promise<void> {
    await this.#write(['DEL', this.#records.key('token', key)]);
  }

  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T> {
    return this.#lock.run(key, fn, options);
  }

  /** Retries a write while Redis is unreachable, with capped jittered backoff, for `writeRetryMs`. */
  async #write(args: readonly string[]): Promise<void> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#records.commands.send(args);
        return;
      } catch (error) {
        const delay = Math.min(1_000, 50 * 2 ** attempt) * (0.5 + this.#random() / 2);
        const retryable = isStoreFailure(error) && error.reason === 'unavailable';
        if (!retryable || Date.now() - started + delay > this.#writeRetryMs) throw error;
        await sleep(delay);
      }
    }
  }
}

/**
 * Pending authorizations in Redis: `aic:pending:<key>` with a `PX` TTL (expiry plus a grace
 * period), and `take` as one atomic `GETDEL` (Redis ≥ 6.2), so a state is usable once across
 * all instances. Obtain it from {@link RedisTokenStore.pending}.
 */
export class RedisPendingAuthorizationStore implements PendingAuthorizationStore {
  readonly #records: RedisRecords;
  readonly #clock: Clock;
  readonly #graceMs: number;

  /** @internal Use {@link RedisTokenStore.pending}. */
  constructor(records: RedisRecords, options: RedisStoreOptions) {
    this.#records = records;
    this.#clock = options.clock ?? systemClock;
    this.#graceMs = options.pendingGraceMs ?? 10 * 60_000;
  }

  async put(key: string, pending: PendingAuthorization): Promise<void> {
    const ttl = Math.max(1, Math.ceil(pending.expiresAt + this.#graceMs - this.#clock.now()));
    const value = this.#records.encode('pending', key, pending);
    await this.#records.commands.send(['SET', this.#records.key('pending', key), value, 'PX', String(ttl)]);
  }

  async take(key: string): Promise<PendingAuthorization | undefined> {
    const reply = await this.#records.commands.send(['GETDEL', this.#records.key('pending', key)]);
    return this.#records.decode('pending', key, reply, decodePendingAuthorization);
  }
}
