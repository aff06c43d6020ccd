import { fork, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connectionKey } from '@aic/connector-core';
import { RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import type { BenchModule, Fact } from './module.js';
import { startRedis } from './redis-server.js';
import { fmt, fmtSpread, spreadOf } from './stats.js';

export interface RedisStormOptions {
  readonly processes: number;
  readonly connections: number;
  /** Token requests in flight per origin across all processes (the Redis limiter). */
  readonly concurrency: number;
  readonly tokenDelayMs: number;
  readonly rounds: number;
}

/** One round of the storm. */
export interface RedisStormRound {
  readonly wallMs: number;
  readonly refreshes: number;
  readonly refreshesPerSecond: number;
  readonly failedCalls: number;
  readonly failures: Record<string, number>;
  /** Commands Redis received from the hosts (each script run counts once), per refresh. */
  readonly commandsPerRefresh: number;
  /** Every command Redis executed, those run inside scripts included, per refresh. */
  readonly executedPerRefresh: number;
  readonly maxConcurrentTokenRequests: number;
  readonly connectionsRefreshedTwice: number;
  readonly refreshTokensSentTwice: number;
  readonly invalidGrants: number;
}

export interface RedisStormResult {
  readonly options: RedisStormOptions;
  readonly rounds: readonly RedisStormRound[];
}

/**
 * Commands only the store's Lua scripts run (see `@aic/store-redis` `scripts.ts` and
 * `limiter-scripts.ts`). Everything else in `INFO commandstats` came from a client: `EVALSHA`,
 * `EVAL`, `HGETALL`, `SSUBSCRIBE`, connection handshakes. A script that starts using a new command
 * makes the client figure larger, never smaller.
 */
const SCRIPT_ONLY = new Set([
  'set',
  'get',
  'del',
  'pttl',
  'hmget',
  'hget',
  'hset',
  'hdel',
  'hincrby',
  'spublish',
  'time',
  'sadd',
  'pexpire',
  'zadd',
  'zrem',
  'zremrangebyscore',
  'zcard',
  'zscore',
  'lpop',
  'rpush',
  'llen',
]);

const compiled = (name: string): string => {
  const beside = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
};

/** Calls per command name, from `INFO commandstats`. */
async function commandStats(client: {
  sendCommand(args: string[]): Promise<unknown>;
}): Promise<Map<string, number>> {
  const info = String(await client.sendCommand(['INFO', 'commandstats']));
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

function startEndpoint(delayMs: number): Promise<{ base: string; stop: () => void }> {
  const child = fork(compiled('storm-endpoint.js'), [String(delayMs)], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => {
      const { port } = JSON.parse(chunk.toString('utf8').split('\n')[0]!) as { port: number };
      resolve({ base: `http://127.0.0.1:${port}`, stop: () => child.disconnect() });
    });
    child.once('exit', (code) => reject(new Error(`storm endpoint exited with ${String(code)}`)));
  });
}

interface Worker {
  readonly ready: Promise<void>;
  readonly done: Promise<{ elapsedMs: number; failures: Record<string, number> }>;
  go(): void;
}

function startWorker(args: readonly string[]): Worker {
  const child = spawn(process.execPath, [compiled('redis-storm-worker.js'), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.startsWith('ready\n')) markReady();
  });
  const done = new Promise<{ elapsedMs: number; failures: Record<string, number> }>((resolve, reject) =>
    child.once('exit', (code) => {
      const line = out.split('\n').find((candidate) => candidate.startsWith('{'));
      if (line === undefined) reject(new Error(`storm worker exited with ${String(code)} without a summary`));
      else resolve(JSON.parse(line) as { elapsedMs: number; failures: Record<string, number> });
    }),
  );
  return { ready, done, go: () => child.stdin.end('go\n') };
}

async function round(
  redisUrl: string,
  endpoint: string,
  options: RedisStormOptions,
  index: number,
): Promise<RedisStormRound> {
  const prefix = `storm${index}:`;
  const key = randomBytes(32);
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    const seeder = new RedisTokenStore(client, { keyPrefix: prefix, keys: { current: key } });
    const past = Date.now() - 7_200_000;
    for (let from = 0; from < options.connections; from += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, options.connections - from) }, (_, i) =>
          seeder.set(connectionKey('storm', `r${index}c${from + i}`), {
            status: 'active',
            tokens: {
              accessToken: `AT:r${index}c${from + i}:0`,
              tokenType: 'Bearer',
              issuedAt: past,
              expiresAt: past + 3_600_000,
              refreshToken: `RT:r${index}c${from + i}:0`,
            },
            updatedAt: past,
          }),
        ),
      );
    }
    await seeder.close();
    const args = [
      redisUrl,
      endpoint,
      prefix,
      key.toString('hex'),
      String(options.connections),
      String(options.concurrency),
      `r${index}c`,
    ];
    const workers = Array.from({ length: options.processes }, () => startWorker(args));
    await Promise.all(workers.map((worker) => worker.ready));
    await fetch(`${endpoint}/reset`, { method: 'POST' }).then((response) => response.arrayBuffer());
    const before = await commandStats(client);
    const started = performance.now();
    for (const worker of workers) worker.go();
    const summaries = await Promise.all(workers.map((worker) => worker.done));
    const wallMs = performance.now() - started;
    const after = await commandStats(client);
    const stats = (await (await fetch(`${endpoint}/stats`)).json()) as {
      refreshes: number;
      refreshedTwice: number;
      reused: number;
      invalidGrants: number;
      maxInFlight: number;
    };
    let fromClients = 0;
    let executed = 0;
    for (const [name, calls] of after) {
      const delta = calls - (before.get(name) ?? 0);
      executed += delta;
      if (!SCRIPT_ONLY.has(name)) fromClients += delta;
    }
    fromClients -= 1; // the INFO that read `before`
    executed -= 1;
    if (process.env['STORM_DEBUG'] !== undefined) {
      const deltas = [...after].map(([name, calls]) => `${name}=${calls - (before.get(name) ?? 0)}`);
      process.stderr.write(`${deltas.join(' ')}\n`);
    }
    const failures: Record<string, number> = {};
    for (const summary of summaries) {
      for (const [label, count] of Object.entries(summary.failures))
        failures[label] = (failures[label] ?? 0) + count;
    }
    const refreshes = Math.max(1, stats.refreshes);
    return {
      wallMs,
      refreshes: stats.refreshes,
      refreshesPerSecond: stats.refreshes / (wallMs / 1000),
      failedCalls: Object.values(failures).reduce((sum, count) => sum + count, 0),
      failures,
      commandsPerRefresh: fromClients / refreshes,
      executedPerRefresh: executed / refreshes,
      maxConcurrentTokenRequests: stats.maxInFlight,
      connectionsRefreshedTwice: stats.refreshedTwice,
      refreshTokensSentTwice: stats.reused,
      invalidGrants: stats.invalidGrants,
    };
  } finally {
    await client.close();
  }
}

/**
 * `processes` host processes share one Redis (store and token request limiter); `connections`
 * expired connections are seeded; at one moment every process calls `getAccessToken` on every
 * connection. The token endpoint answers after `tokenDelayMs`, rotating refresh tokens strictly.
 */
export async function measureRedisStorm(
  options: RedisStormOptions,
): Promise<RedisStormResult | { skipped: string }> {
  const redis = await startRedis();
  if (redis === undefined) return { skipped: 'redis-server is not installed' };
  const endpoint = await startEndpoint(options.tokenDelayMs);
  try {
    const rounds: RedisStormRound[] = [];
    for (let index = 0; index < options.rounds; index++)
      rounds.push(await round(redis.url, endpoint.base, options, index));
    return { options, rounds };
  } finally {
    endpoint.stop();
    await redis.stop();
  }
}

const sizes: Record<'full' | 'smoke', RedisStormOptions> = {
  full: { processes: 4, connections: 5_000, concurrency: 32, tokenDelayMs: 50, rounds: 3 },
  smoke: { processes: 2, connections: 60, concurrency: 4, tokenDelayMs: 5, rounds: 1 },
};

/** Issue #13: processes × expiring connections on one Redis (skipped without redis-server). */
export const redisStorm: BenchModule = {
  id: 'redis-storm',
  async run({ size, log }) {
    const options = sizes[size];
    log(
      `redis storm: ${options.processes} processes × ${options.connections} connections, ${options.rounds} rounds`,
    );
    const result = await measureRedisStorm(options);
    const title = `${options.processes} processes × ${fmt(options.connections)} expiring connections on Redis`;
    if ('skipped' in result) {
      return {
        data: result,
        sections: [{ title, about: `Skipped: ${result.skipped}.`, columns: ['figure', 'value'], rows: [] }],
        targets: [],
        facts: [],
      };
    }
    const rounds = result.rounds;
    const of = (pick: (round: RedisStormRound) => number) => spreadOf(rounds.map(pick));
    const failed = of((r) => r.failedCalls);
    const twice = of((r) => r.connectionsRefreshedTwice);
    const commands = of((r) => r.commandsPerRefresh);
    const inFlight = of((r) => r.maxConcurrentTokenRequests);
    const label = `${options.processes} processes × ${fmt(options.connections)} expiring connections on Redis`;
    const facts: Fact[] = rounds.flatMap((r, index) => [
      {
        name: `redis storm round ${index + 1}: refreshes (one per connection)`,
        expected: options.connections,
        actual: r.refreshes,
      },
      { name: `redis storm round ${index + 1}: failed calls`, expected: 0, actual: r.failedCalls },
      {
        name: `redis storm round ${index + 1}: connections refreshed twice`,
        expected: 0,
        actual: r.connectionsRefreshedTwice,
      },
      {
        name: `redis storm round ${index + 1}: refresh tokens sent twice`,
        expected: 0,
        actual: r.refreshTokensSentTwice,
      },
      { name: `redis storm round ${index + 1}: invalid grants`, expected: 0, actual: r.invalidGrants },
      {
        name: `redis storm round ${index + 1}: max concurrent token requests (the limit)`,
        expected: options.concurrency,
        actual: r.maxConcurrentTokenRequests,
      },
      {
        name: `redis storm round ${index + 1}: at most 10 Redis commands per refresh (1 = holds)`,
        expected: 1,
        actual: r.commandsPerRefresh <= 10 ? 1 : 0,
      },
    ]);
    return {
      data: result,
      sections: [
        {
          title,
          about: [
            `${fmt(options.connections)} expired connections are seeded in a throw-away \`redis-server\`; ${options.processes} processes, each with a \`RedisTokenStore\` and a`,
            `\`RedisTokenRequestLimiter\` (limit ${options.concurrency} per origin, all processes together), call \`getAccessToken\` on every connection at the same moment.`,
            `The token endpoint (its own process, loopback) answers after ${options.tokenDelayMs} ms, rotates refresh tokens strictly, records every refresh token it receives and counts requests in flight.`,
            'Redis commands per refresh come from `INFO commandstats` deltas: what the hosts sent (one per script run) and, separately, everything Redis executed inside the scripts too.',
            `${options.rounds} rounds, median (min–max).`,
          ].join(' '),
          columns: ['figure', 'median (min–max, n)', 'target'],
          rows: [
            ['failed calls', fmtSpread(failed), '0'],
            ['refreshes / s', fmtSpread(of((r) => r.refreshesPerSecond)), ''],
            ['Redis commands per refresh, sent by the hosts', fmtSpread(commands, 2), '≤ 10'],
            [
              'Redis commands per refresh, those run inside scripts included',
              fmtSpread(
                of((r) => r.executedPerRefresh),
                1,
              ),
              '',
            ],
            ['max concurrent token requests', fmtSpread(inFlight), `= ${options.concurrency}`],
            ['connections refreshed twice', fmtSpread(twice), '0'],
            ['refresh tokens sent twice', fmtSpread(of((r) => r.refreshTokensSentTwice)), '0'],
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
          name: `${label}: Redis commands per refresh`,
          target: '≤ 10',
          figure: fmtSpread(commands, 2),
          met: commands.max <= 10,
        },
        {
          name: `${label}: max concurrent token requests`,
          target: `= the limit (${options.concurrency})`,
          figure: fmtSpread(inFlight),
          met: inFlight.min === options.concurrency && inFlight.max === options.concurrency,
        },
      ],
      facts,
    };
  },
};
