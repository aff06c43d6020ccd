import type { ConnectionRecord, PendingAuthorization } from '@aic/connector-core';
import { ErrorCode } from '@aic/connector-core';
import { createClient } from 'redis';
import {
  RedisTokenStore,
  redisConnection,
  type RedisConnection,
  type RedisStoreOptions,
} from '../src/index.js';
import { ACQUIRE, RELEASE, SPEND, WRITE, INDEX_PENDING } from '../src/scripts.js';
import { LIMIT_ACQUIRE, LIMIT_CHECK, LIMIT_HEARTBEAT, LIMIT_RELEASE } from '../src/limiter-scripts.js';
import { RedisServer } from './redis-server.js';

const newClient = (url: string) => createClient({ url, socket: { reconnectStrategy: () => 50 } });
export type Client = ReturnType<typeof newClient>;

export const ACCESS = 'AT-redis-secret-access';
export const REFRESH = 'RT-redis-secret-refresh';
export const KEY = Buffer.alloc(32, 0x3c);
export const OTHER_KEY = Buffer.alloc(32, 0x4d);
export const CONN = 'fixture\u001fconn-1';

export const record = (access = ACCESS, refresh = REFRESH): ConnectionRecord => ({
  status: 'active',
  tokens: {
    accessToken: access,
    tokenType: 'Bearer',
    expiresAt: 2_000,
    issuedAt: 1_000,
    refreshToken: refresh,
  },
  updatedAt: 1_000,
});
export const pending = (expiresAt: number, connectionId = 'conn-1'): PendingAuthorization => ({
  connectorId: 'fixture',
  connectionId,
  stateDigest: 'digest',
  codeVerifier: 'verifier-secret-value-0123456789-0123456789',
  redirectUri: 'https://aic.test/callback',
  createdAt: expiresAt - 600_000,
  expiresAt,
});
export const failure = (reason: string) => ({ code: ErrorCode.StoreFailure, reason });
export const deferred = <T = void>() => {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
};
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

const SCRIPTS = Object.entries({
  ACQUIRE,
  RELEASE,
  SPEND,
  WRITE,
  INDEX_PENDING,
  LIMIT_ACQUIRE,
  LIMIT_CHECK,
  LIMIT_HEARTBEAT,
  LIMIT_RELEASE,
});
/** Script names by SHA-1 (EVALSHA) and by source (EVAL). */
const SCRIPT_NAMES = new Map(SCRIPTS.map(([name, script]) => [script.sha1, name]));
const SOURCE_NAMES = new Map(SCRIPTS.map(([name, script]) => [script.source, name]));

/** A connection that records every command sent through it (scripts by name), over a real one. */
export interface CountingConnection extends RedisConnection {
  readonly sent: string[];
  /** While true, messages of subscribed channels are dropped (a subscriber that lost them). */
  deaf: boolean;
  /** Tells the listeners of `onReconnect` that the subscriber came back. */
  reconnected(): void;
}

export function counting(inner: RedisConnection): CountingConnection {
  const sent: string[] = [];
  const reconnects = new Set<() => void>();
  const connection: CountingConnection = {
    sent,
    deaf: false,
    reconnected: () => {
      for (const listener of reconnects) listener();
    },
    topology: inner.topology,
    sendCommand: (key, args, options) => {
      const [name = '', second = ''] = args;
      // A script by name, whether run by SHA1 or (its first time) by source.
      const script =
        name === 'EVALSHA'
          ? SCRIPT_NAMES.get(second)
          : name === 'EVAL'
            ? SOURCE_NAMES.get(second)
            : undefined;
      sent.push(script ?? name);
      return inner.sendCommand(key, args, options);
    },
    subscribe: (channel, listener) => {
      sent.push('SSUBSCRIBE');
      return inner.subscribe(channel, hearing(listener));
    },
    unsubscribe: (channel, listener) => inner.unsubscribe(channel, hearing(listener)),
    onReconnect: (listener) => {
      reconnects.add(listener);
      const stop = inner.onReconnect(listener);
      return () => {
        reconnects.delete(listener);
        stop();
      };
    },
    close: () => inner.close(),
  };
  const wrapped = new Map<(message: string) => void, (message: string) => void>();
  const hearing = (listener: (message: string) => void) => {
    let wrapper = wrapped.get(listener);
    if (wrapper === undefined) {
      wrapper = (message: string) => {
        if (!connection.deaf) listener(message);
      };
      wrapped.set(listener, wrapper);
    }
    return wrapper;
  };
  return connection;
}

/**
 * One redis-server for a test file, a client per caller, and a fresh key prefix per test.
 * `store(on)` opens a sealed store (keys given) on a client or connection.
 */
export function useStandalone() {
  let server: RedisServer | undefined;
  const clients: Client[] = [];
  const connections: RedisConnection[] = [];
  const stores: RedisTokenStore[] = [];
  let testNumber = 0;
  const state = { prefix: '' };

  beforeAll(async () => {
    server = await RedisServer.start();
  }, 300_000);
  beforeEach(() => {
    state.prefix = `t${++testNumber}:`;
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
    await Promise.all(connections.splice(0).map((connection) => connection.close()));
  });
  afterAll(async () => {
    for (const open of clients) if (open.isOpen) await open.close();
    await server?.dispose();
  });

  const h = {
    get server(): RedisServer {
      if (server === undefined) throw new Error('redis-server not started');
      return server;
    },
    get prefix(): string {
      return state.prefix;
    },
    async client(): Promise<Client> {
      const created = newClient(h.server.url);
      created.on('error', () => undefined);
      await created.connect();
      clients.push(created);
      return created;
    },
    /** A counting connection over a new client (a process of its own, as far as Redis sees). */
    async connection(): Promise<CountingConnection> {
      const connection = counting(redisConnection(await h.client()));
      connections.push(connection);
      return connection;
    },
    store(on: Client | RedisConnection, options: Partial<RedisStoreOptions> = {}): RedisTokenStore {
      const store = new RedisTokenStore(on, { keyPrefix: state.prefix, keys: { current: KEY }, ...options });
      stores.push(store);
      return store;
    },
    /** The raw hash of a connection record (`r` sealed record, `v` version, `c` spend). */
    async raw(key: string, on?: Client): Promise<Record<string, string>> {
      const client = on ?? clients[0] ?? (await h.client());
      return client.hGetAll(`${state.prefix}{${key}}:rec`) as Promise<Record<string, string>>;
    },
  };
  return h;
}
