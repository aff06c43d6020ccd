import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { connectionKey } from '@aic/connector-core';
import { RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import { startRedis } from './redis-server.js';
import type { BenchModule } from './module.js';
import type { ServerProcess } from './server-process.js';
import { fmt } from './stats.js';

export interface MultiProcessStormResult {
  readonly processes: number;
  readonly callersPerProcess: number;
  readonly tokenRequests: number;
  readonly allCompletedMs: number;
  readonly failures: number;
}

function workerPath(): string {
  const beside = fileURLToPath(new URL('./storm-worker.js', import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL('../dist/storm-worker.js', import.meta.url));
}

interface Worker {
  readonly ready: Promise<void>;
  readonly done: Promise<string[]>;
  go(): void;
}

/** A storm worker process: `ready` once it printed "ready", `done` with its output lines on exit. */
function startWorker(args: readonly string[]): Worker {
  const child = spawn(process.execPath, [workerPath(), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: string[] = [];
  let buffer = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const parts = buffer.split('\n');
    buffer = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.includes('ready')) markReady();
  });
  const done = new Promise<string[]>((resolve) => child.once('exit', () => resolve(lines)));
  return { ready, done, go: () => child.stdin.end('go\n') };
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
      startWorker([redis.url, server.base, String(callersPerProcess), key.toString('hex')]),
    );
    await Promise.all(workers.map((worker) => worker.ready));
    const started = performance.now();
    for (const worker of workers) worker.go();
    const outputs = await Promise.all(workers.map((worker) => worker.done));
    const allCompletedMs = performance.now() - started;
    const failures = outputs
      .map((out) => out.find((line) => line.startsWith('{')))
      .reduce(
        (sum, line) =>
          sum +
          (line === undefined ? callersPerProcess : (JSON.parse(line) as { failures: number }).failures),
        0,
      );
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
    if ('skipped' in result) {
      return {
        data: result,
        sections: [{ title, about: `Skipped: ${result.skipped}.`, columns: ['figure', 'value'], rows: [] }],
        targets: [],
        facts: [],
      };
    }
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
