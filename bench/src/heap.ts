import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { compiledScript } from './child-script.js';
import type { HeapMode, HeapReading } from './heap-child.js';
import { censusDiff } from './heap-snapshot.js';
import type { BenchModule, Fact } from './module.js';
import { fmt, fmtSpread, spreadOf, type Spread } from './stats.js';

const run = promisify(execFile);

const sizes = {
  full: { n: 10_000, warmup: 64, pairs: 5, coldPairs: 3, censusN: 2_000 },
  smoke: { n: 200, warmup: 8, pairs: 1, coldPairs: 1, censusN: 100 },
};

/** The target: heap per cached connection, engine only. */
const TARGET_BYTES = 1024;

/** One fresh process: `--expose-gc`, nothing else inherited from this one. */
async function measure(mode: HeapMode, n: number, warmup: number, census = false): Promise<HeapReading> {
  const args = [
    compiledScript('heap-child.js'),
    mode,
    String(n),
    String(warmup),
    ...(census ? ['census'] : []),
  ];
  const { stdout } = await run(process.execPath, ['--expose-gc', ...args], {
    env: { ...process.env, NODE_OPTIONS: '' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '') as HeapReading;
}

interface Pairs {
  readonly readings: HeapReading[][];
  /** Per process set, (mode − baseline) / n for each measured mode. */
  readonly perConnection: Record<string, Spread>;
}

/** `pairs` sets of processes, one per mode each, the order rotated per set; differences per set. */
async function sets(modes: readonly HeapMode[], count: number, n: number, warmup: number): Promise<Pairs> {
  const readings: HeapReading[][] = [];
  for (let set = 0; set < count; set++) {
    const mine: HeapReading[] = [];
    for (let k = 0; k < modes.length; k++)
      mine.push(await measure(modes[(set + k) % modes.length]!, n, warmup));
    readings.push(mine);
  }
  const used = (set: HeapReading[], mode: HeapMode): number =>
    set.find((r) => r.mode === mode)?.heapUsed ?? Number.NaN;
  const perConnection: Record<string, Spread> = {};
  for (const mode of modes.filter((m) => m !== 'baseline')) {
    perConnection[mode] = spreadOf(readings.map((set) => (used(set, mode) - used(set, 'baseline')) / n));
  }
  if (modes.includes('opened') && modes.includes('cached')) {
    perConnection['cacheEntry'] = spreadOf(
      readings.map((set) => (used(set, 'cached') - used(set, 'opened')) / n),
    );
  }
  return { readings, perConnection };
}

/**
 * Issue #13 item 4: heap per cached connection, engine only, each figure from fresh processes
 * with repeated GC, the baseline doing everything but the engine calls.
 */
export const heap: BenchModule = {
  id: 'heap',
  async run({ size, log }) {
    const { n, warmup, pairs, coldPairs, censusN } = sizes[size];
    log(`heap: ${pairs} sets of 3 processes × ${n} connections, then ${coldPairs} pairs without warm-up`);
    const warm = await sets(['baseline', 'opened', 'cached'], pairs, n, warmup);
    const cold = await sets(['baseline', 'cached'], coldPairs, n, 0);
    const censusBaseline = await measure('baseline', censusN, warmup, true);
    const censusCached = await measure('cached', censusN, warmup, true);
    const held = censusDiff(censusCached.census ?? {}, censusBaseline.census ?? {}, censusN);
    const cached = warm.perConnection['cached']!;
    const baselines = spreadOf(warm.readings.map((set) => set.find((r) => r.mode === 'baseline')!.heapUsed));
    const bytes = (s: Spread): string => fmtSpread(s);
    const facts: Fact[] = [...warm.readings, ...cold.readings, [censusBaseline, censusCached]].flatMap(
      (set) =>
        set.flatMap((r) => [
          { name: `${r.mode} process: records in the store`, expected: r.n, actual: r.storeSize },
          {
            name: `${r.mode} process: second getAccessToken served the cached AccessToken`,
            expected: r.mode === 'cached' ? r.n : 0,
            actual: r.hits,
          },
        ]),
    );
    return {
      data: { n, warmup, warm, cold, census: { n: censusN, perConnection: held } },
      sections: [
        {
          title: `Heap per cached connection (engine only, ${fmt(n)} connections, HP TechPulse)`,
          about: [
            `Each figure is (heapUsed of a measured process − heapUsed of its baseline process) / ${fmt(n)}, over ${pairs} sets of fresh processes (\`--expose-gc\`),`,
            'median (min–max). Every process builds the HP TechPulse connector and fills a memory store with the same records (100-character access and refresh tokens),',
            'builds each connection object as a host reading its database would (new strings and objects) and drops it; only the engine calls differ.',
            'Before reading `heapUsed` it runs full GCs with a macrotask between until two readings agree within 1 KiB; the store and the connector are reachable from a global and used after the reading.',
            `Both processes of a set first open and cache ${warmup} other connections on a second connector, so one-time costs (ajv compiling the schema, compiled code, hidden classes) cancel out; the last row shows the figure without that warm-up.`,
          ].join(' '),
          columns: ['what is measured', 'bytes per connection'],
          rows: [
            [
              'cached connection: getAccessToken twice (a miss, then a hit), each with a new object',
              bytes(cached),
            ],
            [
              '  of which the opened connection (getStatus only: validated, frozen credentials + the by-id cache entry)',
              bytes(warm.perConnection['opened']!),
            ],
            [
              '  of which the token cache entry (cached − opened: CachedToken, its resolved promise, the map slot)',
              bytes(warm.perConnection['cacheEntry']!),
            ],
            [`noise: spread of the baseline processes / ${fmt(n)}`, fmt((baselines.max - baselines.min) / n)],
            [
              `cached connection without the warm-up (one-time costs ÷ ${fmt(n)} included)`,
              bytes(cold.perConnection['cached']!),
            ],
          ],
        },
        {
          title: `What a cached connection holds (heap snapshot census, ${fmt(censusN)} connections)`,
          about: `A baseline and a cached process as above (${fmt(censusN)} connections, same warm-up) each take a heap snapshot after their reading: bytes and objects per connection by kind, cached − baseline. The opened connection is an \`Opened\` object, two plain objects (its frozen credential copy — with a property array for its fifth field — and its error context) and strings: the connection's id and key, the credential values the copy keeps (a database read hands over new ones), and flat copies of concatenated strings the engine looked up (hence the negative concatenated-string row); the by-id cache maps the id to the \`Opened\` object directly. The token cache entry is a \`CachedToken\`, its resolved \`Promise\` and its two expiry times (heap numbers); the access token string is the store record's, held by both processes. Code and map backing stores include what the smaller N leaves of one-time and growth costs.`,
          columns: ['kind of object', 'bytes per connection', 'objects per connection'],
          rows: held.map((row) => [
            row.kind,
            fmt(row.bytes),
            Number.isNaN(row.objects) ? '—' : fmt(row.objects, 2),
          ]),
        },
      ],
      targets: [
        {
          name: `heap per cached connection, engine only (${fmt(n)} connections)`,
          target: `≤ ${fmt(TARGET_BYTES)} bytes`,
          figure: `${bytes(cached)} bytes`,
          met: cached.median <= TARGET_BYTES,
        },
      ],
      facts,
    };
  },
};
