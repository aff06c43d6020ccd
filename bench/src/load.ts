/** Closed-loop load: `concurrency` workers each await `call()` back to back for `durationMs`. */
export interface LoadResult {
  readonly requests: number;
  /** Calls that threw (a contender also throws on any status but 200). */
  readonly failures: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** CPU time of this process (user + system) per completed call, in µs: less sensitive to a busy machine than req/s. */
  readonly cpuUsPerCall: number;
}

export async function runLoad(
  call: () => Promise<void>,
  concurrency: number,
  durationMs: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const cpu = process.cpuUsage();
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t0);
      } catch {
        failures++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = performance.now() - started;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    failures,
    rps: (latencies.length / elapsed) * 1000,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    cpuUsPerCall: (used.user + used.system) / Math.max(1, latencies.length),
  };
}
