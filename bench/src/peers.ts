import {
  badgateway,
  benchAgent,
  globalFetch,
  openidClient,
  ours,
  rawUndici,
  undiciFetchStatic,
} from './contenders.js';
import { interleave, type InterleaveOptions } from './interleave.js';
import type { BenchModule } from './module.js';
import { fmt } from './stats.js';
import { contendersSection, noFailures, throughputSection } from './throughput-table.js';

const sizes: Record<'full' | 'smoke', InterleaveOptions & { connections: number }> = {
  full: { connections: 1_000, concurrencies: [1, 16, 128], rounds: 5, durationMs: 1_000, warmupMs: 500 },
  smoke: { connections: 20, concurrencies: [1, 4], rounds: 1, durationMs: 100, warmupMs: 50 },
};

/**
 * Issue #13 item 4: peers given the same dispatcher where they accept one, described as what they
 * are. Ours (fresh connection objects) runs in the same rounds so the comparison is direct.
 */
export const peers: BenchModule = {
  id: 'peers',
  async run({ size, server, log }) {
    const options = sizes[size];
    const dispatcher = benchAgent();
    try {
      await server.post('/reset');
      const contenders = [
        rawUndici(server.base, dispatcher),
        await ours(server.base, dispatcher, options.connections, 'fresh'),
        undiciFetchStatic(server.base, dispatcher),
        await openidClient(server.base, dispatcher),
        badgateway(server.base, dispatcher),
        globalFetch(server.base),
      ];
      log(`peers: ${options.rounds} rounds × ${contenders.length} contenders`);
      const figures = await interleave(contenders, options);
      const tokenRequests = (await server.stats()).tokenCalls;
      return {
        data: { options, figures, tokenRequests },
        sections: [
          throughputSection(
            'Peers: authorized GET, the same dispatcher where a library takes one',
            [
              `Same method as the host path (${options.rounds} interleaved rounds of ${fmt(options.durationMs)} ms, ratio to raw undici in the same round, median (min–max)).`,
              'The peers are OAuth *clients*, not connectors: each serves one token for one client, so they run on one connection while ours keeps',
              `${fmt(options.connections)} connections and is handed a new connection object per call.`,
              'openid-client and @badgateway/oauth2-client are given undici 8 `fetch` bound to the same `Agent` as raw undici and ours;',
              "Node's global `fetch` (its own bundled undici and global dispatcher) is shown for reference.",
            ].join(' '),
            figures,
          ),
          contendersSection('Peer contenders: what each does per call', contenders),
        ],
        targets: [],
        facts: [
          {
            name: 'token requests (one grant per connection of ours, one for openid-client, one for oauth2-client)',
            expected: options.connections + 2,
            actual: tokenRequests,
          },
          ...noFailures(figures),
        ],
      };
    } finally {
      await dispatcher.close();
    }
  },
};
