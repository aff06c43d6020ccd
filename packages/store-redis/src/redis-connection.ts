/**
 * What the Redis stores need from Redis, and adapters from node-redis' single-server client and
 * cluster client.
 */

/** A message listener of a sharded channel. */
export type ChannelListener = (message: string) => void;

/**
 * The store's view of Redis: commands routed by the key they touch, and sharded pub/sub
 * (`SSUBSCRIBE`, Redis ≥ 7) for wake-ups. Build one with {@link redisConnection}; share it between
 * a {@link RedisTokenStore} and a {@link RedisTokenRequestLimiter} so they share one subscriber.
 */
export interface RedisConnection {
  /** `cluster`: keys are routed by slot and wake-ups use one sharded channel per slot. */
  readonly topology: 'standalone' | 'cluster';
  /**
   * Sends one command. `key` is a key it touches (a cluster client routes by it). `abortSignal`
   * must drop a command not yet written (node-redis does), so a timed-out write is not applied
   * later.
   */
  sendCommand(key: string, args: readonly string[], options: { abortSignal: AbortSignal }): Promise<unknown>;
  /** Subscribes `listener` to a sharded channel; resolves once the server confirmed. */
  subscribe(channel: string, listener: ChannelListener): Promise<void>;
  unsubscribe(channel: string, listener: ChannelListener): Promise<void>;
  /**
   * `listener` is called whenever a subscriber connection (re)connects: messages published while
   * it was down are lost, so waiters re-check. Returns a function that removes the listener.
   */
  onReconnect(listener: () => void): () => void;
  /** Closes what the adapter opened itself (a subscriber connection); never the host's client. */
  close(): Promise<void>;
}

type Listener = (message: string, channel: string) => void;

/** The parts of a node-redis (5/6) client the adapter uses. */
export interface NodeRedisClient {
  sendCommand(args: string[], options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  duplicate(): NodeRedisSubscriber;
}

/** The parts of a node-redis subscriber connection (a `duplicate()` of the host's client). */
export interface NodeRedisSubscriber {
  on(event: 'error' | 'ready', listener: (...args: unknown[]) => void): unknown;
  connect(): Promise<unknown>;
  unref(): void;
  sSubscribe(channels: string, listener: Listener): Promise<void>;
  sUnsubscribe(channels: string, listener: Listener): Promise<void>;
  close(): Promise<void>;
  destroy(): void;
  readonly isOpen: boolean;
}

/** The parts of a node-redis (5/6) cluster client (`createCluster`) the adapter uses. */
export interface NodeRedisCluster {
  readonly masters: readonly unknown[];
  sendCommand(
    firstKey: string | undefined,
    isReadonly: boolean | undefined,
    args: string[],
    options?: { abortSignal?: AbortSignal },
  ): Promise<unknown>;
  sSubscribe(channels: string, listener: Listener): Promise<void>;
  sUnsubscribe(channels: string, listener: Listener): Promise<void>;
  on(event: 'node-ready', listener: (...args: unknown[]) => void): unknown;
  off(event: 'node-ready', listener: (...args: unknown[]) => void): unknown;
}

/** Anything {@link redisConnection} accepts. */
export type RedisLike = RedisConnection | NodeRedisClient | NodeRedisCluster;

/** One node-redis listener per store listener, so unsubscribing removes exactly that one. */
class ListenerMap {
  readonly #wrapped = new Map<ChannelListener, Listener>();

  wrap(listener: ChannelListener): Listener {
    let wrapped = this.#wrapped.get(listener);
    if (wrapped === undefined) {
      wrapped = (message) => listener(message);
      this.#wrapped.set(listener, wrapped);
    }
    return wrapped;
  }

  take(listener: ChannelListener): Listener | undefined {
    const wrapped = this.#wrapped.get(listener);
    this.#wrapped.delete(listener);
    return wrapped;
  }
}

class ReconnectListeners {
  readonly #listeners = new Set<() => void>();

  add(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  fire(): void {
    for (const listener of [...this.#listeners]) listener();
  }
}

/**
 * A single server (or a node-redis client pool): commands go to the host's client; subscriptions
 * to a `duplicate()` the adapter connects on first use, `unref`'d (it never keeps a process
 * alive) and closes in {@link RedisConnection.close}.
 */
function fromClient(client: NodeRedisClient): RedisConnection {
  const listeners = new ListenerMap();
  const reconnects = new ReconnectListeners();
  let subscriber: Promise<NodeRedisSubscriber> | undefined;
  const connected = (): Promise<NodeRedisSubscriber> => {
    subscriber ??= (async () => {
      const duplicate = client.duplicate();
      let first = true;
      duplicate.on('error', () => undefined); // reconnects by itself; waiters have their own timers
      duplicate.on('ready', () => {
        if (first) first = false;
        else reconnects.fire();
      });
      try {
        await duplicate.connect();
      } catch (error) {
        subscriber = undefined;
        duplicate.destroy();
        throw error;
      }
      duplicate.unref();
      return duplicate;
    })();
    return subscriber;
  };
  return {
    topology: 'standalone',
    sendCommand: (_key, args, options) => client.sendCommand([...args], options),
    subscribe: async (channel, listener) => (await connected()).sSubscribe(channel, listeners.wrap(listener)),
    unsubscribe: async (channel, listener) => {
      const wrapped = listeners.take(listener);
      if (wrapped !== undefined && subscriber !== undefined)
        await (await subscriber).sUnsubscribe(channel, wrapped);
    },
    onReconnect: (listener) => reconnects.add(listener),
    close: async () => {
      const opened = subscriber;
      subscriber = undefined;
      if (opened === undefined) return;
      const duplicate = await opened.catch(() => undefined);
      if (duplicate?.isOpen === true) await duplicate.close().catch(() => duplicate.destroy());
    },
  };
}

/**
 * A Redis Cluster through node-redis' cluster client: commands are routed by their key's slot
 * (the client follows `MOVED`/`ASK`), sharded subscriptions go to the node owning the channel's
 * slot through the cluster client's own pub/sub connections (which it re-subscribes after a
 * reconnection or a slot migration).
 */
function fromCluster(cluster: NodeRedisCluster): RedisConnection {
  const listeners = new ListenerMap();
  const reconnects = new ReconnectListeners();
  const onNodeReady = (): void => reconnects.fire();
  cluster.on('node-ready', onNodeReady);
  return {
    topology: 'cluster',
    sendCommand: (key, args, options) => cluster.sendCommand(key, false, [...args], options),
    subscribe: (channel, listener) => cluster.sSubscribe(channel, listeners.wrap(listener)),
    unsubscribe: async (channel, listener) => {
      const wrapped = listeners.take(listener);
      if (wrapped !== undefined) await cluster.sUnsubscribe(channel, wrapped);
    },
    onReconnect: (listener) => reconnects.add(listener),
    close: () => {
      cluster.off('node-ready', onNodeReady);
      return Promise.resolve();
    },
  };
}

const isConnection = (redis: RedisLike): redis is RedisConnection =>
  'topology' in redis && typeof (redis as { subscribe?: unknown }).subscribe === 'function';
const isCluster = (redis: RedisLike): redis is NodeRedisCluster => 'masters' in redis;

/**
 * The {@link RedisConnection} of a connected node-redis client (`createClient`), cluster client
 * (`createCluster`), or an adapter of your own (returned as is). The host creates, connects and
 * closes its client; close the connection returned here (it may hold a subscriber) before that.
 */
export function redisConnection(redis: RedisLike): RedisConnection {
  if (isConnection(redis)) return redis;
  return isCluster(redis) ? fromCluster(redis) : fromClient(redis);
}
