import { randomBytes } from 'node:crypto';
import {
  StoreFailureError,
  abortedError,
  slotTimeout,
  type SlotRequest,
  type TokenRequestLimiter,
  type TokenRequestSlot,
} from '@aic/connector-core';
import { KeyLayout, type LimiterKeys } from './key-layout.js';
import { LIMIT_ACQUIRE, LIMIT_CHECK, LIMIT_HEARTBEAT, LIMIT_RELEASE } from './limiter-scripts.js';
import { RedisCommands } from './redis-commands.js';
import {
  redisConnection,
  type ChannelListener,
  type RedisConnection,
  type RedisLike,
} from './redis-connection.js';
import type { RedisScript } from './redis-commands.js';

export interface RedisTokenRequestLimiterOptions {
  /** Token requests in flight per token endpoint origin, across every process. Default 16. */
  readonly concurrency?: number | undefined;
  /** Prepended to every key and channel (no `{` or `}`). Default `aic:`. */
  readonly keyPrefix?: string | undefined;
  /** A granted waiter starts after a random 0…jitterMs (ms), so a queue drains as a trickle. Default 10. */
  readonly jitterMs?: number | undefined;
  /** How often a process with slots or waiters says it is alive (ms). Default 1 000. */
  readonly heartbeatMs?: number | undefined;
  /** A process (and its slots) silent this long counts as gone (ms). Default 5 000. */
  readonly aliveMs?: number | undefined;
  /** Bound of one Redis command (ms). Default 2 000. */
  readonly commandTimeoutMs?: number | undefined;
  /** Uniform [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

interface Waiter {
  granted(): void;
  reconnected(): void;
}

interface Origin {
  readonly keys: LimiterKeys;
  /** Slots this process holds. */
  readonly held: Set<string>;
  readonly waiters: Map<string, Waiter>;
  readonly listening: Promise<void>;
  readonly listener: ChannelListener;
  heartbeat: NodeJS.Timeout | undefined;
}

/**
 * A {@link TokenRequestLimiter} shared by every process on one Redis (or Redis Cluster): per
 * token endpoint origin at most `concurrency` token requests in flight. A request that finds no
 * free slot queues in Redis (first in, first out); a freed slot is handed to the next live waiter
 * in the releasing script itself and announced on the origin's sharded channel, so waiting costs
 * no polling: two commands per token request, queued or not. Holders expire: a process keeps its
 * slots alive with a heartbeat while it holds or waits, and the slots of a process that stopped
 * (crash, `SIGSTOP`) go to the queue `aliveMs` later.
 */
export class RedisTokenRequestLimiter implements TokenRequestLimiter {
  readonly concurrency: number;
  readonly #redis: RedisConnection;
  readonly #ownsConnection: boolean;
  readonly #layout: KeyLayout;
  readonly #commands: RedisCommands;
  readonly #jitterMs: number;
  readonly #heartbeatMs: number;
  readonly #aliveMs: number;
  readonly #random: () => number;
  readonly #process = randomBytes(9).toString('base64url');
  readonly #origins = new Map<string, Origin>();
  readonly #stopReconnects: () => void;
  #next = 0;

  constructor(redis: RedisLike, options: RedisTokenRequestLimiterOptions = {}) {
    this.#redis = redisConnection(redis);
    this.#ownsConnection = this.#redis !== redis;
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 16));
    this.#layout = new KeyLayout(options.keyPrefix ?? 'aic:', this.#redis.topology === 'cluster');
    this.#commands = new RedisCommands(this.#redis, {
      timeoutMs: options.commandTimeoutMs ?? 2_000,
      where: `redis ${this.#layout.prefix}*`,
    });
    this.#jitterMs = Math.max(0, options.jitterMs ?? 10);
    this.#heartbeatMs = Math.max(50, options.heartbeatMs ?? 1_000);
    this.#aliveMs = Math.max(2 * this.#heartbeatMs, options.aliveMs ?? 5_000);
    this.#random = options.random ?? Math.random;
    this.#stopReconnects = this.#redis.onReconnect(() => {
      for (const origin of this.#origins.values())
        for (const waiter of origin.waiters.values()) waiter.reconnected();
    });
  }

  async acquire(origin: string, request: SlotRequest): Promise<TokenRequestSlot> {
    const context = request.context ?? {};
    if (request.signal?.aborted === true) throw abortedError(context, request.signal.reason);
    const state = this.#origin(origin);
    await state.listening.catch((cause: unknown) => {
      this.#origins.delete(origin);
      throw new StoreFailureError('unavailable', this.#commands.where, { cause });
    });
    const id = `${this.#process}:${(this.#next++).toString(36)}`;
    const grant = this.#waitFor(state, id, request);
    this.#keepAlive(state);
    let queued: unknown;
    try {
      queued = await this.#run(LIMIT_ACQUIRE, state, [
        id,
        this.#process,
        String(Math.max(0, request.waitMs)),
      ]);
    } catch (error) {
      grant.cancel();
      this.#idle(state);
      // The script may have run before the reply was lost: leave the queue or free the slot.
      this.#run(LIMIT_RELEASE, state, [id]).catch(() => undefined);
      throw error;
    }
    if (queued !== 1) {
      try {
        await grant.promise;
      } catch (error) {
        state.waiters.delete(id);
        // Leave the queue, or give back a slot granted meanwhile.
        await this.#run(LIMIT_RELEASE, state, [id]).catch(() => undefined);
        this.#idle(state);
        throw error;
      }
      if (this.#jitterMs > 0)
        await new Promise((resolve) => setTimeout(resolve, Math.floor(this.#random() * this.#jitterMs)));
    } else {
      grant.cancel();
    }
    state.held.add(id);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        state.held.delete(id);
        this.#idle(state);
        await this.#run(LIMIT_RELEASE, state, [id]).catch(() => this.#releaseLater(state, id));
      },
    };
  }

  /** Slots this process holds and requests it has waiting, for `origin` (for tests and metrics). */
  load(origin: string): { active: number; waiting: number } {
    const state = this.#origins.get(origin);
    return { active: state?.held.size ?? 0, waiting: state?.waiters.size ?? 0 };
  }

  /** Stops the heartbeats and drops the subscriptions (and the subscriber connection it opened). */
  async close(): Promise<void> {
    this.#stopReconnects();
    const origins = [...this.#origins.values()];
    this.#origins.clear();
    for (const state of origins) clearInterval(state.heartbeat);
    await Promise.all(
      origins.map((state) =>
        this.#redis.unsubscribe(state.keys.channel, state.listener).catch(() => undefined),
      ),
    );
    if (this.#ownsConnection) await this.#redis.close();
  }

  #origin(origin: string): Origin {
    let state = this.#origins.get(origin);
    if (state === undefined) {
      const keys = this.#layout.limiter(origin);
      const waiters = new Map<string, Waiter>();
      const listener: ChannelListener = (id) => waiters.get(id)?.granted();
      state = {
        keys,
        held: new Set(),
        waiters,
        listener,
        listening: this.#redis.subscribe(keys.channel, listener),
        heartbeat: undefined,
      };
      this.#origins.set(origin, state);
    }
    return state;
  }

  /** A wait for the grant of `id`, registered before the request is queued so no grant is missed. */
  #waitFor(state: Origin, id: string, request: SlotRequest): { promise: Promise<void>; cancel(): void } {
    const context = request.context ?? {};
    let resolveGrant!: () => void;
    let rejectGrant!: (error: Error) => void;
    const promise = new Promise<void>((resolve, reject) => {
      resolveGrant = resolve;
      rejectGrant = reject;
    });
    promise.catch(() => undefined);
    let settled = false;
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      state.waiters.delete(id);
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolveGrant();
      else rejectGrant(error);
    };
    const onAbort = (): void => settle(abortedError(context, request.signal?.reason));
    // Not unref'd: a caller waiting for a slot is work in progress.
    const timer = setTimeout(() => settle(slotTimeout(request.waitMs, context)), Math.max(0, request.waitMs));
    request.signal?.addEventListener('abort', onAbort, { once: true });
    state.waiters.set(id, {
      granted: () => settle(),
      // A grant published while the subscriber was down is lost: ask Redis once.
      reconnected: () => {
        this.#run(LIMIT_CHECK, state, [id]).then(
          (held) => {
            if (held === 1) settle();
          },
          () => undefined,
        );
      },
    });
    return { promise, cancel: () => settle() };
  }

  /**
   * A release Redis did not take (a node restarting) is retried until it lands or the slot would
   * have lapsed anyway (`aliveMs`, no heartbeat keeps it), so the queue moves on as soon as it can.
   */
  #releaseLater(state: Origin, id: string): void {
    const until = Date.now() + this.#aliveMs;
    const attempt = (): void => {
      setTimeout(
        () => {
          this.#run(LIMIT_RELEASE, state, [id]).catch(() => {
            if (Date.now() < until) attempt();
          });
        },
        200 * (0.5 + this.#random()),
      ).unref();
    };
    attempt();
  }

  /** Heartbeats run while this process holds or waits for a slot of the origin. */
  #keepAlive(state: Origin): void {
    if (state.heartbeat !== undefined) return;
    state.heartbeat = setInterval(() => {
      this.#run(LIMIT_HEARTBEAT, state, [this.#process, ...state.held]).catch(() => undefined);
    }, this.#heartbeatMs);
    state.heartbeat.unref();
  }

  #idle(state: Origin): void {
    if (state.held.size > 0 || state.waiters.size > 0) return;
    clearInterval(state.heartbeat);
    state.heartbeat = undefined;
  }

  #run(script: RedisScript, state: Origin, args: readonly string[]): Promise<unknown> {
    const { keys } = state;
    return this.#commands.script(
      script,
      [keys.holders, keys.queue, keys.waiters, keys.processes],
      [String(this.concurrency), keys.channel, String(this.#aliveMs), ...args],
    );
  }
}
