/**
 * Tiny-N run of the store benchmarks (`pnpm bench` runs them at 1k / 10k / 50k connections and
 * 4 × 5,000 in the storm). It asserts correctness facts, never speed.
 */
import { smokeOptions } from '../src/benchmarks.js';
import { startServer } from '../src/server-process.js';
import { measureSqliteStorm } from '../src/storm-sqlite.js';
import { measureStoreScale } from '../src/store-scale.js';

describe('store benchmarks (smoke)', () => {
  it('measures get, set, cold getAccessToken and refresh on both stores', async () => {
    const server = await startServer();
    try {
      const rows = await measureStoreScale(server, smokeOptions.stores);
      expect(rows.map((row) => `${row.store}@${row.connections}`)).toEqual(['sqlite@100', 'file@100']);
      for (const row of rows) {
        for (const figure of [row.get, row.set, row.coldGetAccessToken, row.refresh]) {
          expect(figure.samples).toBe(5);
          expect(figure.medianMs).toBeGreaterThan(0);
          expect(figure.p95Ms).toBeGreaterThanOrEqual(figure.medianMs);
        }
      }
      // Each refresh made exactly one token request (the refresh figure is real work).
      expect((await server.stats()).tokenCalls).toBe(2 * 5);
    } finally {
      await server.stop();
    }
  }, 60_000);

  it('the SQLite storm: one refresh per connection across processes, within the limit, no failed call', async () => {
    const storm = await measureSqliteStorm(smokeOptions.sqliteStorm);
    expect(storm).toMatchObject({
      processes: 2,
      calls: 100,
      failedCalls: 0,
      failures: {},
      refreshes: 50,
      connectionsRefreshedTwice: 0,
      invalidGrants: 0,
    });
    expect(storm.maxConcurrentTokenRequests).toBeLessThanOrEqual(4);
    expect(storm.maxConcurrentTokenRequests).toBeGreaterThan(1);
    expect(storm.storeOperationsPerRefresh).toBeGreaterThan(0);
  }, 60_000);
});
