/**
 * One host process of the SQLite storm (`storm-sqlite.ts`): the shared SqliteTokenStore and its
 * token request limiter, run by `store-storm-host.ts`; its summary carries the store's operation
 * counts.
 *
 *   node storm-sqlite-worker.js <tokenBase> <idPrefix> <connections> <limit> <db>   (key: AIC_BENCH_STORE_KEY, hex)
 */
import { SqliteTokenRequestLimiter, SqliteTokenStore } from '@aic/store-sqlite';
import { serveStormHost, stormHostArguments } from './store-storm-host.js';

const args = stormHostArguments();
const [db = ''] = args.storeArgs;
const store = new SqliteTokenStore({
  path: db,
  keys: { current: Buffer.from(process.env['AIC_BENCH_STORE_KEY'] ?? '', 'hex') },
});
serveStormHost(args, {
  tokenStore: store,
  pendingStore: store.pending,
  tokenLimiter: new SqliteTokenRequestLimiter(store, { concurrency: args.limit }),
  figures: () => store.operations,
  close: () => store.close(),
});
