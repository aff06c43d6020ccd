import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { measureCacheHits, measureHeapPerConnection } from './hot-path.js';
import { startServer } from './server-process.js';
import { measureRefreshStorm, type StormResult } from './storm.js';
import { measureMultiProcessStorm, type MultiProcessStormResult } from './storm-redis.js';
import { measureRedisStorm, type RedisStormOptions, type RedisStormResult } from './redis-storm.js';
import { measureSqliteStorm, type SqliteStormOptions, type SqliteStormResult } from './storm-sqlite.js';
import { measureStoreScale, type StoreScaleOptions, type StoreScaleRow } from './store-scale.js';
import { measureThroughput, type ThroughputRow } from './throughput.js';

export interface BenchOptions {
  readonly concurrencies: readonly number[];
  readonly durationMs: number;
  readonly rounds: number;
  readonly cacheHitIterations: number;
  readonly heapConnections: number;
  readonly stormCallers: number;
  /** Processes of the Redis-backed storm (0 = skip); each fires stormCallers / processes calls. */
  readonly stormProcesses: number;
  /** Time the conformance CLI over every connector (needs its built bin). */
  readonly conformance: boolean;
  /** Processes × expiring connections on Redis (issue 13); undefined = skip. */
  readonly redisStorm?: RedisStormOptions | undefined;
  /** Store figures (get, set, cold getAccessToken, refresh) per store and size. */
  readonly stores: StoreScaleOptions;
  /** Processes × expiring connections on one SQLite store. */
  readonly sqliteStorm: SqliteStormOptions;
}

export const fullOptions: BenchOptions = {
  concurrencies: [1, 16, 128],
  durationMs: 2000,
  rounds: 3,
  cacheHitIterations: 5_000_000,
  heapConnections: 10_000,
  stormCallers: 10_000,
  stormProcesses: 4,
  conformance: true,
  redisStorm: { processes: 4, connections: 5_000, concurrency: 32, tokenDelayMs: 50, rounds: 3 },
  stores: {
    sqliteSizes: [1_000, 10_000, 50_000],
    fileSizes: [1_000, 10_000, 50_000],
    rounds: 3,
    // The file store reads (and rewrites) the whole file per operation: fewer samples as it grows.
    opsAt: (store, connections) =>
      store === 'sqlite' ? 500 : Math.max(4, Math.min(200, 100_000 / connections)),
  },
  sqliteStorm: { processes: 4, connections: 5_000, limit: 16, endpointDelayMs: 50 },
};

/** Tiny-N run for the test suite: exercises every code path in a couple of seconds. */
export const smokeOptions: BenchOptions = {
  concurrencies: [1, 4],
  durationMs: 100,
  rounds: 1,
  cacheHitIterations: 10_000,
  heapConnections: 200,
  stormCallers: 200,
  stormProcesses: 2,
  conformance: false,
  redisStorm: { processes: 2, connections: 60, concurrency: 4, tokenDelayMs: 5, rounds: 1 },
  stores: { sqliteSizes: [100], fileSizes: [100], rounds: 1, opsAt: () => 5 },
  sqliteStorm: { processes: 2, connections: 50, limit: 4, endpointDelayMs: 10 },
};

export interface BenchResults {
  readonly machine: { cpus: number; cpuModel: string; node: string; platform: string };
  readonly options: BenchOptions;
  readonly throughput: readonly ThroughputRow[];
  readonly cacheHits: { opsPerSecond: number; iterations: number };
  readonly heap: { bytesPerConnection: number; count: number; gcExposed: boolean };
  readonly storm: StormResult;
  readonly multiProcessStorm?: MultiProcessStormResult | { skipped: string } | undefined;
  readonly redisStorm?: RedisStormResult | { skipped: string } | undefined;
  readonly conformance?: { wallMs: number; exitCode: number | null } | { skipped: string } | undefined;
  readonly stores: readonly StoreScaleRow[];
  readonly sqliteStorm: SqliteStormResult;
}

function timeConformance(): BenchResults['conformance'] {
  const bin = fileURLToPath(
    new URL('../../packages/conformance/dist/bin/aic-conformance.js', import.meta.url),
  );
  if (!existsSync(bin)) return { skipped: 'conformance CLI not built' };
  const started = performance.now();
  const run = spawnSync(process.execPath, [bin], {
    stdio: 'ignore',
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
  });
  return { wallMs: performance.now() - started, exitCode: run.status };
}

export async function runBenchmarks(options: BenchOptions): Promise<BenchResults> {
  const server = await startServer();
  try {
    const throughput = await measureThroughput(server.base, options);
    const cacheHits = await measureCacheHits(options.cacheHitIterations);
    const heap = await measureHeapPerConnection(options.heapConnections);
    const storm = await measureRefreshStorm(server, options.stormCallers);
    const multiProcessStorm =
      options.stormProcesses > 0
        ? await measureMultiProcessStorm(
            server,
            options.stormProcesses,
            Math.ceil(options.stormCallers / options.stormProcesses),
          )
        : undefined;
    const redisStorm =
      options.redisStorm === undefined ? undefined : await measureRedisStorm(options.redisStorm);
    const stores = await measureStoreScale(server, options.stores);
    const sqliteStorm = await measureSqliteStorm(options.sqliteStorm);
    return {
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      options,
      throughput,
      cacheHits,
      heap,
      storm,
      multiProcessStorm,
      redisStorm,
      stores,
      sqliteStorm,
      ...(options.conformance ? { conformance: timeConformance() } : {}),
    };
  } finally {
    await server.stop();
  }
}
