import { createClient } from 'redis';
import { StoreFailureError, silentLogger, type Clock } from '@aic/connector-core';
import { RedisTokenStore } from '@aic/store-redis';
import type { StoreKeys } from './store-config.js';
import type { OpenedStores } from './stores.js';

/** A Redis URL without its password, for messages. */
export const redactUrl = (url: string): string => url.replace(/\/\/[^/@]*@/, '//***@');

/**
 * Connects to Redis and opens `@aic/store-redis` on it (records sealed when keys are given).
 * A CLI command is short-lived: the connection fails fast instead of retrying forever, and a
 * failure is `ERR_STORE_FAILURE` naming the server without its credentials.
 */
export async function openRedisStores(
  config: {
    readonly url: string;
    readonly prefix: string;
    readonly keys?: StoreKeys | undefined;
    readonly plaintext?: boolean | undefined;
  },
  clock: Clock,
): Promise<OpenedStores> {
  const where = `redis ${redactUrl(config.url)}`;
  const client = createClient({
    url: config.url,
    socket: { connectTimeout: 5_000, reconnectStrategy: false },
  });
  // node-redis emits connection errors as events; unhandled, they would crash the process.
  client.on('error', () => undefined);
  try {
    await client.connect();
  } catch (cause) {
    client.destroy();
    throw new StoreFailureError('unavailable', where, { cause });
  }
  const store = new RedisTokenStore(client, {
    keyPrefix: config.prefix,
    keys:
      config.keys === undefined
        ? undefined
        : { current: config.keys.current, previous: config.keys.previous },
    // Without keys only when asked for; the CLI has already warned in the operator's language.
    plaintext: config.plaintext === true,
    logger: silentLogger,
    clock,
  });
  return {
    tokenStore: store,
    pendingStore: store.pending,
    close: async () => {
      await store.close().catch(() => undefined);
      await client.close().catch(() => client.destroy());
    },
  };
}
