import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connectionKey } from '@aic/connector-core';
import { SqliteTokenStore, type StoreOperationCounts } from '@aic/store-sqlite';
import type { BenchModule, BenchSize, Fact } from './module.js';
import { fmt, fmtSpread, spreadOf } from './stats.js';
import { expiredStormRecord } from './storm-sqlite-connector.js';

export interface SqliteStormOptions {
  readonly processes: number;
  /** Expired connections; every process calls every one of them once. */
  readonly connections: number;
  /** Token requests in flight per origin, for all processes together. */
  readonly limit: number;
  /** The token endpoint answers after this long (ms). */
  readonly endpointDelayMs: number;
}

export interface SqliteStormResult extends SqliteStormOptions {
  readonly calls: number;
  readonly failedCalls: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly refreshes: number;
  readonly wallMs: number;
  readonly refreshesPerSecond: number;
  /** Read and write transactions of all processes (lock, limiter and watcher included) per refresh. */
  readonly storeOperationsPerRefresh: number;
  /** Write transactions committed (several writes share one) per refresh. */
  readonly transactionsPerRefresh: number;
  readonly busyRetries: number;
  readonly maxConcurrentTokenRequests: number;
  readonly connectionsRefreshedTwice: number;
  readonly invalidGrants: number;
}

interface WorkerSummary {
  readonly failures: Record<string, number>;
  readonly elapsedMs: number;
  readonly operations: StoreOperationCounts;
}

/**
 * The token endpoint of the storm: refresh-token grant with rotation (`rt-s-<n>-<generation>`),
 * an answer after `delayMs`; counts refreshes per connection and the most requests in flight.
 */
class StormEndpoint {
  readonly generations = new Map<string, number>();
  readonly refreshes = new Map<string, number>();
  active = 0;
  maxActive = 0;
  invalidGrants = 0;
  readonly #server: Server;

  constructor(delayMs: number) {
    this.#server = createServer((request, response) => {
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        setTimeout(() => {
          const { status, json } = this.#answer(new URLSearchParams(body).get('refresh_token') ?? '');
          this.active--;
          response.writeHead(status, { 'content-type': 'application/json' });
          response.end(JSON.stringify(json));
        }, delayMs);
      });
    });
  }

  #answer(presented: string): { status: number; json: unknown } {
    const match = /^rt-(s-\d+)-(\d+)$/.exec(presented);
    const connection = match?.[1];
    if (connection === undefined || Number(match?.[2]) !== (this.generations.get(connection) ?? 0)) {
      this.invalidGrants++;
      return { status: 400, json: { error: 'invalid_grant' } };
    }
    const generation = (this.generations.get(connection) ?? 0) + 1;
    this.generations.set(connection, generation);
    this.refreshes.set(connection, (this.refreshes.get(connection) ?? 0) + 1);
    return {
      status: 200,
      json: {
        access_token: `at-${connection}-${generation}`,
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: `rt-${connection}-${generation}`,
      },
    };
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

function workerPath(): string {
  const beside = fileURLToPath(new URL('./storm-sqlite-worker.js', import.meta.url));
  return existsSync(beside)
    ? beside
    : fileURLToPath(new URL('../dist/storm-sqlite-worker.js', import.meta.url));
}

function startWorker(args: readonly string[], keyHex: string) {
  const child = spawn(process.execPath, [workerPath(), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, AIC_BENCH_STORE_KEY: keyHex },
  });
  let out = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.includes('ready\n')) markReady();
  });
  const done = new Promise<WorkerSummary | undefined>((resolve) =>
    child.once('exit', () => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      resolve(line === undefined ? undefined : (JSON.parse(line) as WorkerSummary));
    }),
  );
  return { ready, done, go: () => child.stdin.end('go\n') };
}

/**
 * `processes` host processes on one SQLite store, `connections` connections whose tokens all
 * expired, every process calling every connection at the same moment; the token endpoint answers
 * after `endpointDelayMs`. Exactly one refresh per connection must happen, within the limit.
 */
export async function measureSqliteStorm(options: SqliteStormOptions): Promise<SqliteStormResult> {
  const dir = mkdtempSync(join(tmpdir(), 'aic-bench-storm-'));
  const key = randomBytes(32);
  const endpoint = new StormEndpoint(options.endpointDelayMs);
  try {
    const base = await endpoint.listen();
    const path = join(dir, 'tokens.db');
    const seed = new SqliteTokenStore({ path, keys: { current: key } });
    const now = Date.now();
    await seed.importSnapshot(
      {
        source: 'bench',
        fingerprint: 'storm',
        records: Array.from({ length: options.connections }, (_, n) => [
          connectionKey('storm', `s-${n}`),
          expiredStormRecord(n, now),
        ]),
        pending: [],
      },
      { now },
    );
    seed.close();
    const workers = Array.from({ length: options.processes }, () =>
      startWorker([path, base, String(options.connections), String(options.limit)], key.toString('hex')),
    );
    await Promise.all(workers.map((worker) => worker.ready));
    const started = performance.now();
    for (const worker of workers) worker.go();
    const summaries = await Promise.all(workers.map((worker) => worker.done));
    const wallMs = performance.now() - started;

    const calls = options.processes * options.connections;
    const failures: Record<string, number> = {};
    let failedCalls = 0;
    let operations = 0;
    let transactions = 0;
    let busyRetries = 0;
    for (const summary of summaries) {
      if (summary === undefined) {
        failures['worker_died'] = (failures['worker_died'] ?? 0) + options.connections;
        failedCalls += options.connections;
        continue;
      }
      for (const [code, count] of Object.entries(summary.failures)) {
        failures[code] = (failures[code] ?? 0) + count;
        failedCalls += count;
      }
      operations += summary.operations.reads + summary.operations.writes;
      transactions += summary.operations.transactions;
      busyRetries += summary.operations.busyRetries;
    }
    const refreshes = [...endpoint.refreshes.values()].reduce((sum, n) => sum + n, 0);
    return {
      ...options,
      calls,
      failedCalls,
      failures,
      refreshes,
      wallMs,
      refreshesPerSecond: refreshes / (wallMs / 1000),
      storeOperationsPerRefresh: refreshes === 0 ? Number.NaN : operations / refreshes,
      transactionsPerRefresh: refreshes === 0 ? Number.NaN : transactions / refreshes,
      busyRetries,
      maxConcurrentTokenRequests: endpoint.maxActive,
      connectionsRefreshedTwice: [...endpoint.refreshes.values()].filter((n) => n > 1).length,
      invalidGrants: endpoint.invalidGrants,
    };
  } finally {
    await endpoint.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const stormSizes: Record<BenchSize, SqliteStormOptions & { readonly rounds: number }> = {
  full: { processes: 4, connections: 5_000, limit: 32, endpointDelayMs: 50, rounds: 3 },
  smoke: { processes: 2, connections: 50, limit: 4, endpointDelayMs: 10, rounds: 1 },
};

/** 4 processes × 5,000 expiring connections on one SQLite store (issue #13's storm). */
export const sqliteStorm: BenchModule = {
  id: 'sqlite-storm',
  async run({ size, log }) {
    const { rounds: count, ...options } = stormSizes[size];
    const rounds: SqliteStormResult[] = [];
    for (let round = 0; round < count; round++) {
      log(`sqlite storm: round ${round + 1} of ${count}`);
      rounds.push(await measureSqliteStorm(options));
    }
    const of = (pick: (round: SqliteStormResult) => number) => spreadOf(rounds.map(pick));
    const failed = of((r) => r.failedCalls);
    const twice = of((r) => r.connectionsRefreshedTwice);
    const inFlight = of((r) => r.maxConcurrentTokenRequests);
    const label = `${options.processes} processes × ${fmt(options.connections)} expiring connections on SQLite`;
    const facts: Fact[] = rounds.flatMap((r, index) => [
      {
        name: `sqlite storm round ${index + 1}: refreshes (one per connection)`,
        expected: options.connections,
        actual: r.refreshes,
      },
      { name: `sqlite storm round ${index + 1}: failed calls`, expected: 0, actual: r.failedCalls },
      {
        name: `sqlite storm round ${index + 1}: connections refreshed twice`,
        expected: 0,
        actual: r.connectionsRefreshedTwice,
      },
      {
        name: `sqlite storm round ${index + 1}: refresh tokens sent twice (invalid_grant)`,
        expected: 0,
        actual: r.invalidGrants,
      },
      {
        name: `sqlite storm round ${index + 1}: max concurrent token requests (the limit)`,
        expected: options.limit,
        actual: r.maxConcurrentTokenRequests,
      },
    ]);
    return {
      data: { options, rounds },
      sections: [
        {
          title: label,
          about: [
            `${fmt(options.connections)} expired connections are seeded in one SQLite store; ${options.processes} processes, each with a \`SqliteTokenStore\` and a`,
            `\`SqliteTokenRequestLimiter\` (limit ${options.limit} per origin, all processes together), call \`getAccessToken\` on every connection at the same moment.`,
            `The token endpoint (the benchmark process, loopback) answers after ${options.endpointDelayMs} ms, rotates refresh tokens (one sent twice is \`invalid_grant\`) and counts refreshes per connection and requests in flight.`,
            'Store operations are the read transactions and writes of all processes (leases, grant spends, the limiter and the lock watcher included); writes requested together share a transaction.',
            `${count} rounds, median (min–max).`,
          ].join(' '),
          columns: ['figure', 'median (min–max, n)', 'target'],
          rows: [
            ['failed calls', fmtSpread(failed), '0'],
            ['refreshes / s', fmtSpread(of((r) => r.refreshesPerSecond)), ''],
            [
              'store operations per refresh (all processes)',
              fmtSpread(
                of((r) => r.storeOperationsPerRefresh),
                1,
              ),
              '',
            ],
            [
              'write transactions per refresh',
              fmtSpread(
                of((r) => r.transactionsPerRefresh),
                2,
              ),
              '',
            ],
            ['max concurrent token requests', fmtSpread(inFlight), `= ${options.limit}`],
            ['connections refreshed twice', fmtSpread(twice), '0'],
            ['refresh tokens sent twice (invalid_grant)', fmtSpread(of((r) => r.invalidGrants)), '0'],
          ],
        },
      ],
      targets: [
        { name: `${label}: failed calls`, target: '0', figure: fmtSpread(failed), met: failed.max === 0 },
        {
          name: `${label}: connections refreshed twice`,
          target: '0',
          figure: fmtSpread(twice),
          met: twice.max === 0,
        },
        {
          name: `${label}: max concurrent token requests`,
          target: `= the limit (${options.limit})`,
          figure: fmtSpread(inFlight),
          met: inFlight.min === options.limit && inFlight.max === options.limit,
        },
      ],
      facts,
    };
  },
};
