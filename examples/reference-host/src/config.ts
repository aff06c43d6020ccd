import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { decodeStoreKey } from '@aic/connector-core';
import type { ConnectionConfig } from './server.js';

/**
 * The host's configuration file (see `aic-host.example.json`):
 *
 * ```json
 * { "listen": { "host": "127.0.0.1", "port": 8080 },
 *   "connectors": ["@aic/provider-hp-techpulse"],
 *   "store": { "type": "file", "path": "./data/tokens.enc", "keyFile": "./data/store.key" },
 *   "connections": [{ "id": "hp-acme", "connector": "hp-techpulse", "credentialsFile": "./hp-acme.json" }] }
 * ```
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
  readonly connections: readonly {
    readonly id: string;
    readonly connector: string;
    readonly credentialsFile: string;
  }[];
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
  if (!isObject(file) || !Array.isArray(file['connectors']) || !Array.isArray(file['connections'])) {
    throw new HostConfigError(`${path} needs "connectors" (package names) and "connections" arrays`);
  }
  const config = file as unknown as HostConfigFile;
  const connections: ConnectionConfig[] = [];
  for (const entry of config.connections) {
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
    connections,
  };
}
