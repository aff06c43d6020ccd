import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import {
  connectionKey,
  type ConnectionRecord,
  type PendingAuthorizationStore,
  type TokenStore,
} from '@aic/connector-core';
import { EncryptedFileTokenStore } from '@aic/store-file';
import { SqliteTokenStore } from '@aic/store-sqlite';
import { benchConnection } from './provider.js';
import type { ServerProcess } from './server-process.js';
import { benchRecord, connectorOnStore, timeOperation, type LatencyFigure } from './store-provider.js';

export interface StoreScaleRow {
  readonly store: 'sqlite' | 'file';
  readonly connections: number;
  /** Time to fill the store with `connections` records (bulk: one import / grouped writes). */
  readonly fillMs: number;
  readonly get: LatencyFigure;
  readonly set: LatencyFigure;
  /** `getAccessToken` with a fresh connector (empty process cache), the token in the store. */
  readonly coldGetAccessToken: LatencyFigure;
  /** `getAccessToken` on an expired token: lock, read, token request (loopback), write, release. */
  readonly refresh: LatencyFigure;
}

export interface StoreScaleOptions {
  readonly sqliteSizes: readonly number[];
  readonly fileSizes: readonly number[];
  readonly rounds: number;
  /** Timed operations per round and figure at `connections` records. */
  readonly opsAt: (store: 'sqlite' | 'file', connections: number) => number;
}

const KEY = randomBytes(32);
const key = (prefix: string, n: number): string => connectionKey('bench', `${prefix}-${n}`);

interface Opened {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  fill(records: readonly (readonly [string, ConnectionRecord])[]): Promise<void>;
  close(): void;
}

function open(kind: 'sqlite' | 'file', dir: string): Opened {
  if (kind === 'sqlite') {
    const store = new SqliteTokenStore({ path: join(dir, 'tokens.db'), keys: { current: KEY } });
    return {
      tokenStore: store,
      pendingStore: store.pending,
      fill: async (records) => {
        await store.importSnapshot(
          { source: 'bench', fingerprint: randomBytes(16).toString('hex'), records, pending: [] },
          { now: Date.now() },
        );
      },
      close: () => store.close(),
    };
  }
  const store = new EncryptedFileTokenStore({ path: join(dir, 'tokens.enc'), keys: { current: KEY } });
  return {
    tokenStore: store,
    pendingStore: store.pending,
    // Writes queued together are committed as one rewrite of the file (its group commit).
    fill: async (records) => {
      for (let i = 0; i < records.length; i += 5_000) {
        await Promise.all(records.slice(i, i + 5_000).map(([k, record]) => store.set(k, record)));
      }
    },
    close: () => undefined,
  };
}

/**
 * One store at one size: `connections` records with fresh tokens (`c-*`) plus a few expired ones
 * (`r-*`) for the refresh figure; then get, set, cold getAccessToken and refresh, each as
 * `rounds` repetitions of `ops` operations on random connections.
 */
async function measureOne(
  kind: 'sqlite' | 'file',
  connections: number,
  server: ServerProcess,
  options: StoreScaleOptions,
): Promise<StoreScaleRow> {
  const dir = mkdtempSync(join(tmpdir(), `aic-bench-${kind}-`));
  const store = open(kind, dir);
  const dispatcher = new Agent({ connections: 8 });
  try {
    const ops = options.opsAt(kind, connections);
    const now = Date.now();
    const refreshes = options.rounds * ops;
    const records: (readonly [string, ConnectionRecord])[] = [];
    for (let n = 0; n < connections; n++) records.push([key('c', n), benchRecord(n, now, now + 3_600_000)]);
    for (let n = 0; n < refreshes; n++)
      records.push([key('r', n), benchRecord(n, now - 7_200_000, now - 3_600_000)]);
    const started = performance.now();
    await store.fill(records);
    const fillMs = performance.now() - started;
    const random = (): number => Math.floor(Math.random() * connections);

    const get = await timeOperation(options.rounds, ops, () => store.tokenStore.get(key('c', random())));
    const set = await timeOperation(options.rounds, ops, () => {
      const n = random();
      return store.tokenStore.set(key('c', n), benchRecord(n, now, now + 3_600_000));
    });
    let connector = connectorOnStore(dispatcher, store);
    const cold = await timeOperation(
      options.rounds,
      ops,
      // A fresh connection object per call, as a host reading it from its database does.
      () => connector.getAccessToken(benchConnection(server.base, `c-${random()}`)),
      () => {
        connector = connectorOnStore(dispatcher, store); // a fresh process cache per round
      },
    );
    let next = 0;
    const refresh = await timeOperation(options.rounds, ops, () =>
      connector.getAccessToken(benchConnection(server.base, `r-${next++}`)),
    );
    return { store: kind, connections, fillMs, get, set, coldGetAccessToken: cold, refresh };
  } finally {
    store.close();
    await dispatcher.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The store figures at every configured size (SQLite first, then the encrypted file). */
export async function measureStoreScale(
  server: ServerProcess,
  options: StoreScaleOptions,
): Promise<StoreScaleRow[]> {
  const rows: StoreScaleRow[] = [];
  for (const size of options.sqliteSizes) rows.push(await measureOne('sqlite', size, server, options));
  for (const size of options.fileSizes) rows.push(await measureOne('file', size, server, options));
  return rows;
}
