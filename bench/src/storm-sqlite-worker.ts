/**
 * One process of the SQLite refresh storm: opens the shared store and its token request limiter,
 * prints "ready", and on a line on stdin calls getAccessToken once on every connection at the same
 * moment; prints a JSON summary (failures by code, store operations) and exits.
 *   node storm-sqlite-worker.js <db> <endpointBase> <connections> <limit>   (key: AIC_BENCH_STORE_KEY, hex)
 */
import { createInterface } from 'node:readline';
import { SqliteTokenRequestLimiter, SqliteTokenStore } from '@aic/store-sqlite';
import { Agent } from 'undici';
import { stormConnection, stormConnector } from './storm-sqlite-connector.js';

const [db = '', base = '', connectionsArg = '0', limitArg = '16'] = process.argv.slice(2);
const store = new SqliteTokenStore({
  path: db,
  keys: { current: Buffer.from(process.env['AIC_BENCH_STORE_KEY'] ?? '', 'hex') },
});
const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 60_000 });
const connector = stormConnector(base, dispatcher, {
  tokenStore: store,
  pendingStore: store.pending,
  tokenLimiter: new SqliteTokenRequestLimiter(store, { concurrency: Number(limitArg) }),
});
const lines = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
lines.once('line', () => {
  void (async () => {
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: Number(connectionsArg) }, (_, n) => connector.getAccessToken(stormConnection(n))),
    );
    const elapsedMs = performance.now() - started;
    const failures: Record<string, number> = {};
    for (const result of results) {
      if (result.status === 'rejected') {
        const code = (result.reason as { code?: string }).code ?? 'unknown';
        failures[code] = (failures[code] ?? 0) + 1;
      }
    }
    process.stdout.write(`${JSON.stringify({ failures, elapsedMs, operations: store.operations })}\n`);
    lines.close();
    store.close();
    await dispatcher.close();
    process.exit(0);
  })();
});
