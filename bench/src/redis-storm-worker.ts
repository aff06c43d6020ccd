/**
 * One host process of the Redis storm (`redis-storm.ts`): a RedisTokenStore and a
 * RedisTokenRequestLimiter on the bench's Redis, run by `store-storm-host.ts`.
 *
 *   node redis-storm-worker.js <tokenBase> <idPrefix> <connections> <limit> <redisUrl> <prefix> <keyHex>
 */
import { RedisTokenRequestLimiter, RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import { serveStormHost, stormHostArguments } from './store-storm-host.js';

const args = stormHostArguments();
const [redisUrl = '', prefix = '', keyHex = ''] = args.storeArgs;
const client = createClient({ url: redisUrl });
client.on('error', () => undefined);
await client.connect();
const store = new RedisTokenStore(client, {
  keyPrefix: prefix,
  keys: { current: Buffer.from(keyHex, 'hex') },
});
const limiter = new RedisTokenRequestLimiter(client, { keyPrefix: prefix, concurrency: args.limit });
serveStormHost(args, {
  tokenStore: store,
  pendingStore: store.pending,
  tokenLimiter: limiter,
  async close() {
    await store.close();
    await limiter.close();
    await client.close();
  },
});
