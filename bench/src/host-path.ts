import { benchAgent, ours, rawUndici } from './contenders.js';
import { interleave, type InterleaveOptions } from './interleave.js';
import type { BenchModule, Fact } from './module.js';
import { fmt, fmtSpread } from './stats.js';
import { contendersSection, noFailures, throughputSection } from './throughput-table.js';

const sizes: Record<'full' | 'smoke', InterleaveOptions & { connections: number }> = {
  full: { connections: 1_000, concurrencies: [1, 16, 128], rounds: 7, durationMs: 1_500, warmupMs: 500 },
  smoke: { connections: 20, concurrencies: [1, 4], rounds: 2, durationMs: 100, warmupMs: 50 },
};

/** The target for the host path with fresh connection objects, at these concurrencies. */
const TARGET_RATIO = 0.9;
const TARGET_CONCURRENCIES = [16, 128];

/**
 * Issue #13 item 4: the host path. `connector.request()` over many connections, a new connection
 * object per call (a host reading its database), against raw `undici.request` with a static token;
 * the kept-object path beside it.
 */
export const hostPath: BenchModule = {
  id: 'host-path',
  async run({ size, server, log }) {
    const options = sizes[size];
    const dispatcher = benchAgent();
    try {
      await server.post('/reset');
      const fresh = await ours(server.base, dispatcher, options.connections, 'fresh');
      const same = await ours(server.base, dispatcher, options.connections, 'same');
      const contenders = [rawUndici(server.base, dispatcher), fresh, same];
      const warmup = (await server.stats()).tokenCalls;
      await server.post('/reset');
      log(
        `host path: ${options.connections} connections, ${options.rounds} rounds × ${contenders.length} contenders`,
      );
      const figures = await interleave(contenders, options);
      const during = (await server.stats()).tokenCalls;

      const targets = TARGET_CONCURRENCIES.flatMap((concurrency) => {
        const row = figures.find((f) => f.contender === fresh.name && f.concurrency === concurrency);
        return row === undefined
          ? []
          : [
              {
                name: `host path, new connection object per call, ${fmt(options.connections)} connections, c=${concurrency}`,
                target: `≥ ${TARGET_RATIO.toFixed(2)}× raw undici`,
                figure: `${fmtSpread(row.ratio, 3)}×`,
                met: row.ratio.median >= TARGET_RATIO,
              },
            ];
      });
      const facts: Fact[] = [
        {
          name: 'warm-up token requests (one client credentials grant per connection and connector)',
          expected: 2 * options.connections,
          actual: warmup,
        },
        {
          name: 'token requests while measuring (every call served from the cache)',
          expected: 0,
          actual: during,
        },
        ...noFailures(figures),
      ];
      return {
        data: { options, figures, warmupTokenRequests: warmup, tokenRequestsWhileMeasuring: during },
        sections: [
          throughputSection(
            `Host path: authorized GET over ${fmt(options.connections)} connections`,
            [
              `Closed-loop load at each concurrency; contenders interleaved for ${options.rounds} rounds of ${fmt(options.durationMs)} ms (order rotated each round, full GC before each run).`,
              "Ratio = a contender's req/s over raw undici's **in the same round**; shown as the median over rounds (min–max).",
              'Every contender shares one undici `Agent` (256 connections, keep-alive) to the loopback provider, which runs in its own process.',
              `Each connection has its own cached token (one client credentials grant per connection at warm-up; ${warmup} token requests, then ${during} while measuring).`,
            ].join(' '),
            figures,
          ),
          contendersSection('Host path contenders', contenders),
        ],
        targets,
        facts,
      };
    } finally {
      await dispatcher.close();
    }
  },
};
