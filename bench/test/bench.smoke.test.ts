/**
 * Tiny-N run of every benchmark inside the normal test command, so the benchmark code cannot rot.
 * It asserts correctness facts (exactly one token request in a storm, every contender answered),
 * never speed: figures are for `pnpm bench`, not for a shared, noisy CI machine.
 */
import { runBenchmarks, smokeOptions } from '../src/benchmarks.js';
import { formatResults } from '../src/report.js';

describe('benchmarks (smoke)', () => {
  it('runs every figure at tiny sizes with the correctness facts intact', async () => {
    const results = await runBenchmarks(smokeOptions);
    expect(results.storm).toMatchObject({ callers: 200, tokenRequests: 1, failures: 0 });
    expect(results.throughput.map((row) => `${row.contender}@${row.concurrency}`)).toEqual([
      'undici.request (static token)@1',
      'aic connector.request()@1',
      'openid-client fetchProtectedResource@1',
      '@badgateway/oauth2-client OAuth2Fetch@1',
      'global fetch (static token)@1',
      'undici.request (static token)@4',
      'aic connector.request()@4',
      'openid-client fetchProtectedResource@4',
      '@badgateway/oauth2-client OAuth2Fetch@4',
      'global fetch (static token)@4',
    ]);
    for (const row of results.throughput) expect(row.rps).toBeGreaterThan(0);
    expect(results.cacheHits.iterations).toBe(10_000);
    expect(results.heap.count).toBe(200);
    const multi = results.multiProcessStorm;
    if (multi !== undefined && !('skipped' in multi)) {
      expect(multi).toMatchObject({ processes: 2, callersPerProcess: 100, tokenRequests: 1, failures: 0 });
    }
    const redisStorm = results.redisStorm;
    if (redisStorm !== undefined && !('skipped' in redisStorm)) {
      const [round] = redisStorm.rounds;
      expect(round).toMatchObject({
        refreshes: 60,
        failedCalls: 0,
        maxConcurrentTokenRequests: 4,
        connectionsRefreshedTwice: 0,
        refreshTokensSentTwice: 0,
        invalidGrants: 0,
      });
      expect(round!.commandsPerRefresh).toBeLessThanOrEqual(10);
    }
    expect(formatResults(results)).toMatch(
      /\| refresh storm: 200 concurrent request\(\) on an expired token → token requests +\| +1 \|/,
    );
  }, 60_000);
});
