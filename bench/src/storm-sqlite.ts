import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteTokenStore, type StoreOperationCounts } from '@aic/store-sqlite';
import type { BenchModule } from './module.js';
import { fmtSpread } from './stats.js';
import { storeStormModule, type StormStore } from './store-storm.js';

/** The SQLite figures of a storm round. */
export interface SqliteStormFigures {
  /** Read and write transactions of all processes (lock, limiter and watcher included) per refresh. */
  readonly storeOperationsPerRefresh: number;
  /** Write transactions committed (several writes share one) per refresh. */
  readonly transactionsPerRefresh: number;
  readonly busyRetries: number;
}

/**
 * The storm on one SQLite file (a fresh one each round, with its own store key); hosts are
 * `storm-sqlite-worker.ts`. Its own figures: store operations and write transactions per refresh,
 * from the hosts' operation counts.
 */
export const sqliteStormStore: StormStore<SqliteStormFigures> = {
  id: 'sqlite-storm',
  name: 'SQLite',
  sizes: {
    full: { processes: 4, connections: 5_000, limit: 32, tokenDelayMs: 50, rounds: 3 },
    smoke: { processes: 2, connections: 50, limit: 4, tokenDelayMs: 10, rounds: 1 },
  },
  start: () =>
    Promise.resolve({
      stop: () => Promise.resolve(),
      round: () => {
        const dir = mkdtempSync(join(tmpdir(), 'aic-bench-storm-'));
        const path = join(dir, 'tokens.db');
        const key = randomBytes(32);
        return Promise.resolve({
          host: 'storm-sqlite-worker.js',
          hostArgs: [path],
          hostEnv: { AIC_BENCH_STORE_KEY: key.toString('hex') },
          async seed(records) {
            const seed = new SqliteTokenStore({ path, keys: { current: key } });
            const now = Date.now();
            await seed.importSnapshot(
              { source: 'bench', fingerprint: 'storm', records: [...records], pending: [] },
              { now },
            );
            seed.close();
          },
          figures(summaries, refreshes) {
            let operations = 0;
            let transactions = 0;
            let busyRetries = 0;
            for (const summary of summaries) {
              const counts = summary.store as StoreOperationCounts;
              operations += counts.reads + counts.writes;
              transactions += counts.transactions;
              busyRetries += counts.busyRetries;
            }
            return Promise.resolve({
              storeOperationsPerRefresh: refreshes === 0 ? Number.NaN : operations / refreshes,
              transactionsPerRefresh: refreshes === 0 ? Number.NaN : transactions / refreshes,
              busyRetries,
            });
          },
          close: () => {
            rmSync(dir, { recursive: true, force: true });
            return Promise.resolve();
          },
        });
      },
    }),
  about: {
    seeded: 'one SQLite store',
    hosts: 'a `SqliteTokenStore` and a `SqliteTokenRequestLimiter`',
    figures:
      'Store operations are the read transactions and writes of all processes (leases, grant spends, the limiter and the lock watcher included); writes requested together share a transaction.',
  },
  rows: (of) => [
    [
      'store operations per refresh (all processes)',
      fmtSpread(
        of((r) => r.store.storeOperationsPerRefresh),
        1,
      ),
      '',
    ],
    [
      'write transactions per refresh',
      fmtSpread(
        of((r) => r.store.transactionsPerRefresh),
        2,
      ),
      '',
    ],
  ],
};

/** 4 processes × 5,000 expiring connections on one SQLite store (issue #13's storm). */
export const sqliteStorm: BenchModule = storeStormModule(sqliteStormStore);
