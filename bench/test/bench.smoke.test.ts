/**
 * Tiny-N run of every benchmark module inside the normal test command, so the benchmark code
 * cannot rot. It asserts the correctness facts each module states (exact token request counts,
 * zero failed calls, cache hits served from memory) and that each reports its tables — never a
 * speed or a size: figures are for `pnpm bench`, not for a shared, noisy CI machine.
 */
import { modules } from '../src/benchmarks.js';
import type { ModuleResult } from '../src/module.js';
import { formatReport } from '../src/report.js';
import { startServer, type ServerProcess } from '../src/server-process.js';

let server: ServerProcess;
const results: Record<string, ModuleResult> = {};

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server.stop();
});

describe.each(modules.map((module) => [module.id, module] as const))(
  'bench module %s (smoke size)',
  (id, module) => {
    it('runs and every correctness fact holds', async () => {
      const result = await module.run({ size: 'smoke', server, log: () => undefined });
      results[id] = result;
      for (const fact of result.facts)
        expect({ fact: fact.name, value: fact.actual }).toEqual({ fact: fact.name, value: fact.expected });
      for (const section of result.sections)
        expect(section.rows.every((row) => row.length === section.columns.length)).toBe(true);
    }, 60_000);
  },
);

describe('bench modules (smoke size): exact facts', () => {
  it('host path: one grant per connection and connector, none while measuring, no failed call', () => {
    const facts = Object.fromEntries((results['host-path']?.facts ?? []).map((f) => [f.name, f.actual]));
    expect(facts['warm-up token requests (one client credentials grant per connection and connector)']).toBe(
      40,
    );
    expect(facts['token requests while measuring (every call served from the cache)']).toBe(0);
  });

  it('the storm on one connection makes exactly one token request for 200 callers', () => {
    expect(results['storm']?.facts).toEqual([
      { name: 'storm: token requests', expected: 1, actual: 1 },
      { name: 'storm: failed calls', expected: 0, actual: 0 },
    ]);
  });

  it('heap: every measured process cached every connection and served the second call from the cache', () => {
    const hits = (results['heap']?.facts ?? []).filter(
      (f) => f.name === 'cached process: second getAccessToken served the cached AccessToken',
    );
    // One warm set and one cold pair of 200 connections, and the census pair of 100.
    expect(hits.map((fact) => fact.actual)).toEqual([200, 200, 100]);
  });

  it('the report lists every section and says every fact holds', () => {
    const run = {
      size: 'smoke' as const,
      startedAt: '2026-01-01T00:00:00.000Z',
      durationS: 1,
      machine: { cpus: 2, cpuModel: 'test', memoryGiB: 1, node: process.version, platform: 'test' },
      load: { start: [0, 0, 0], end: [0, 0, 0] },
      modules: results,
    };
    const report = formatReport(run, 'pnpm bench -- --quick');
    for (const result of Object.values(results))
      for (const section of result.sections) expect(report).toContain(`### ${section.title}`);
    const count = Object.values(results).reduce((sum, r) => sum + r.facts.length, 0);
    expect(report).toContain(`All ${count} hold`);
  });
});
