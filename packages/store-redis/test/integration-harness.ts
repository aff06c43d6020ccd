import type { TokenStore } from '@aic/connector-core';
import { createClient } from 'redis';
import { RedisServer } from './redis-server.js';
import { TokenEndpoint } from './token-endpoint.js';

const newClient = (url: string, reconnect: boolean) =>
  createClient({ url, ...(reconnect ? { socket: { reconnectStrategy: () => 50 } } : {}) });

export type RedisClient = ReturnType<typeof newClient>;

export interface IntegrationOptions {
  /** AOF with fsync on every write, so data survives a restart of the server. */
  readonly persistent?: boolean;
  /** Lifetime of the access tokens the endpoint issues (ms). */
  readonly tokenLifetimeMs: number;
  /** Let the client reconnect (every 50 ms) after the server was restarted. */
  readonly reconnect?: boolean;
}

/** What a test file of the integration suite runs against; set by {@link useIntegration}'s `beforeAll`. */
export interface Integration {
  readonly server: RedisServer;
  readonly endpoint: TokenEndpoint;
  readonly client: RedisClient;
}

/**
 * Starts a redis-server, a {@link TokenEndpoint} and a connected client before the tests of the
 * calling file, and stops them after. Read the returned fields inside tests and hooks only.
 */
export function useIntegration(options: IntegrationOptions): Integration {
  const current: { -readonly [K in keyof Integration]?: Integration[K] } = {};
  beforeAll(async () => {
    current.server = await RedisServer.start({ persistent: options.persistent ?? false });
    current.endpoint = await TokenEndpoint.start(options.tokenLifetimeMs);
    const client = newClient(current.server.url, options.reconnect === true);
    // Errors reach the commands that fail; an unhandled 'error' event would end the process.
    client.on('error', () => undefined);
    current.client = client;
    await client.connect();
  }, 300_000);
  afterAll(async () => {
    if (current.client?.isOpen) await current.client.close();
    await current.endpoint?.close();
    await current.server?.dispose();
  });
  const started = <K extends keyof Integration>(name: K): Integration[K] => {
    const value = current[name];
    if (value === undefined) throw new Error(`useIntegration: ${name} is read before beforeAll ran`);
    return value as Integration[K];
  };
  return {
    get server() {
      return started('server');
    },
    get endpoint() {
      return started('endpoint');
    },
    get client() {
      return started('client');
    },
  };
}

/**
 * Stores an authorized connection whose access token `AT-0` has just expired (refresh token
 * `RT-0`), so the next `getAccessToken` refreshes.
 */
export function seedExpiredConnection(store: TokenStore, key: string): Promise<void> {
  const now = Date.now();
  return store.set(key, {
    status: 'active',
    tokens: {
      accessToken: 'AT-0',
      tokenType: 'Bearer',
      expiresAt: now - 1,
      issuedAt: now - 1_000,
      refreshToken: 'RT-0',
    },
    authorizedAt: now - 1_000,
    updatedAt: now - 1_000,
  });
}
