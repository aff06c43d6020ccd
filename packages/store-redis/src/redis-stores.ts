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
  StoreConflictError,
  type ConnectionRecord,
  type Lease,
  type LockOptions,
  type Logger,
  type PendingAuthorization,
  type PendingAuthorizationStore,
  type SealedRecord,
  type StoreKeys,
  type TokenStore,
  type WriteOptions,
} from '@aic/connector-core';
import { RedisCommands, RedisScript, replyText, type RedisCommandClient } from './redis-commands.js';
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

  key(kind: 'token' | 'version' | 'lock' | 'pending' | 'pending-index', key: string): string {
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
 * The fencing check of a write (KEYS: record, version counter; ARGV[1]: `''` unconditional,
 * `absent`, or the expected version). The counter is never deleted, so versions never repeat.
 */
const FENCE =
  "local exists = redis.call('EXISTS', KEYS[1]) " +
  "if ARGV[1] == 'absent' then if exists == 1 then return -1 end " +
  "elseif ARGV[1] ~= '' then if exists == 0 or redis.call('GET', KEYS[2]) ~= ARGV[1] then return -1 end end ";
const FENCED_SET = new RedisScript(
  `${FENCE}local v = redis.call('INCR', KEYS[2]) redis.call('SET', KEYS[1], ARGV[2]) return v`,
);
const FENCED_DELETE = new RedisScript(`${FENCE}redis.call('DEL', KEYS[1]) return 0`);

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

  /** The record, with its version from the version counter (read in the same round trip). */
  async get(key: string): Promise<ConnectionRecord | undefined> {
    const reply = await this.#records.commands.send([
      'MGET',
      this.#records.key('token', key),
      this.#records.key('version', key),
    ]);
    const [value, version] = Array.isArray(reply) ? (reply as unknown[]) : [null, null];
    const record = this.#records.decode('token', key, value, decodeConnectionRecord);
    if (record === undefined) return undefined;
    const number = Number(replyText(version));
    return Number.isSafeInteger(number) && number > 0 ? { ...record, version: number } : record;
  }

  /**
   * Resolves once Redis acknowledged the write (its durability is the server's persistence
   * setting). Check and write are one script, so a fenced write never lands over a newer record.
   */
  async set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    const { version: _ignored, ...stored } = record;
    const value = this.#records.encode('token', key, stored);
    await this.#fenced(FENCED_SET, key, options, [value]);
  }

  async delete(key: string, options?: WriteOptions): Promise<void> {
    await this.#fenced(FENCED_DELETE, key, options, []);
  }

  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T> {
    return this.#lock.run(key, fn, options);
  }

  async #fenced(
    script: RedisScript,
    key: string,
    options: WriteOptions | undefined,
    args: string[],
  ): Promise<void> {
    const expected = options?.ifVersion === undefined ? '' : String(options.ifVersion);
    const reply = await this.#write(() =>
      this.#records.commands.script(
        script,
        [this.#records.key('token', key), this.#records.key('version', key)],
        [expected, ...args],
      ),
    );
    if (reply === -1) throw new StoreConflictError(this.#records.commands.where);
  }

  /** Retries a write while Redis is unreachable, with capped jittered backoff, for `writeRetryMs`. */
  async #write(send: () => Promise<unknown>): Promise<unknown> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return await send();
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
    const index = this.#records.key('pending-index', `${pending.connectorId}\u001f${pending.connectionId}`);
    await this.#records.commands.send(['SADD', index, key]);
    await this.#records.commands.send(['PEXPIRE', index, String(ttl)]);
  }

  async take(key: string): Promise<PendingAuthorization | undefined> {
    const reply = await this.#records.commands.send(['GETDEL', this.#records.key('pending', key)]);
    return this.#records.decode('pending', key, reply, decodePendingAuthorization);
  }

  /** Drops the connection's pending authorizations, found through its index set. */
  async forgetConnection(connectorId: string, connectionId: string): Promise<number> {
    const index = this.#records.key('pending-index', `${connectorId}\u001f${connectionId}`);
    const members = await this.#records.commands.send(['SMEMBERS', index]);
    const keys = Array.isArray(members) ? members.map((member) => replyText(member) ?? '') : [];
    if (keys.length === 0) return 0;
    const dropped = await this.#records.commands.send([
      'DEL',
      ...keys.map((key) => this.#records.key('pending', key)),
    ]);
    await this.#records.commands.send(['DEL', index]);
    return Number(dropped);
  }
}
