import { abortedError } from '@aic/connector-core';
import type { RedisConnection } from './redis-connection.js';

/** What a lock release or a releasing write published: the connection's record as it now is. */
export interface WakeUp {
  /** Version counter of the record ('' when the connection never had one). */
  readonly version: string;
  /** The stored value ('' when there is none). */
  readonly value: string;
}

/** How a wait ended: a wake-up with the record, a reconnection (messages may be lost), or time. */
export type WaitOutcome =
  { readonly kind: 'woken'; readonly wakeUp: WakeUp } | { readonly kind: 'reconnected' | 'timeout' };

/** One caller waiting for one connection's lock. */
export interface LockWaiter {
  /** Resolves at the first wake-up since {@link WakeHub.register} (also one that came before this call). */
  wait(timeoutMs: number, signal: AbortSignal | undefined): Promise<WaitOutcome>;
  dispose(): void;
}

interface Entry {
  outcome: WaitOutcome | undefined;
  notify: (() => void) | undefined;
}

/**
 * Wake-ups of lock waiters, for one process: the sharded channels it listens to (one on a single
 * server; one per slot in a cluster, subscribed on first use and kept), and the local waiters per
 * connection. One message wakes every local waiter of its connection, so four processes waiting
 * for one refresh cost one publish, not four polling loops.
 */
export class WakeHub {
  readonly #redis: RedisConnection;
  readonly #waiters = new Map<string, Set<Entry>>();
  readonly #channels = new Map<string, Promise<void>>();
  readonly #listener = (message: string): void => this.#onMessage(message);
  readonly #stopReconnects: () => void;

  constructor(redis: RedisConnection) {
    this.#redis = redis;
    this.#stopReconnects = redis.onReconnect(() => this.#wakeAll({ kind: 'reconnected' }));
  }

  /** Resolves once `channel` is subscribed (immediately after the first time). */
  listen(channel: string): Promise<void> {
    let subscribed = this.#channels.get(channel);
    if (subscribed === undefined) {
      subscribed = this.#redis.subscribe(channel, this.#listener);
      this.#channels.set(channel, subscribed);
      subscribed.catch(() => this.#channels.delete(channel));
    }
    return subscribed;
  }

  /** Starts collecting wake-ups of `key`: call it before the command that may find the lock busy. */
  register(key: string): LockWaiter {
    const entry: Entry = { outcome: undefined, notify: undefined };
    let set = this.#waiters.get(key);
    if (set === undefined) {
      set = new Set();
      this.#waiters.set(key, set);
    }
    set.add(entry);
    const dispose = (): void => {
      const current = this.#waiters.get(key);
      current?.delete(entry);
      if (current?.size === 0) this.#waiters.delete(key);
    };
    return {
      dispose,
      wait: (timeoutMs, signal) =>
        new Promise<WaitOutcome>((resolve, reject) => {
          if (signal?.aborted === true) return reject(abortedError({}, signal.reason));
          if (entry.outcome !== undefined) return resolve(entry.outcome);
          // Not unref'd: a caller waiting for a lock is work in progress.
          const timer = setTimeout(() => finish({ kind: 'timeout' }), Math.max(0, timeoutMs));
          const onAbort = (): void => {
            clearTimeout(timer);
            entry.notify = undefined;
            reject(abortedError({}, signal?.reason));
          };
          const finish = (outcome: WaitOutcome): void => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', onAbort);
            entry.notify = undefined;
            resolve(outcome);
          };
          entry.notify = () => finish(entry.outcome ?? { kind: 'timeout' });
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
    };
  }

  /** Stops listening (the store is closing). */
  async close(): Promise<void> {
    this.#stopReconnects();
    const channels = [...this.#channels.keys()];
    this.#channels.clear();
    await Promise.all(
      channels.map((channel) => this.#redis.unsubscribe(channel, this.#listener).catch(() => undefined)),
    );
  }

  #onMessage(message: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(message);
    } catch {
      return; // not ours: nothing waits for it
    }
    if (!Array.isArray(parsed) || parsed.length !== 3) return;
    const [key, version, value] = parsed as unknown[];
    if (typeof key !== 'string' || typeof version !== 'string' || typeof value !== 'string') return;
    const set = this.#waiters.get(key);
    if (set === undefined) return;
    for (const entry of set) this.#deliver(entry, { kind: 'woken', wakeUp: { version, value } });
  }

  #wakeAll(outcome: WaitOutcome): void {
    for (const set of this.#waiters.values()) for (const entry of set) this.#deliver(entry, outcome);
  }

  #deliver(entry: Entry, outcome: WaitOutcome): void {
    // A record beats a bare reconnection; a later record beats an earlier one.
    if (entry.outcome?.kind === 'woken' && outcome.kind !== 'woken') return;
    entry.outcome = outcome;
    entry.notify?.();
  }
}
