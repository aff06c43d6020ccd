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
import type { BenchModule, BenchSize, Fact } from './module.js';
import { fmt } from './stats.js';
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
  /** `getAccessToken` on an expired token: lock, read, spend, token request (loopback), write, release. */
  readonly refresh: LatencyFigure;
  /** Token requests the provider received during the cold figure (0: every token from the store). */
  readonly coldTokenRequests: number;
  /** Token requests during the refresh figure (one per refreshed connection). */
  readonly refreshTokenRequests: number;
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
    const beforeCold = (await server.stats()).tokenCalls;
    const cold = await timeOperation(
      options.rounds,
      ops,
      // A fresh connection object per call, as a host reading it from its database does.
      () => connector.getAccessToken(benchConnection(server.base, `c-${random()}`)),
      () => {
        connector = connectorOnStore(dispatcher, store); // a fresh process cache per round
      },
    );
    const afterCold = (await server.stats()).tokenCalls;
    let next = 0;
    const refresh = await timeOperation(options.rounds, ops, () =>
      connector.getAccessToken(benchConnection(server.base, `r-${next++}`)),
    );
    const afterRefresh = (await server.stats()).tokenCalls;
    return {
      store: kind,
      connections,
      fillMs,
      get,
      set,
      coldGetAccessToken: cold,
      refresh,
      coldTokenRequests: afterCold - beforeCold,
      refreshTokenRequests: afterRefresh - afterCold,
    };
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

const sizes: Record<BenchSize, StoreScaleOptions> = {
  full: {
    sqliteSizes: [1_000, 10_000, 50_000],
    fileSizes: [1_000, 10_000, 50_000],
    rounds: 3,
    // The file store reads (and rewrites) the whole file per operation: fewer samples as it grows.
    opsAt: (store, connections) =>
      store === 'sqlite' ? 500 : Math.max(4, Math.floor(Math.min(200, 100_000 / connections))),
  },
  smoke: { sqliteSizes: [100], fileSizes: [100], rounds: 1, opsAt: () => 5 },
};

/** `median (p95) [lowest–highest round median]`, in ms. */
const latency = (f: LatencyFigure): string =>
  `${fmt(f.medianMs, 3)} (${fmt(f.p95Ms, 3)}) [${fmt(f.roundMedianMs[0], 3)}–${fmt(f.roundMedianMs[1], 3)}]`;

/** For the targets table: the median, and the lowest–highest median of the rounds. */
const roundSpread = (f: LatencyFigure, rounds: number): string =>
  rounds <= 1
    ? `${fmt(f.medianMs, 3)} (n=1)`
    : `${fmt(f.medianMs, 3)} (${fmt(f.roundMedianMs[0], 3)}–${fmt(f.roundMedianMs[1], 3)}, n=${rounds})`;

const storeName = (store: 'sqlite' | 'file'): string =>
  store === 'sqlite' ? '@aic/store-sqlite' : '@aic/store-file';

/** The token stores at 1k / 10k / 50k connections (issue #13: every store at scale). */
export const storeScale: BenchModule = {
  id: 'store-scale',
  async run({ size, server, log }) {
    const options = sizes[size];
    log(
      `store scale: SQLite at ${options.sqliteSizes.join(', ')}, file store at ${options.fileSizes.join(', ')}`,
    );
    const rows = await measureStoreScale(server, options);
    const largest = rows.filter((row) => row.store === 'sqlite').at(-1);
    const facts: Fact[] = rows.flatMap((row) => [
      {
        name: `store scale ${row.store}@${row.connections}: token requests of cold getAccessToken (the token is in the store)`,
        expected: 0,
        actual: row.coldTokenRequests,
      },
      {
        name: `store scale ${row.store}@${row.connections}: token requests of the refresh figure (one per expired connection)`,
        expected: row.refresh.samples,
        actual: row.refreshTokenRequests,
      },
    ]);
    const at = largest === undefined ? '' : fmt(largest.connections);
    return {
      data: rows,
      sections: [
        {
          title: 'Token stores at scale',
          about: [
            'Each store is filled with the given number of connections (SQLite: one `importSnapshot`; the file store: writes grouped 5,000 at a time, its group commit),',
            'then on random connections: `get`; `set` (durable: the SQLite WAL, or the whole file, fsynced);',
            '**cold `getAccessToken`** (a fresh connector — an empty process cache — and a new connection object per call, the token in the store: lease, read, release);',
            '**refresh** (an expired token: lease, read, grant spend, token request to the loopback provider, write, release).',
            `${options.rounds} rounds; ms as median (p95) [lowest–highest median of the rounds]. The file store gets fewer samples as it grows (every operation reads, and a write rewrites, the whole file).`,
          ].join(' '),
          columns: [
            'store',
            'connections',
            'get',
            'set',
            'cold getAccessToken',
            'refresh',
            'samples',
            'fill (ms)',
          ],
          rows: rows.map((row) => [
            storeName(row.store),
            fmt(row.connections),
            latency(row.get),
            latency(row.set),
            latency(row.coldGetAccessToken),
            latency(row.refresh),
            fmt(row.get.samples),
            fmt(row.fillMs),
          ]),
        },
      ],
      targets:
        largest === undefined
          ? []
          : [
              {
                name: `SQLite store at ${at} connections: get median`,
                target: '≤ 2 ms',
                figure: roundSpread(largest.get, options.rounds),
                met: largest.get.medianMs <= 2,
              },
              {
                name: `SQLite store at ${at} connections: set median`,
                target: '≤ 2 ms',
                figure: roundSpread(largest.set, options.rounds),
                met: largest.set.medianMs <= 2,
              },
              {
                name: `SQLite store at ${at} connections: cold getAccessToken median`,
                target: '≤ 5 ms',
                figure: roundSpread(largest.coldGetAccessToken, options.rounds),
                met: largest.coldGetAccessToken.medianMs <= 5,
              },
            ],
      facts,
    };
  },
};
