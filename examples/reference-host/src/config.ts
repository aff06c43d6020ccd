import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { decodeStoreKey } from '@aic/connector-core';
import type { PasswordOperator, TrustedProxyAuthentication } from '@aic/console';
import type { ConnectionConfig } from './server.js';

/**
 * The host's configuration file (see `aic-host.example.json`):
 *
 * ```json
 * { "listen": { "host": "127.0.0.1", "port": 8080 },
 *   "connectors": ["@aic/provider-hp-techpulse"],
 *   "store": { "type": "file", "path": "./data/tokens.enc", "keyFile": "./data/store.key" },
 *   "console": { "operators": [{ "username": "ana", "passwordHash": "$scrypt$…" }],
 *                "connectionsFile": "./data/connections.enc", "secureCookies": false },
 *   "endpoints": { "development": false, "allowedOrigins": [] },
 *   "connections": [{ "id": "hp-acme", "connector": "hp-techpulse", "credentialsFile": "./hp-acme.json" }] }
 * ```
 *
 * `connections` are optional seeds: each is added to the console's connections at start-up when
 * no connection has its id yet (the console is where connections live and change).
 *
 * Relative paths (credentials, store, key, a connector package given by path) are relative to
 * the configuration file; connector package names resolve from the host's installation. Secrets stay out of it: credentials
 * live in their own files, the store key in a key file or the `AIC_STORE_KEY` environment
 * variable, the Redis URL may come from `AIC_REDIS_URL`.
 */
export interface HostConfigFile {
  readonly listen?: { readonly host?: string; readonly port?: number };
  readonly connectors: readonly string[];
  readonly store?: StoreConfigFile;
  readonly console?: ConsoleConfigFile;
  /**
   * The endpoint policy: origins connections may use beyond their connector's own, and
   * `development` (loopback and private addresses allowed: local test servers only).
   */
  readonly endpoints?: { readonly development?: boolean; readonly allowedOrigins?: readonly string[] };
  readonly connections?: readonly {
    readonly id: string;
    readonly connector: string;
    readonly credentialsFile: string;
  }[];
}

/** The operator console's settings. */
export interface ConsoleConfigFile {
  /** Operators with scrypt password hashes (see the console README for how to make one). */
  readonly operators?: readonly PasswordOperator[];
  /** Operators authenticated by a reverse proxy header, believed only from its addresses. */
  readonly trustedProxy?: TrustedProxyAuthentication;
  /** Where connections live, sealed. Default: in memory (lost on restart). */
  readonly connectionsFile?: string;
  /** Key of the connections file. Default: the token store's key (`store.keyFile` or AIC_STORE_KEY). */
  readonly keyFile?: string;
  /** `Secure` + `__Host-` cookies (default true). `false` only for plain http on loopback. */
  readonly secureCookies?: boolean;
  readonly timeZone?: string;
  readonly basePath?: string;
}

/** The console's settings as resolved: paths absolute, key read. */
export interface ConsoleSettings {
  readonly operators: readonly PasswordOperator[];
  readonly trustedProxy?: TrustedProxyAuthentication | undefined;
  readonly connectionsFile?: { readonly path: string; readonly key: Buffer } | undefined;
  readonly secureCookies: boolean;
  readonly timeZone?: string | undefined;
  readonly basePath?: string | undefined;
}

export type StoreConfigFile =
  | { readonly type: 'memory' }
  | { readonly type: 'file'; readonly path: string; readonly keyFile?: string }
  | {
      readonly type: 'redis';
      readonly url?: string;
      readonly keyPrefix?: string;
      readonly keyFile?: string;
      /** Tokens as plain JSON in Redis: only for a Redis protected by other means (warned about). */
      readonly plaintext?: boolean;
    };

/** Stores as resolved from the configuration: paths absolute, keys read. */
export type StoreSpec =
  | { readonly type: 'memory' }
  | { readonly type: 'file'; readonly path: string; readonly key: Buffer }
  | {
      readonly type: 'redis';
      readonly url: string;
      readonly keyPrefix: string;
      /** Seals the records; absent only when the configuration asks for `plaintext`. */
      readonly key?: Buffer | undefined;
    };

export interface HostConfig {
  readonly host: string;
  readonly port: number;
  readonly connectorPackages: readonly string[];
  readonly store: StoreSpec;
  readonly console: ConsoleSettings;
  readonly endpoints: { readonly development: boolean; readonly allowedOrigins: readonly string[] };
  readonly connections: readonly ConnectionConfig[];
}

/** A configuration problem, said plainly (the message never contains a secret). */
export class HostConfigError extends Error {
  override readonly name = 'HostConfigError';
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

async function readJson(path: string, what: string): Promise<unknown> {
  let content: string;
  try {
    content = await readFile(path, 'utf8');
  } catch {
    throw new HostConfigError(`cannot read ${what} ${path}`);
  }
  try {
    return JSON.parse(content);
  } catch {
    // JSON.parse messages quote the input, which may be a secret: not passed on.
    throw new HostConfigError(`${what} ${path} is not valid JSON`);
  }
}

async function readKey(
  keyFile: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): Promise<Buffer | undefined> {
  if (keyFile !== undefined) {
    const content = await readFile(keyFile, 'utf8').catch(() => {
      throw new HostConfigError(`cannot read key file ${keyFile}`);
    });
    return decodeStoreKey(content);
  }
  const value = env['AIC_STORE_KEY'];
  return value === undefined || value === '' ? undefined : decodeStoreKey(value);
}

/** Reads and checks the configuration file, the credentials files and the store key. */
export async function loadHostConfig(
  path: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<HostConfig> {
  const base = dirname(resolve(path));
  const at = (relative: string): string => (isAbsolute(relative) ? relative : resolve(base, relative));
  const file = await readJson(resolve(path), 'configuration file');
  if (
    !isObject(file) ||
    !Array.isArray(file['connectors']) ||
    (file['connections'] !== undefined && !Array.isArray(file['connections']))
  ) {
    throw new HostConfigError(`${path} needs "connectors" (package names); "connections" must be an array`);
  }
  const config = file as unknown as HostConfigFile;
  const connections: ConnectionConfig[] = [];
  for (const entry of config.connections ?? []) {
    if (
      !isObject(entry) ||
      typeof entry.id !== 'string' ||
      typeof entry.connector !== 'string' ||
      typeof entry.credentialsFile !== 'string'
    ) {
      throw new HostConfigError('every connection needs "id", "connector" and "credentialsFile"');
    }
    const credentials = await readJson(
      at(entry.credentialsFile),
      `credentials file of connection ${entry.id}`,
    );
    if (!isObject(credentials))
      throw new HostConfigError(`credentials of connection ${entry.id} must be a JSON object`);
    connections.push({ id: entry.id, connector: entry.connector, credentials });
  }
  const store = config.store ?? { type: 'memory' };
  let spec: StoreSpec;
  if (store.type === 'memory') {
    spec = { type: 'memory' };
  } else if (store.type === 'file') {
    const key = await readKey(store.keyFile === undefined ? undefined : at(store.keyFile), env);
    if (key === undefined) {
      throw new HostConfigError(
        'the file store needs "keyFile" or AIC_STORE_KEY (create one with: aic key generate --out store.key)',
      );
    }
    spec = { type: 'file', path: at(store.path), key };
  } else if (store.type === 'redis') {
    const url = store.url ?? env['AIC_REDIS_URL'];
    if (url === undefined) throw new HostConfigError('the redis store needs "url" or AIC_REDIS_URL');
    const key = await readKey(store.keyFile === undefined ? undefined : at(store.keyFile), env);
    if (key === undefined && store.plaintext !== true) {
      throw new HostConfigError(
        'the redis store encrypts tokens and needs "keyFile" or AIC_STORE_KEY (create one with: aic key generate --out store.key), or "plaintext": true for a Redis protected by other means',
      );
    }
    spec = { type: 'redis', url, keyPrefix: store.keyPrefix ?? 'aic:', key };
  } else {
    throw new HostConfigError('"store.type" must be memory, file or redis');
  }
  return {
    host: config.listen?.host ?? '127.0.0.1',
    port: config.listen?.port ?? 8080,
    // Package names resolve from the host's installation; paths from the configuration file.
    connectorPackages: config.connectors.map((name) => (name.startsWith('.') ? at(name) : name)),
    store: spec,
    console: await consoleSettings(config.console ?? {}, spec, at, env),
    endpoints: {
      development: config.endpoints?.development === true,
      allowedOrigins: [...(config.endpoints?.allowedOrigins ?? [])],
    },
    connections,
  };
}

async function consoleSettings(
  file: ConsoleConfigFile,
  store: StoreSpec,
  at: (relative: string) => string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<ConsoleSettings> {
  const raw: unknown = file;
  if (!isObject(raw)) throw new HostConfigError('"console" must be an object');
  if (file.operators !== undefined && !Array.isArray(file.operators)) {
    throw new HostConfigError('"console.operators" must be an array of { "username", "passwordHash" }');
  }
  for (const name of ['connectionsFile', 'keyFile', 'timeZone', 'basePath'] as const) {
    if (file[name] !== undefined && typeof file[name] !== 'string') {
      throw new HostConfigError(`"console.${name}" must be a string`);
    }
  }
  if (file.secureCookies !== undefined && typeof file.secureCookies !== 'boolean') {
    throw new HostConfigError('"console.secureCookies" must be true or false');
  }
  let connectionsFile: ConsoleSettings['connectionsFile'];
  if (file.connectionsFile !== undefined) {
    const key =
      file.keyFile !== undefined
        ? await readKey(at(file.keyFile), env)
        : store.type === 'memory'
          ? await readKey(undefined, env)
          : store.key;
    if (key === undefined) {
      throw new HostConfigError(
        'the console\'s connections file holds client secrets sealed with a key: give "console.keyFile", the store\'s key, or AIC_STORE_KEY',
      );
    }
    connectionsFile = { path: at(file.connectionsFile), key };
  }
  return {
    operators: file.operators ?? [],
    trustedProxy: file.trustedProxy,
    connectionsFile,
    secureCookies: file.secureCookies ?? true,
    timeZone: file.timeZone,
    basePath: file.basePath,
  };
}
