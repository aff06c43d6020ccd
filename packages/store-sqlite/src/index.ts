/**
 * @aic/store-sqlite: the default durable token store of Aranda Integration Center hosts — one
 * SQLite database (`node:sqlite`, built into Node) shared by the processes of a host on one machine:
 * sealed records, fenced writes, non-renewed leases, pending authorizations expired and capped,
 * rollback detection, and a token request limit shared by every process.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

export { SqliteTokenStore } from './sqlite-token-store.js';
export type { SqliteStoreOptions } from './sqlite-token-store.js';
export { SqlitePendingAuthorizationStore } from './sqlite-pending-store.js';
export { SqliteTokenRequestLimiter } from './sqlite-token-limiter.js';
export type { SqliteTokenRequestLimiterOptions } from './sqlite-token-limiter.js';
export type { StoreOperationCounts } from './store-database.js';
export type { ImportOptions, ImportResult, StoreSnapshot } from './sqlite-import.js';
export { SQLITE_SCHEMA_VERSION, SQLITE_STORE_FORMAT } from './schema.js';
