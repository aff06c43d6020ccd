import { setTimeout as sleep } from 'node:timers/promises';
import {
  StoreConflictError,
  decodeConnectionRecord,
  isStoreFailure,
  type Clock,
  type ConnectionRecord,
  type Lease,
  type LockOptions,
  type Logger,
  type TokenStore,
  type WriteOptions,
} from '@aic/connector-core';
import { KeyLayout } from './key-layout.js';
import { RecordCodec, type RecordProtection } from './record-codec.js';
import { RedisCommands, hashFields, replyArray } from './redis-commands.js';
import { redisConnection, type RedisConnection, type RedisLike } from './redis-connection.js';
import { RedisLock } from './redis-lock.js';
import { RedisPendingAuthorizationStore } from './redis-pending-store.js';
import { WRITE } from './scripts.js';
import { WakeHub, type WakeUp } from './wake-hub.js';

export interface RedisStoreOptions extends RecordProtection {
  /** Prepended to every key and channel (no `{` or `}`). Default `aic:`. */
  readonly keyPrefix?: string | undefined;
  /** Bound of one Redis command (ms), from when it is sent. Default 2 000. */
  readonly commandTimeoutMs?: number | undefined;
  /** Commands out at once; the others wait their turn in this process. Default 128. */
  readonly maxCommandsInFlight?: number | undefined;
  /**
   * How long `set` and `delete` keep retrying while Redis is unreachable (ms), so that a refresh
   * token rotated just before an outage still reaches the store once Redis is back. Default 10 000.
   */
  readonly writeRetryMs?: number | undefined;
  /**
   * Taken off the local view of every lease (ms), for clock drift between this host and Redis:
   * the lease lapses here this much before Redis lets its key expire. Default 250.
   */
  readonly leaseDriftMs?: number | undefined;
  /**
   * How long a refresh token sent by a holder that then vanished (crashed, or stalled past its
   * lease) without storing the answer blocks the other holders, who answer `ERR_STORE_FAILURE`
   * (`lock_timeout`) meanwhile: the holder may still come back and store it. After that the
   * connection is `reauthorization_required` (`refresh_interrupted`): the token is never sent
   * twice. Default 120 000.
   */
  readonly interruptedRefreshMs?: number | undefined;
  /** Used for pending-authorization TTLs. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Extra time a pending authorization is kept after it expires, so a late callback reads "expired". Default 10 min. */
  readonly pendingGraceMs?: number | undefined;
  /** Receives lock and plaintext warnings; never secrets. */
  readonly logger?: Logger | undefined;
  /** Uniform [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

/**
 * A {@link TokenStore} in Redis (one server or a Redis Cluster), for hosts on several machines.
 * Per connection (prefix `aic:`, one hash tag so one slot): `aic:{<key>}:rec` (hash: sealed record,
 * version counter, unresolved grant spend), `aic:{<key>}:lock`, `aic:{<key>}:wait`,
 * `aic:{<key>}:pending`. See the package README for the scripts and the guarantees.
 *
 * Every failure is `ERR_STORE_FAILURE` (or `ERR_ABORTED`, `ERR_STORE_CONFLICT`): never an empty
 * answer. Call {@link close} before closing the client: it drops the store's subscriptions.
 */
export class RedisTokenStore implements TokenStore {
  /** Pending authorizations in the same Redis, under the same prefix and keys. */
  readonly pending: RedisPendingAuthorizationStore;
  readonly #redis: RedisConnection;
  readonly #ownsConnection: boolean;
  readonly #layout: KeyLayout;
  readonly #codec: RecordCodec;
  readonly #commands: RedisCommands;
  readonly #hub: WakeHub;
  readonly #lock: RedisLock;
  readonly #writeRetryMs: number;
  readonly #interruptedMs: number;
  readonly #random: () => number;

  /**
   * @param redis a connected node-redis client or cluster client (the host creates, connects and
   *   closes it), or a {@link RedisConnection} shared with a `RedisTokenRequestLimiter`.
   */
  constructor(redis: RedisLike, options: RedisStoreOptions) {
    this.#redis = redisConnection(redis);
    this.#ownsConnection = this.#redis !== redis;
    this.#layout = new KeyLayout(options.keyPrefix ?? 'aic:', this.#redis.topology === 'cluster');
    const where = `redis ${this.#layout.prefix}*`;
    this.#codec = new RecordCodec(options, where, options.logger);
    this.#commands = new RedisCommands(this.#redis, {
      timeoutMs: options.commandTimeoutMs ?? 2_000,
      maxInFlight: options.maxCommandsInFlight,
      where,
    });
    this.#writeRetryMs = options.writeRetryMs ?? 10_000;
    this.#interruptedMs = options.interruptedRefreshMs ?? 120_000;
    this.#random = options.random ?? Math.random;
    this.#hub = new WakeHub(this.#redis);
    this.#lock = new RedisLock({
      commands: this.#commands,
      hub: this.#hub,
      keysOf: (key) => this.#layout.connection(key),
      driftMs: options.leaseDriftMs ?? 250,
      interruptedAfterMs: this.#interruptedMs,
      logger: options.logger,
    });
    this.pending = new RedisPendingAuthorizationStore(this.#commands, this.#layout, this.#codec, options);
  }

  /**
   * The record with its version, in one `HGETALL`. Inside `withLock` the first read of the locked
   * connection is the one its lock came with, and after a wait the one the wake-up carried: no
   * command at all.
   */
  async get(key: string): Promise<ConnectionRecord | undefined> {
    const scope = this.#lock.scopeOf(key);
    let stored: WakeUp;
    if (scope?.prefetched !== undefined) {
      stored = scope.prefetched;
      scope.prefetched = undefined;
    } else {
      // HGETALL (no script uses it): a client read stays apart from script work in INFO commandstats.
      const hash = this.#layout.connection(key).record;
      const fields = hashFields(await this.#commands.send(hash, ['HGETALL', hash]));
      stored = { value: fields.get('r') ?? '', version: fields.get('v') ?? '' };
    }
    const record = this.#codec.decode('token', key, stored.value, decodeConnectionRecord);
    const version = Number(stored.version);
    const result =
      record === undefined
        ? undefined
        : Number.isSafeInteger(version) && version > 0
          ? { ...record, version }
          : record;
    if (scope?.held !== undefined) scope.held.readVersion = result?.version ?? 'absent';
    return result;
  }

  /**
   * Resolves once Redis acknowledged the write (its durability is the server's persistence
   * setting). Check, write, and — for the holder of the connection's lock — release and wake-up
   * are one script; after it the holder's lease is over.
   */
  async set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    const { version: _ignored, ...stored } = record;
    await this.#write(key, this.#codec.encode('token', key, stored), options);
  }

  async delete(key: string, options?: WriteOptions): Promise<void> {
    await this.#write(key, '', options);
  }

  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T> {
    return this.#lock.run(key, fn, options);
  }

  /** Drops the store's subscriptions (and the subscriber connection it opened). The client stays open. */
  async close(): Promise<void> {
    await this.#hub.close();
    if (this.#ownsConnection) await this.#redis.close();
  }

  async #write(key: string, value: string, options: WriteOptions | undefined): Promise<void> {
    const keys = this.#layout.connection(key);
    const held = this.#lock.scopeOf(key)?.held;
    const owner = held !== undefined && !held.ended ? held.owner : '';
    const expected = options?.ifVersion === undefined ? '' : String(options.ifVersion);
    const send = (releaseAs: string): Promise<unknown> =>
      this.#commands.script(
        WRITE,
        [keys.record, keys.lock, keys.wait],
        [expected, value, releaseAs, keys.channel, key],
      );
    let reply: unknown[];
    try {
      reply = replyArray(await this.#retrying(() => send(owner)));
    } catch (error) {
      if (held?.spent === true && isStoreFailure(error)) {
        // A rotated grant the provider may already have replaced the old one with: the spend stays
        // recorded (no other holder re-sends the old token) and the write goes on in the background.
        held.keepClaim = true;
        this.#saveLater(() => send(''));
      }
      throw error;
    }
    if (reply[0] === -1) throw new StoreConflictError(this.#commands.where);
    if (reply[1] === 1) held?.end();
  }

  /** Retries a write while Redis is unreachable, with capped jittered backoff, for `writeRetryMs`. */
  async #retrying(send: () => Promise<unknown>): Promise<unknown> {
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

  /** Keeps trying a fenced write until it lands, loses to a newer record, or the spend would count as lost. */
  #saveLater(send: () => Promise<unknown>): void {
    const until = Date.now() + this.#interruptedMs;
    const attempt = (delay: number): void => {
      setTimeout(() => {
        send().catch((error: unknown) => {
          const retryable = isStoreFailure(error) && error.reason === 'unavailable';
          if (retryable && Date.now() < until) attempt(Math.min(5_000, delay * 2));
        });
      }, delay).unref();
    };
    attempt(500);
  }
}
