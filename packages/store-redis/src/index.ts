/**
 * @aic/store-redis: token and pending-authorization stores, and a token request limiter, in Redis
 * (one server or a Redis Cluster), for Aranda Integration Center hosts running several processes.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

export { RedisTokenStore } from './redis-token-store.js';
export type { RedisStoreOptions } from './redis-token-store.js';
export { RedisPendingAuthorizationStore } from './redis-pending-store.js';
export type { RecordProtection } from './record-codec.js';
export { RedisTokenRequestLimiter } from './redis-token-limiter.js';
export type { RedisTokenRequestLimiterOptions } from './redis-token-limiter.js';
export { redisConnection } from './redis-connection.js';
export type {
  ChannelListener,
  NodeRedisClient,
  NodeRedisCluster,
  NodeRedisSubscriber,
  RedisConnection,
  RedisLike,
} from './redis-connection.js';
export { keySlot } from './key-slot.js';
