import { randomBytes } from 'node:crypto';
import { connectionKey } from '@aic/connector-core';
import { RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import { startHostProcess } from './child-script.js';
import { startRedis } from './redis-server.js';
import { skippedResult, type BenchModule } from './module.js';
import type { ServerProcess } from './server-process.js';
import { fmt } from './stats.js';

export interface MultiProcessStormResult {
  readonly processes: number;
  readonly callersPerProcess: number;
  readonly tokenRequests: number;
  readonly allCompletedMs: number;
  readonly failures: number;
}

/**
 * The refresh storm across `processes` processes sharing one Redis store: every process fires
 * `callersPerProcess` concurrent request() calls on the same expired connection at once. The
 * Redis lock plus the re-read after it must let exactly one token request through.
 */
export async function measureMultiProcessStorm(
  server: ServerProcess,
  processes: number,
  callersPerProcess: number,
): Promise<MultiProcessStormResult | { skipped: string }> {
  const redis = await startRedis();
  if (redis === undefined) return { skipped: 'redis-server is not installed' };
  try {
    const client = createClient({ url: redis.url });
    await client.connect();
    const past = Date.now() - 7_200_000;
    const key = randomBytes(32);
    const seeder = new RedisTokenStore(client, { keyPrefix: 'bench:', keys: { current: key } });
    await seeder.set(connectionKey('bench', 'storm-shared'), {
      status: 'active',
      tokens: { accessToken: 'expired', tokenType: 'Bearer', issuedAt: past, expiresAt: past + 3_600_000 },
      updatedAt: past,
    });
    await seeder.close();
    await client.close();
    await server.post('/reset');

    const workers = Array.from({ length: processes }, () =>
      startHostProcess<{ failures: number }>('storm-worker.js', [
        redis.url,
        server.base,
        String(callersPerProcess),
        key.toString('hex'),
      ]),
    );
    await Promise.all(workers.map((worker) => worker.ready));
    const started = performance.now();
    for (const worker of workers) worker.go();
    const summaries = await Promise.all(workers.map((worker) => worker.done));
    const allCompletedMs = performance.now() - started;
    // A worker that died without a summary failed every one of its calls.
    const failures = summaries.reduce((sum, summary) => sum + (summary?.failures ?? callersPerProcess), 0);
    const { tokenCalls } = await server.stats();
    return { processes, callersPerProcess, tokenRequests: tokenCalls, allCompletedMs, failures };
  } finally {
    await redis.stop();
  }
}

const sizes = {
  full: { processes: 4, callersPerProcess: 2_500 },
  smoke: { processes: 2, callersPerProcess: 100 },
};

/** The refresh storm on one connection across processes sharing a real Redis (skipped without redis-server). */
export const multiProcessStorm: BenchModule = {
  id: 'storm-redis-one-connection',
  async run({ size, server, log }) {
    const { processes, callersPerProcess } = sizes[size];
    log(`storm across ${processes} processes on Redis`);
    const result = await measureMultiProcessStorm(server, processes, callersPerProcess);
    const title = 'Refresh storm on one connection across processes (Redis store)';
    if ('skipped' in result) return skippedResult(title, result);
    return {
      data: result,
      sections: [
        {
          title,
          about: `${processes} processes × ${fmt(callersPerProcess)} concurrent \`request()\` on the same expired connection, sharing a throw-away \`redis-server\` on loopback through \`@aic/store-redis\`.`,
          columns: ['figure', 'value'],
          rows: [
            ['token requests', String(result.tokenRequests)],
            ['failed calls', String(result.failures)],
            ['time until every call completed (ms)', fmt(result.allCompletedMs, 1)],
          ],
        },
      ],
      targets: [],
      facts: [
        { name: 'storm across processes: token requests', expected: 1, actual: result.tokenRequests },
        { name: 'storm across processes: failed calls', expected: 0, actual: result.failures },
      ],
    };
  },
};
