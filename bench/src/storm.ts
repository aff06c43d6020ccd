import { Agent } from 'undici';
import { MemoryTokenStore, connectionKey } from '@aic/connector-core';
import { benchConnection, benchConnector } from './provider.js';
import type { BenchModule } from './module.js';
import type { ServerProcess } from './server-process.js';
import { fmt } from './stats.js';

export interface StormResult {
  readonly callers: number;
  readonly tokenRequests: number;
  readonly allCompletedMs: number;
  readonly failures: number;
}

/**
 * `callers` concurrent `request()` calls on a connection whose token has expired: the engine must
 * make exactly one token request and every caller must complete.
 */
export async function measureRefreshStorm(server: ServerProcess, callers: number): Promise<StormResult> {
  const store = new MemoryTokenStore();
  const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 60_000 });
  const connector = benchConnector(dispatcher, store);
  const connection = benchConnection(server.base, 'storm');
  const past = Date.now() - 7_200_000;
  await store.set(connectionKey('bench', connection.id), {
    status: 'active',
    tokens: { accessToken: 'expired', tokenType: 'Bearer', issuedAt: past, expiresAt: past + 3_600_000 },
    updatedAt: past,
  });
  await server.post('/reset');
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: callers }, () =>
      connector.request(connection, { method: 'GET', path: '/api/items' }),
    ),
  );
  const allCompletedMs = performance.now() - started;
  const { tokenCalls } = await server.stats();
  await dispatcher.close();
  return {
    callers,
    tokenRequests: tokenCalls,
    allCompletedMs,
    failures: results.filter((r) => r.status === 'rejected' || r.value.status !== 200).length,
  };
}

const callersBySize = { full: 10_000, smoke: 200 };

/** Issue #13 target: the 10,000-caller storm on one connection still makes exactly 1 token request. */
export const storm: BenchModule = {
  id: 'storm',
  async run({ size, server, log }) {
    const callers = callersBySize[size];
    log(`storm: ${callers} callers on one expired connection`);
    const result = await measureRefreshStorm(server, callers);
    return {
      data: result,
      sections: [
        {
          title: 'Refresh storm on one connection (one process, memory store)',
          about: `${fmt(callers)} concurrent \`request()\` calls on a connection whose stored token has expired; the provider counts token requests.`,
          columns: ['figure', 'value'],
          rows: [
            ['token requests', String(result.tokenRequests)],
            ['failed calls', String(result.failures)],
            ['time until every call completed (ms)', fmt(result.allCompletedMs, 1)],
          ],
        },
      ],
      targets: [
        {
          name: `refresh storm: ${fmt(callers)} callers on one expired connection → token requests`,
          target: 'exactly 1',
          figure: String(result.tokenRequests),
          met: result.tokenRequests === 1,
        },
      ],
      facts: [
        { name: 'storm: token requests', expected: 1, actual: result.tokenRequests },
        { name: 'storm: failed calls', expected: 0, actual: result.failures },
      ],
    };
  },
};
