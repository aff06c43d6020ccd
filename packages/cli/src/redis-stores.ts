import { createClient } from 'redis';
import { StoreFailureError, silentLogger, type Clock } from '@aic/connector-core';
import { RedisTokenStore } from '@aic/store-redis';
import { decodeUserinfo, redisLabel, type RedisTarget } from './secret-sources.js';
import type { StoreKeys } from './store-config.js';
import type { OpenedStores } from './stores.js';

/**
 * node-redis options for a target: the URL without any userinfo, the user name and password as
 * options (a user name left in the URL would make node-redis ignore the password option).
 */
function clientOptions(target: RedisTarget): { url: string; username?: string; password?: string } {
  const url = new URL(target.url);
  const username = url.username === '' ? undefined : decodeUserinfo(url.username);
  url.username = '';
  url.password = '';
  return {
    url: url.href,
    ...(username === undefined ? {} : { username }),
    ...(target.password === undefined ? {} : { password: target.password }),
  };
}

/**
 * Connects to Redis and opens `@aic/store-redis` on it (records sealed with the keys; plain JSON only when asked for).
 * A CLI command is short-lived: the connection fails fast instead of retrying forever, and a
 * failure is `ERR_STORE_FAILURE` naming the server without its password (which is never in the
 * URL: it comes from a file, the environment or standard input).
 */
export async function openRedisStores(
  config: RedisTarget & {
    readonly prefix: string;
    readonly keys?: StoreKeys | undefined;
    readonly plaintext?: boolean | undefined;
  },
  clock: Clock,
): Promise<OpenedStores> {
  const where = redisLabel(config);
  const client = createClient({
    ...clientOptions(config),
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
