/**
 * @aic/store-redis: token and pending-authorization stores in Redis, with a cross-process
 * refresh lock, for Aranda Integration Center hosts running on several machines.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

export { RedisPendingAuthorizationStore, RedisTokenStore } from './redis-stores.js';
export type { RedisStoreOptions } from './redis-stores.js';
export type { RedisCommandClient } from './redis-commands.js';
