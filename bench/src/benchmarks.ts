import { cpus, loadavg, release, totalmem } from 'node:os';
import { cacheHits } from './cache-hits.js';
import { conformanceKit } from './conformance-kit.js';
import { engineCost } from './engine-cost.js';
import { heap } from './heap.js';
import { hostPath } from './host-path.js';
import type { BenchModule, BenchSize, ModuleResult } from './module.js';
import { peers } from './peers.js';
import { redisStorm } from './redis-storm.js';
import { storeScale } from './store-scale.js';
import { sqliteStorm } from './storm-sqlite.js';
import { startServer } from './server-process.js';
import { storm } from './storm.js';
import { multiProcessStorm } from './storm-redis.js';

/**
 * Every benchmark, in the order `pnpm bench` runs and reports them. A new module is one line here
 * (and it is then in the report, in `results.json` and in the smoke test).
 */
export const modules: readonly BenchModule[] = [
  hostPath,
  engineCost,
  peers,
  cacheHits,
  heap,
  storm,
  multiProcessStorm,
  redisStorm,
  storeScale,
  sqliteStorm,
  conformanceKit,
];

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly platform: string;
}

export interface BenchRun {
  readonly size: BenchSize;
  readonly startedAt: string;
  readonly durationS: number;
  readonly machine: Machine;
  /** `os.loadavg()` (1, 5, 15 min) when the run started and ended: the machine may be shared. */
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
  /** Results by module id, in run order. */
  readonly modules: Readonly<Record<string, ModuleResult>>;
}

export interface RunOptions {
  readonly size: BenchSize;
  /** Module ids to run (default: all). */
  readonly only?: readonly string[] | undefined;
  readonly log?: ((message: string) => void) | undefined;
}

export function machine(): Machine {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch} ${release()}`,
  };
}

/** Runs the selected modules one after another, sharing one provider process. */
export async function runBenchmarks(options: RunOptions): Promise<BenchRun> {
  const unknown = (options.only ?? []).filter((id) => !modules.some((m) => m.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `unknown benchmark module(s): ${unknown.join(', ')}; known: ${modules.map((m) => m.id).join(', ')}`,
    );
  }
  const selected = modules.filter((m) => options.only === undefined || options.only.includes(m.id));
  const log = options.log ?? (() => undefined);
  const startedAt = new Date();
  const started = performance.now();
  const load = loadavg();
  const server = await startServer();
  const results: Record<string, ModuleResult> = {};
  try {
    for (const module of selected) {
      results[module.id] = await module.run({ size: options.size, server, log });
    }
  } finally {
    await server.stop();
  }
  return {
    size: options.size,
    startedAt: startedAt.toISOString(),
    durationS: (performance.now() - started) / 1000,
    machine: machine(),
    load: { start: load, end: loadavg() },
    modules: results,
  };
}
