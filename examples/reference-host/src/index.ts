/**
 * The AIC reference host: a small `node:http` program showing how a host loads connector
 * packages into an inversify container, mounts the operator console and uses a token store.
 */
export { createReferenceHost } from './server.js';
export type { ConnectionConfig, HostConsoleOptions, ReferenceHost, ReferenceHostOptions } from './server.js';
export { HostConfigError, loadHostConfig } from './config.js';
export type {
  ConsoleConfigFile,
  ConsoleSettings,
  HostConfig,
  HostConfigFile,
  StoreConfigFile,
  StoreSpec,
} from './config.js';
export { openHostStores } from './stores.js';
export type { HostStores } from './stores.js';
export { ConnectionsFileError, SealedFileConnectionRepository } from './connection-repository.js';
export { serveApi } from './api.js';
export { hostOptionsFrom } from './from-config.js';
