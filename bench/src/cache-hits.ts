import { Agent } from 'undici';
import { MemoryTokenStore, connectionKey, type ConnectionRecord } from '@aic/connector-core';
import type { BenchModule } from './module.js';
import { benchConnections, benchConnector } from './provider.js';
import { fmt, fmtSpread, spreadOf } from './stats.js';

const sizes = {
  full: { connections: 1_000, rounds: 5, sameIterations: 2_000_000, freshIterations: 200_000 },
  smoke: { connections: 20, rounds: 2, sameIterations: 2_000, freshIterations: 2_000 },
};

/** A memory store that counts reads: a cache hit must not read the store. */
class CountingStore extends MemoryTokenStore {
  reads = 0;
  override get(key: string): Promise<ConnectionRecord | undefined> {
    this.reads++;
    return super.get(key);
  }
}

function freshRecord(n: number, now: number): ConnectionRecord {
  return {
    status: 'active',
    tokens: {
      accessToken: `at-${String(n).padStart(8, '0')}-${'x'.repeat(88)}`,
      tokenType: 'Bearer',
      issuedAt: now,
      expiresAt: now + 3_600_000,
    },
    updatedAt: now,
  };
}

/** Calls per second of `call(i)` over `iterations` sequential awaits, `rounds` times. */
async function rate(
  rounds: number,
  iterations: number,
  call: (i: number) => Promise<unknown>,
): Promise<number[]> {
  const rates: number[] = [];
  for (let i = 0; i < Math.min(iterations, 10_000); i++) await call(i); // warm-up
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < iterations; i++) await call(i);
    rates.push((iterations / (performance.now() - started)) * 1000);
  }
  return rates;
}

/**
 * `getAccessToken` cache hits on one core (sequential awaits, no network): with the object the
 * host keeps, and with a new connection object per call (the opener's by-id path: its credentials compared with the cached copy).
 */
export const cacheHits: BenchModule = {
  id: 'cache-hits',
  async run({ size, log }) {
    const options = sizes[size];
    const store = new CountingStore();
    const dispatcher = new Agent();
    try {
      const connector = benchConnector(dispatcher, store);
      const connections = benchConnections('http://127.0.0.1:9', options.connections, 'hit');
      const now = Date.now();
      const kept = connections.ids.map((id, i) => {
        void store.set(connectionKey('bench', id), freshRecord(i, now));
        return connections.fresh(i);
      });
      for (const connection of kept) await connector.getAccessToken(connection);
      const readsAfterWarmup = store.reads;
      log('cache hits: same object, new object per call');
      const one = kept[0]!;
      const same = await rate(options.rounds, options.sameIterations, () => connector.getAccessToken(one));
      const fresh = await rate(options.rounds, options.freshIterations, (i) =>
        connector.getAccessToken(connections.fresh(i)),
      );
      const sameSpread = spreadOf(same);
      const freshSpread = spreadOf(fresh);
      const micro = (rates: readonly number[]): string => fmtSpread(spreadOf(rates.map((r) => 1e6 / r)), 3);
      return {
        data: { options, sameObject: sameSpread, newObject: freshSpread },
        sections: [
          {
            title: 'getAccessToken cache hits (one core)',
            about: `Sequential \`await connector.getAccessToken()\` on cached tokens, no network; ${options.rounds} rounds, median (min–max). A new object per call goes through the opener's by-id cache (${fmt(options.connections)} connections, round-robin).`,
            columns: ['connection object', 'hits / s', 'µs per hit'],
            rows: [
              ['same object (kept by the host)', fmtSpread(sameSpread), micro(same)],
              ['new object per call (read from a database)', fmtSpread(freshSpread), micro(fresh)],
            ],
          },
        ],
        targets: [
          {
            name: 'getAccessToken cache hits / s, one core (same object)',
            target: '≥ 1,000,000',
            figure: fmtSpread(sameSpread),
            met: sameSpread.median >= 1_000_000,
          },
        ],
        facts: [
          {
            name: 'store reads to warm the cache (one per connection)',
            expected: options.connections,
            actual: readsAfterWarmup,
          },
          { name: 'store reads during cache hits', expected: 0, actual: store.reads - readsAfterWarmup },
        ],
      };
    } finally {
      await dispatcher.close();
    }
  },
};
