import { ours, rawUndici } from './contenders.js';
import { InstantDispatcher } from './instant-dispatcher.js';
import type { Contender } from './interleave.js';
import { collectGarbage, type BenchModule } from './module.js';
import { fmt, fmtSpread, spreadOf } from './stats.js';

const sizes = {
  full: { connections: 1_000, concurrency: 16, rounds: 7, calls: 40_000 },
  smoke: { connections: 20, concurrency: 4, rounds: 2, calls: 500 },
};

/** CPU µs per call of `calls` calls made `concurrency` at a time. */
async function cpuPerCall(call: () => Promise<void>, concurrency: number, calls: number): Promise<number> {
  let left = calls;
  let failures = 0;
  const started = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) await call().catch(() => failures++);
    }),
  );
  const used = process.cpuUsage(started);
  if (failures > 0) throw new Error(`${failures} calls failed`);
  return (used.user + used.system) / calls;
}

/**
 * The engine's own CPU cost per authorized call, without the network: the same contenders as the
 * host path on an in-process dispatcher that answers on the next macrotask. What raw undici spends
 * there is undici's API layer; what ours spends beyond it is the engine's own work. Measured in
 * CPU time of this process, so a busy machine shifts it far less than it shifts req/s.
 */
export const engineCost: BenchModule = {
  id: 'engine-cost',
  async run({ size, log }) {
    const options = sizes[size];
    const dispatcher = new InstantDispatcher();
    const base = 'http://127.0.0.1:9';
    const contenders: Contender[] = [
      rawUndici(base, dispatcher),
      await ours(base, dispatcher, options.connections, 'fresh'),
      await ours(base, dispatcher, options.connections, 'same'),
    ];
    log(
      `engine cost: ${options.rounds} rounds × ${contenders.length} contenders × ${options.calls} calls, in process`,
    );
    for (const contender of contenders)
      await cpuPerCall(contender.call, options.concurrency, Math.min(options.calls, 10_000));
    const runs = contenders.map(() => [] as number[]);
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const index = (round + k) % contenders.length;
        collectGarbage();
        runs[index]!.push(await cpuPerCall(contenders[index]!.call, options.concurrency, options.calls));
      }
    }
    const raw = runs[0]!;
    const rows = contenders.map((contender, index) => {
      const mine = runs[index]!;
      return {
        contender: contender.name,
        cpuUs: spreadOf(mine),
        overUs: spreadOf(mine.map((us, round) => us - (raw[round] ?? Number.NaN))),
      };
    });
    return {
      data: { options, rows },
      sections: [
        {
          title: `Engine's own cost per call (in process, ${fmt(options.connections)} connections, concurrency ${options.concurrency})`,
          about: [
            `CPU time of this process per \`GET /api/items\`, on an undici \`Dispatcher\` that answers in process on the next macrotask (no socket, no provider process):`,
            `${options.rounds} interleaved rounds of ${fmt(options.calls)} calls, median (min–max). "Beyond raw undici" is the difference in the same round: the engine's own work per call.`,
            "Compare it with raw undici's client CPU per call over a real socket (host path table): a ratio of 0.90 leaves the engine about a ninth of that.",
          ].join(' '),
          columns: ['contender', 'CPU µs per call', 'beyond raw undici (µs)'],
          rows: rows.map((r, index) => [
            r.contender,
            fmtSpread(r.cpuUs, 2),
            index === 0 ? '—' : fmtSpread(r.overUs, 2),
          ]),
        },
      ],
      targets: [],
      facts: [
        {
          name: 'engine cost: token requests to warm up (one grant per connection and connector)',
          expected: 2 * options.connections,
          actual: dispatcher.tokenRequests,
        },
      ],
    };
  },
};
