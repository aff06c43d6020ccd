import { randomBytes } from 'node:crypto';
import { RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import type { BenchModule } from './module.js';
import { startRedis } from './redis-server.js';
import { fmtSpread } from './stats.js';
import { storeStormModule, type StormStore } from './store-storm.js';

/** The Redis figures of a storm round. */
export interface RedisStormFigures {
  /** Commands Redis received from the hosts (each script run counts once), per refresh. */
  readonly commandsPerRefresh: number;
  /** Every command Redis executed, those run inside scripts included, per refresh. */
  readonly executedPerRefresh: number;
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

/** Calls per command name, from `INFO commandstats`. */
async function commandStats(client: {
  sendCommand(args: string[]): Promise<unknown>;
}): Promise<Map<string, number>> {
  const info = String(await client.sendCommand(['INFO', 'commandstats']));
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(match[1]!, Number(match[2]));
  return calls;
}

/**
 * The storm on a throw-away `redis-server` (skipped without one): each round under its own key
 * prefix and store key; hosts are `redis-storm-worker.ts`. Its own figures: Redis commands per
 * refresh, from `INFO commandstats` deltas around the storm.
 */
export const redisStormStore: StormStore<RedisStormFigures> = {
  id: 'redis-storm',
  name: 'Redis',
  sizes: {
    full: { processes: 4, connections: 5_000, limit: 32, tokenDelayMs: 50, rounds: 3 },
    smoke: { processes: 2, connections: 60, limit: 4, tokenDelayMs: 5, rounds: 1 },
  },
  async start() {
    const redis = await startRedis();
    if (redis === undefined) return { skipped: 'redis-server is not installed' };
    return {
      stop: () => redis.stop(),
      async round(index) {
        const prefix = `storm${index}:`;
        const key = randomBytes(32);
        const client = createClient({ url: redis.url });
        await client.connect();
        let before = new Map<string, number>();
        return {
          host: 'redis-storm-worker.js',
          hostArgs: [redis.url, prefix, key.toString('hex')],
          async seed(records) {
            const seeder = new RedisTokenStore(client, { keyPrefix: prefix, keys: { current: key } });
            for (let from = 0; from < records.length; from += 500) {
              await Promise.all(
                records.slice(from, from + 500).map(([recordKey, record]) => seeder.set(recordKey, record)),
              );
            }
            await seeder.close();
          },
          async beforeGo() {
            before = await commandStats(client);
          },
          async figures(_summaries, refreshes) {
            const after = await commandStats(client);
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
            const per = Math.max(1, refreshes);
            return { commandsPerRefresh: fromClients / per, executedPerRefresh: executed / per };
          },
          close: () => client.close(),
        };
      },
    };
  },
  about: {
    seeded: 'a throw-away `redis-server`',
    hosts: 'a `RedisTokenStore` and a `RedisTokenRequestLimiter`',
    figures:
      'Redis commands per refresh come from `INFO commandstats` deltas: what the hosts sent (one per script run) and, separately, everything Redis executed inside the scripts too.',
  },
  rows: (of) => [
    [
      'Redis commands per refresh, sent by the hosts',
      fmtSpread(
        of((r) => r.store.commandsPerRefresh),
        2,
      ),
      '≤ 10',
    ],
    [
      'Redis commands per refresh, those run inside scripts included',
      fmtSpread(
        of((r) => r.store.executedPerRefresh),
        1,
      ),
      '',
    ],
  ],
  targets: (of, label) => {
    const commands = of((r) => r.store.commandsPerRefresh);
    return [
      {
        name: `${label}: Redis commands per refresh`,
        target: '≤ 10',
        figure: fmtSpread(commands, 2),
        met: commands.max <= 10,
      },
    ];
  },
  facts: (round, name) => [
    {
      name: `${name}: at most 10 Redis commands per refresh (1 = holds)`,
      expected: 1,
      actual: round.store.commandsPerRefresh <= 10 ? 1 : 0,
    },
  ],
};

/** Issue #13: processes × expiring connections on one Redis (skipped without redis-server). */
export const redisStorm: BenchModule = storeStormModule(redisStormStore);
