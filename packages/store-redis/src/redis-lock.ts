import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  ErrorCode,
  KeyedMutex,
  StoreConflictError,
  StoreFailureError,
  isConnectorError,
  isStoreFailure,
  reauthorizationError,
  type ErrorContext,
  type Lease,
  type LockOptions,
  type Logger,
} from '@aic/connector-core';
import type { ConnectionKeys } from './key-layout.js';
import { replyArray, replyText, type RedisCommands } from './redis-commands.js';
import { ACQUIRE, RELEASE, SPEND } from './scripts.js';
import type { WakeHub, WakeUp } from './wake-hub.js';

/** Default wait for, and lifetime of, a lock (ms), as core's `LockOptions` documents. */
const DEFAULT_LOCK_MS = 30_000;
/** A waiter whose wake-up never came retries this long after the holder's lock would lapse. */
const WAKE_SLACK_MS = 25;
const RELEASE_RETRY_MS = 250;

/** The lock this process holds on one connection, as the store's reads and writes see it. */
export interface HeldLock {
  readonly owner: string;
  /** The version the holder read (what its grant spend is checked against). */
  readVersion: number | 'absent' | undefined;
  /** The holder sent (or is sending) the stored grant's refresh token. */
  spent: boolean;
  /** Keep the spend recorded at release: a rotated grant could not be stored. */
  keepClaim: boolean;
  /** A write released the lock (and woke the waiters) already. */
  ended: boolean;
  /** Ends the lease: its signal aborts and no time is left. */
  end(): void;
}

/** What the store's `get`, `set` and `delete` of `key` see while running inside a lock or a wake-up. */
export interface LockScope {
  readonly key: string;
  /** The record read with the lock or carried by the wake-up: the next `get` of `key` uses it. */
  prefetched: WakeUp | undefined;
  readonly held?: HeldLock | undefined;
}

export interface RedisLockOptions {
  readonly commands: RedisCommands;
  readonly hub: WakeHub;
  readonly keysOf: (key: string) => ConnectionKeys;
  /** Subtracted from the lease's local view, for clock drift between this host and Redis. */
  readonly driftMs: number;
  /** How long an abandoned grant spend blocks other holders before it counts as lost. */
  readonly interruptedAfterMs: number;
  readonly logger: Logger | undefined;
}

/** `connectionKey(connectorId, connectionId)` back into an error context, when it is one. */
function contextOf(key: string): ErrorContext {
  const parts = key.split('\u001f');
  return parts.length === 2 ? { connectorId: parts[0], connectionId: parts[1] } : {};
}

/**
 * The `withLock` of the Redis token store, exclusive per connection across every process sharing
 * the Redis:
 *
 * - one in-process queue per connection first (a process never contends with itself);
 * - `ACQUIRE`: `SET NX PX` and, in the same script, the record — the holder's first read is free;
 * - a busy lock is waited for **without polling**: the holder's release (or its releasing write)
 *   publishes the record on a sharded channel, and each waiting process re-checks it through
 *   `afterWait` without another command. A waiter retries by itself only when the holder's lock
 *   would have lapsed (it crashed) or its subscriber reconnected (a message may be lost);
 * - the lease is never renewed; its local view starts before the request that won it and ends
 *   `driftMs` early. A fenced write by the holder releases the lock in the same script and ends the
 *   lease (nothing may be sent under it afterwards).
 */
export class RedisLock {
  readonly scope = new AsyncLocalStorage<LockScope>();
  readonly #mutex = new KeyedMutex();
  readonly #options: RedisLockOptions;

  constructor(options: RedisLockOptions) {
    this.#options = options;
  }

  /** The lock or wake-up scope of `key` the caller runs in, if any. */
  scopeOf(key: string): LockScope | undefined {
    const scope = this.scope.getStore();
    return scope?.key === key ? scope : undefined;
  }

  async run<T>(key: string, fn: (lease: Lease) => Promise<T>, options: LockOptions<T> = {}): Promise<T> {
    const waitMs = options.waitMs ?? DEFAULT_LOCK_MS;
    const deadline = Date.now() + waitMs;
    let queued = true;
    try {
      return await this.#mutex.run(
        key,
        async (waited) => {
          queued = false;
          if (waited && options.afterWait !== undefined) {
            const early = await options.afterWait();
            if (early !== undefined) return early;
          }
          const won = await this.#acquire(key, options, deadline);
          if ('early' in won) return won.early;
          return await this.#hold(
            key,
            won.owner,
            won.grantedAt,
            won.prefetched,
            options.ttlMs ?? DEFAULT_LOCK_MS,
            fn,
          );
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
        throw new StoreFailureError('lock_timeout', this.#options.commands.where, { cause: error });
      }
      throw error;
    }
  }

  async #acquire<T>(
    key: string,
    options: LockOptions<T>,
    deadline: number,
  ): Promise<{ owner: string; grantedAt: number; prefetched: WakeUp } | { early: T }> {
    const { commands, hub } = this.#options;
    const keys = this.#options.keysOf(key);
    const ttlMs = options.ttlMs ?? DEFAULT_LOCK_MS;
    const owner = randomBytes(18).toString('base64url');
    await hub.listen(keys.channel).catch((cause: unknown) => {
      throw new StoreFailureError('unavailable', commands.where, { cause });
    });
    for (;;) {
      const waiter = hub.register(key);
      const grantedAt = performance.now();
      let reply: unknown[];
      try {
        reply = replyArray(
          await commands.script(
            ACQUIRE,
            [keys.record, keys.lock, keys.wait],
            [owner, String(ttlMs)],
            options.signal,
          ),
        );
      } catch (error) {
        waiter.dispose();
        // The SET may have landed before the reply was lost: give the lock back if it is ours.
        this.#releaseLater(key, owner, Date.now() + ttlMs);
        throw error;
      }
      if (reply[0] === 1) {
        waiter.dispose();
        return {
          owner,
          grantedAt,
          prefetched: { value: replyText(reply[1]) ?? '', version: replyText(reply[2]) ?? '' },
        };
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        waiter.dispose();
        throw new StoreFailureError('lock_timeout', commands.where);
      }
      const lockLeft = Number(reply[1]);
      let outcome;
      try {
        outcome = await waiter.wait(
          Math.min(remaining, (lockLeft > 0 ? lockLeft : 1) + WAKE_SLACK_MS),
          options.signal,
        );
      } finally {
        waiter.dispose();
      }
      if (outcome.kind === 'timeout' && Date.now() >= deadline)
        throw new StoreFailureError('lock_timeout', commands.where);
      if (options.afterWait !== undefined) {
        const scope: LockScope = { key, prefetched: outcome.kind === 'woken' ? outcome.wakeUp : undefined };
        const early = await this.scope.run(scope, options.afterWait);
        if (early !== undefined) return { early };
      }
    }
  }

  async #hold<T>(
    key: string,
    owner: string,
    grantedAt: number,
    prefetched: WakeUp,
    ttlMs: number,
    fn: (lease: Lease) => Promise<T>,
  ): Promise<T> {
    const expiresAt = grantedAt + ttlMs - this.#options.driftMs;
    const controller = new AbortController();
    const timer = setTimeout(
      () => controller.abort(new DOMException('The lock lease lapsed.', 'TimeoutError')),
      Math.max(0, expiresAt - performance.now()),
    );
    timer.unref();
    const held: HeldLock = {
      owner,
      readVersion: undefined,
      spent: false,
      keepClaim: false,
      ended: false,
      end: () => {
        held.ended = true;
        clearTimeout(timer);
        controller.abort(new DOMException('The lock was released with the write.', 'AbortError'));
      },
    };
    const lease: Lease = {
      signal: controller.signal,
      remainingMs: () => (held.ended ? 0 : Math.max(0, expiresAt - performance.now())),
      spendGrant: () => this.#spend(key, held),
    };
    try {
      return await this.scope.run({ key, prefetched, held }, () => fn(lease));
    } finally {
      clearTimeout(timer);
      if (!held.ended) {
        const now = performance.now();
        const keepClaim = held.spent && (now >= expiresAt || held.keepClaim);
        // Until when a failed release is worth retrying: the lock's own end, or longer when our
        // spend must still be cleared (left in place, it would block the other holders).
        const lockEnd = Date.now() + Math.max(0, grantedAt + ttlMs - now);
        await this.#release(
          key,
          owner,
          keepClaim,
          lockEnd + (held.spent && !keepClaim ? this.#options.interruptedAfterMs : 0),
        );
      }
    }
  }

  async #spend(key: string, held: HeldLock): Promise<void> {
    const { commands, logger } = this.#options;
    const keys = this.#options.keysOf(key);
    const read = held.readVersion === undefined ? '' : String(held.readVersion);
    const reply = replyArray(await commands.script(SPEND, [keys.record, keys.lock], [held.owner, read]));
    const verdict = replyText(reply[0]);
    if (verdict === 'ok') {
      held.spent = true;
      return;
    }
    if (verdict === 'lost') throw new StoreFailureError('lease_lapsed', commands.where);
    if (verdict === 'conflict') throw new StoreConflictError(commands.where);
    const ageMs = Number(reply[1]);
    const lost = ageMs >= this.#options.interruptedAfterMs;
    logger?.log(
      'warn',
      'an earlier holder sent this refresh token and vanished before storing the answer; not sending it again',
      {
        ...contextOf(key),
        ageMs,
        givingUp: lost,
      },
    );
    if (lost) throw reauthorizationError(contextOf(key), 'refresh_interrupted');
    throw new StoreFailureError('lock_timeout', commands.where);
  }

  async #release(key: string, owner: string, keepClaim: boolean, until: number): Promise<void> {
    const { commands, logger } = this.#options;
    const keys = this.#options.keysOf(key);
    try {
      const released = await commands.script(
        RELEASE,
        [keys.record, keys.lock, keys.wait],
        [owner, keepClaim ? '1' : '0', keys.channel, key],
      );
      if (released !== 1) {
        logger?.log('warn', 'a Redis store lock lapsed while held (the holder stalled past its TTL)', {
          ...contextOf(key),
        });
      }
    } catch {
      logger?.log('warn', 'could not release a Redis store lock; retrying in the background', {
        ...contextOf(key),
      });
      this.#releaseLater(key, owner, until, keepClaim);
    }
  }

  /** Retries a release in the background until it succeeds or `until` (ms since the epoch) passed. */
  #releaseLater(key: string, owner: string, until: number, keepClaim = false): void {
    const { commands } = this.#options;
    const keys = this.#options.keysOf(key);
    const attempt = (): void => {
      commands
        .script(
          RELEASE,
          [keys.record, keys.lock, keys.wait],
          [owner, keepClaim ? '1' : '0', keys.channel, key],
        )
        .catch(() => {
          if (Date.now() < until) schedule();
        });
    };
    const schedule = (): void => {
      setTimeout(attempt, RELEASE_RETRY_MS * (0.5 + Math.random())).unref();
    };
    schedule();
  }
}
