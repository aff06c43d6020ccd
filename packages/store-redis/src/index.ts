/**
 * @aic/store-redis: token and pending-authorization stores in Redis, with a cross-process
 * refresh lock, for Aranda Integration Center hosts running on several machines.
 */
export { RedisPendingAuthorizationStore, RedisTokenStore } from './redis-stores.js';
export type { RedisStoreOptions } from './redis-stores.js';
export type { RedisCommandClient } from './redis-commands.js';
