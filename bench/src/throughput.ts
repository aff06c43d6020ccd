import { badgateway, globalFetch, openidClient, ours, rawUndici, type Contender } from './contenders.js';
import { median, runLoad, type LoadResult } from './load.js';

export interface ThroughputRow {
  readonly contender: string;
  readonly concurrency: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** rps relative to raw undici at the same concurrency. */
  readonly ratio: number;
}

/**
 * Authorized GET throughput per contender and concurrency. Contenders run interleaved, `rounds`
 * times each, in one process; the median round counts, so machine noise hits all alike.
 */
export async function measureThroughput(
  base: string,
  options: { concurrencies: readonly number[]; durationMs: number; rounds: number },
): Promise<ThroughputRow[]> {
  const contenders: Contender[] = [
    rawUndici(base),
    await ours(base),
    await openidClient(base),
    badgateway(base),
    globalFetch(base),
  ];
  const rows: ThroughputRow[] = [];
  try {
    for (const contender of contenders) await runLoad(contender.call, 8, Math.min(300, options.durationMs)); // warm-up
    for (const concurrency of options.concurrencies) {
      const results = new Map<string, LoadResult[]>();
      for (let round = 0; round < options.rounds; round++) {
        for (const contender of contenders) {
          const result = await runLoad(contender.call, concurrency, options.durationMs);
          results.set(contender.name, [...(results.get(contender.name) ?? []), result]);
        }
      }
      const baseline = median((results.get(contenders[0]!.name) ?? []).map((r) => r.rps));
      for (const contender of contenders) {
        const runs = results.get(contender.name) ?? [];
        const rps = median(runs.map((r) => r.rps));
        rows.push({
          contender: contender.name,
          concurrency,
          rps,
          p50Ms: median(runs.map((r) => r.p50Ms)),
          p99Ms: median(runs.map((r) => r.p99Ms)),
          ratio: rps / baseline,
        });
      }
    }
  } finally {
    for (const contender of contenders) await contender.close();
  }
  return rows;
}
