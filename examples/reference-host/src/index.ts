/**
 * The AIC reference host: a small `node:http` program showing how a host loads connector
 * packages into an inversify container, serves the OAuth callback and uses a token store.
 */
export { createReferenceHost } from './server.js';
export type { ConnectionConfig, ReferenceHost, ReferenceHostOptions } from './server.js';
export { HostConfigError, loadHostConfig } from './config.js';
export type { HostConfig, HostConfigFile, StoreConfigFile, StoreSpec } from './config.js';
export { openHostStores } from './stores.js';
export type { HostStores } from './stores.js';
export { CALLBACK_PATH, SESSION_COOKIE } from './callback-session.js';
