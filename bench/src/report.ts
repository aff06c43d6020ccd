import type { BenchResults } from './benchmarks.js';
import type { LatencyFigure } from './store-provider.js';

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

function multiProcessRows(r: BenchResults): string[][] {
  const m = r.multiProcessStorm;
  if (m === undefined) return [];
  if ('skipped' in m) return [['refresh storm across processes (Redis store)', `skipped: ${m.skipped}`, '']];
  const label = `${m.processes} processes × ${fmt(m.callersPerProcess)} request() on one expired token (Redis store)`;
  return [
    [`${label} → token requests`, String(m.tokenRequests), 'exactly 1'],
    [`${label} → time until all completed (ms)`, fmt(m.allCompletedMs, 1), ''],
    [`${label} → failed calls`, String(m.failures), '0'],
  ];
}

/** `median (p95) [lowest–highest round median]`, in ms. */
const latency = (f: LatencyFigure): string =>
  `${fmt(f.medianMs, 3)} (${fmt(f.p95Ms, 3)}) [${fmt(f.roundMedianMs[0], 3)}–${fmt(f.roundMedianMs[1], 3)}]`;

function storeSections(r: BenchResults): string[] {
  const out: string[] = [];
  out.push(
    '',
    '## Token stores (ms: median (p95) [lowest–highest median of the rounds]; random connections)',
    '',
    table(
      ['store', 'connections', 'get', 'set', 'cold getAccessToken', 'refresh', 'samples', 'fill (ms)'],
      r.stores.map((row) => [
        row.store === 'sqlite' ? '@aic/store-sqlite' : '@aic/store-file',
        fmt(row.connections),
        latency(row.get),
        latency(row.set),
        latency(row.coldGetAccessToken),
        latency(row.refresh),
        fmt(row.get.samples),
        fmt(row.fillMs),
      ]),
    ),
  );
  const largest = r.stores.filter((row) => row.store === 'sqlite').at(-1);
  if (largest !== undefined) {
    const at = fmt(largest.connections);
    out.push(
      '',
      table(
        ['target (SQLite)', 'value', 'target'],
        [
          [`get median at ${at}`, fmt(largest.get.medianMs, 3), '≤ 2 ms'],
          [`set median at ${at}`, fmt(largest.set.medianMs, 3), '≤ 2 ms'],
          [`cold getAccessToken median at ${at}`, fmt(largest.coldGetAccessToken.medianMs, 3), '≤ 5 ms'],
        ],
      ),
    );
  }
  const m = r.sqliteStorm;
  const label = `${m.processes} processes × ${fmt(m.connections)} expiring connections on SQLite (endpoint ${m.endpointDelayMs} ms, limit ${m.limit})`;
  const failures = Object.entries(m.failures)
    .map(([code, count]) => `${code} ${count}`)
    .join(', ');
  out.push(
    '',
    `## ${label}`,
    '',
    table(
      ['figure', 'value', 'target'],
      [
        ['calls (every process calls every connection once, at the same moment)', fmt(m.calls), ''],
        ['failed calls', `${fmt(m.failedCalls)}${failures === '' ? '' : ` (${failures})`}`, '0'],
        ['refreshes', fmt(m.refreshes), fmt(m.connections)],
        ['connections refreshed twice', fmt(m.connectionsRefreshedTwice), '0'],
        ['refreshes / s (wall time, all processes)', fmt(m.refreshesPerSecond), ''],
        ['wall time (ms)', fmt(m.wallMs), ''],
        [
          'store operations per refresh (reads + writes, all processes)',
          fmt(m.storeOperationsPerRefresh, 1),
          '',
        ],
        ['write transactions per refresh (group commit)', fmt(m.transactionsPerRefresh, 1), ''],
        ['max concurrent token requests at the endpoint', fmt(m.maxConcurrentTokenRequests), `= ${m.limit}`],
        ['invalid_grant answers (a refresh token sent twice)', fmt(m.invalidGrants), '0'],
      ],
    ),
  );
  return out;
}

const spread = (values: readonly number[], digits = 0): string => {
  const sorted = [...values].sort((a, b) => a - b);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
  return sorted.length < 2
    ? fmt(median, digits)
    : `${fmt(median, digits)} (${fmt(sorted[0]!, digits)}–${fmt(sorted.at(-1)!, digits)})`;
};

function redisStormRows(r: BenchResults): string[][] {
  const s = r.redisStorm;
  if (s === undefined) return [];
  if ('skipped' in s) return [['refresh storm of many connections on Redis', `skipped: ${s.skipped}`, '']];
  const o = s.options;
  const label = `${o.processes} processes × ${fmt(o.connections)} expiring connections on Redis (endpoint ${o.tokenDelayMs} ms, limit ${o.concurrency}, ${o.rounds} rounds: median (min–max))`;
  const rounds = s.rounds;
  const all = (pick: (round: (typeof rounds)[number]) => number, digits = 0): string =>
    spread(rounds.map(pick), digits);
  return [
    [`${label} → failed calls`, all((x) => x.failedCalls), '0'],
    [`${label} → refreshes / s`, all((x) => x.refreshesPerSecond), ''],
    [
      `${label} → Redis commands per refresh (sent by the hosts; INFO commandstats)`,
      all((x) => x.commandsPerRefresh, 2),
      '≤ 10',
    ],
    [
      `${label} → Redis commands per refresh, those run inside scripts included`,
      all((x) => x.executedPerRefresh, 1),
      '',
    ],
    [
      `${label} → max concurrent token requests`,
      all((x) => x.maxConcurrentTokenRequests),
      `= ${o.concurrency}`,
    ],
    [`${label} → connections refreshed twice`, all((x) => x.connectionsRefreshedTwice), '0'],
    [`${label} → refresh tokens sent twice`, all((x) => x.refreshTokensSentTwice), '0'],
  ];
}

/** The human-readable report (Markdown tables, so BENCHMARKS.md can quote it as is). */
export function formatResults(r: BenchResults): string {
  const out: string[] = [];
  out.push(
    `Machine: ${r.machine.cpus} × ${r.machine.cpuModel}, Node ${r.machine.node}, ${r.machine.platform}`,
  );
  out.push(
    '',
    '## Authorized GET (median of interleaved rounds; ratio = rps / raw undici at same concurrency)',
    '',
  );
  out.push(
    table(
      ['contender', 'conc.', 'req/s', 'p50 ms', 'p99 ms', 'ratio'],
      r.throughput.map((t) => [
        t.contender,
        String(t.concurrency),
        fmt(t.rps),
        fmt(t.p50Ms, 3),
        fmt(t.p99Ms, 3),
        fmt(t.ratio, 3),
      ]),
    ),
  );
  out.push('', '## Hot path and scale', '');
  out.push(
    table(
      ['figure', 'value', 'target'],
      [
        ['getAccessToken cache hits / s (one core)', fmt(r.cacheHits.opsPerSecond), '≥ 1,000,000'],
        [
          `heap bytes per cached connection (${fmt(r.heap.count)} connections)`,
          fmt(r.heap.bytesPerConnection),
          r.heap.gcExposed ? 'measured after gc' : 'no --expose-gc: noisy',
        ],
        [
          `refresh storm: ${fmt(r.storm.callers)} concurrent request() on an expired token → token requests`,
          String(r.storm.tokenRequests),
          'exactly 1',
        ],
        ['refresh storm: time until all completed (ms)', fmt(r.storm.allCompletedMs, 1), ''],
        ['refresh storm: failed calls', String(r.storm.failures), '0'],
        ...multiProcessRows(r),
        ...redisStormRows(r),
        ...(r.conformance === undefined
          ? []
          : 'skipped' in r.conformance
            ? [['conformance kit wall time', `skipped: ${r.conformance.skipped}`, '< 60 s']]
            : [
                [
                  'conformance kit wall time, all scenarios × all connectors (ms)',
                  `${fmt(r.conformance.wallMs)} (exit ${String(r.conformance.exitCode)})`,
                  '< 60,000',
                ],
              ]),
      ],
    ),
  );
  out.push(...storeSections(r));
  return `${out.join('\n')}\n`;
}
