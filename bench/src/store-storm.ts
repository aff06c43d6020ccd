import type { ConnectionRecord } from '@aic/connector-core';
import { RotatingTokenEndpoint, storeFixtureKey } from '@aic/connector-core/testing';
import { startHostProcess } from './child-script.js';
import type { BenchModule, BenchSize, Fact, ModuleResult, Section, Target } from './module.js';
import { skippedResult } from './module.js';
import { fmt, fmtSpread, spreadOf, type Spread } from './stats.js';
import type { StormHostSummary } from './store-storm-host.js';

/**
 * The driver of issue #13's storm on a shared store, whatever the store: `processes` host
 * processes (`store-storm-host.ts`) share one store and its token request limiter; `connections`
 * expired connections are seeded; at one moment every process calls `getAccessToken` on every
 * connection. The token endpoint (`RotatingTokenEndpoint`, in this process, on loopback) answers
 * after `tokenDelayMs` and rotates refresh tokens strictly. Each store module says only what
 * differs: how its store is seeded and its hosts started, and its own figures.
 */
export interface StoreStormOptions {
  readonly processes: number;
  /** Expired connections; every process calls every one of them once. */
  readonly connections: number;
  /** Token requests in flight per origin, for all processes together (the store's limiter). */
  readonly limit: number;
  /** The token endpoint answers after this long (ms). */
  readonly tokenDelayMs: number;
  readonly rounds: number;
}

/** One round of the storm, with the store's own figures `F`. */
export interface StoreStormRound<F> {
  readonly wallMs: number;
  readonly refreshes: number;
  readonly refreshesPerSecond: number;
  readonly failedCalls: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly maxConcurrentTokenRequests: number;
  readonly connectionsRefreshedTwice: number;
  readonly refreshTokensSentTwice: number;
  readonly invalidGrants: number;
  readonly store: F;
}

export interface StoreStormResult<F> {
  readonly options: StoreStormOptions;
  readonly rounds: readonly StoreStormRound<F>[];
}

/** A seeded record: the store key and what the endpoint's authorization gave. */
export type StormRecord = readonly [key: string, record: ConnectionRecord];

/** What a store prepares for one round. */
export interface StormRoundStore<F> {
  /** The compiled host script and the store's arguments (after the driver's, see the host). */
  readonly host: string;
  readonly hostArgs: readonly string[];
  readonly hostEnv?: NodeJS.ProcessEnv | undefined;
  seed(records: readonly StormRecord[]): Promise<void>;
  /** Right before the hosts are told to go (every host is ready). */
  beforeGo?(): Promise<void>;
  /** The store's figures, from the summaries of the hosts that finished. */
  figures(summaries: readonly StormHostSummary[], refreshes: number): Promise<F>;
  close(): Promise<void>;
}

/** A store in the storm. */
export interface StormStore<F> {
  /** The module id (`--only`, results.json). */
  readonly id: string;
  /** `Redis`, `SQLite`: in titles and (lower-cased) in fact names. */
  readonly name: string;
  readonly sizes: Record<BenchSize, StoreStormOptions>;
  /** What the whole run needs (a redis-server), or why it cannot run. */
  start(): Promise<StormRun<F> | { skipped: string }>;
  /** How it is measured: where records are seeded, which classes the hosts use, its own figures. */
  readonly about: { readonly seeded: string; readonly hosts: string; readonly figures: string };
  /** Its rows (after "refreshes / s"), targets and facts. */
  rows(of: (pick: (round: StoreStormRound<F>) => number) => Spread): string[][];
  targets?(of: (pick: (round: StoreStormRound<F>) => number) => Spread, label: string): Target[];
  facts?(round: StoreStormRound<F>, name: string): Fact[];
}

/** A run of a store's rounds. */
export interface StormRun<F> {
  round(index: number, options: StoreStormOptions): Promise<StormRoundStore<F>>;
  stop(): Promise<void>;
}

async function stormRound<F>(
  run: StormRun<F>,
  options: StoreStormOptions,
  index: number,
): Promise<StoreStormRound<F>> {
  const endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 3_600_000 });
  endpoint.delayMs = options.tokenDelayMs;
  const store = await run.round(index, options);
  try {
    const idPrefix = `r${index}c`;
    const records = Array.from({ length: options.connections }, (_, i): StormRecord => {
      const id = `${idPrefix}${i}`;
      return [storeFixtureKey(id), endpoint.authorize(id)];
    });
    await store.seed(records);
    const args = [endpoint.baseUrl, idPrefix, String(options.connections), String(options.limit)];
    const hosts = Array.from({ length: options.processes }, () =>
      startHostProcess<StormHostSummary>(store.host, [...args, ...store.hostArgs], store.hostEnv),
    );
    await Promise.all(hosts.map((host) => host.ready));
    await store.beforeGo?.();
    const started = performance.now();
    for (const host of hosts) host.go();
    const summaries = await Promise.all(hosts.map((host) => host.done));
    const wallMs = performance.now() - started;

    const failures: Record<string, number> = {};
    const finished: StormHostSummary[] = [];
    for (const summary of summaries) {
      // A host that died without a summary failed every one of its calls.
      const counts = summary?.failures ?? { worker_died: options.connections };
      for (const [label, count] of Object.entries(counts)) failures[label] = (failures[label] ?? 0) + count;
      if (summary !== undefined) finished.push(summary);
    }
    const { refreshes } = endpoint;
    return {
      wallMs,
      refreshes,
      refreshesPerSecond: refreshes / (wallMs / 1000),
      failedCalls: Object.values(failures).reduce((sum, count) => sum + count, 0),
      failures,
      maxConcurrentTokenRequests: endpoint.maxInFlight,
      connectionsRefreshedTwice: [...endpoint.grants.values()].filter((grant) => grant.generation > 1).length,
      refreshTokensSentTwice: endpoint.reused.length,
      invalidGrants: endpoint.invalidGrants,
      store: await store.figures(finished, refreshes),
    };
  } finally {
    await store.close();
    await endpoint.close();
  }
}

/** Every round of the storm on one store (`skipped` when the store cannot run here). */
export async function measureStoreStorm<F>(
  stormStore: StormStore<F>,
  options: StoreStormOptions,
  log: (message: string) => void = () => undefined,
): Promise<StoreStormResult<F> | { skipped: string }> {
  const run = await stormStore.start();
  if ('skipped' in run) return run;
  try {
    const rounds: StoreStormRound<F>[] = [];
    for (let index = 0; index < options.rounds; index++) {
      log(`${stormStore.name.toLowerCase()} storm: round ${index + 1} of ${options.rounds}`);
      rounds.push(await stormRound(run, options, index));
    }
    return { options, rounds };
  } finally {
    await run.stop();
  }
}

/** The tables, targets and facts of a storm's rounds. */
export function stormReport<F>(stormStore: StormStore<F>, result: StoreStormResult<F>): ModuleResult {
  const { options, rounds } = result;
  const of = (pick: (round: StoreStormRound<F>) => number) => spreadOf(rounds.map(pick));
  const failed = of((r) => r.failedCalls);
  const twice = of((r) => r.connectionsRefreshedTwice);
  const inFlight = of((r) => r.maxConcurrentTokenRequests);
  const label = stormTitle(stormStore, options);
  const name = `${stormStore.name.toLowerCase()} storm`;
  const facts: Fact[] = rounds.flatMap((r, index) => [
    {
      name: `${name} round ${index + 1}: refreshes (one per connection)`,
      expected: options.connections,
      actual: r.refreshes,
    },
    { name: `${name} round ${index + 1}: failed calls`, expected: 0, actual: r.failedCalls },
    {
      name: `${name} round ${index + 1}: connections refreshed twice`,
      expected: 0,
      actual: r.connectionsRefreshedTwice,
    },
    {
      name: `${name} round ${index + 1}: refresh tokens sent twice`,
      expected: 0,
      actual: r.refreshTokensSentTwice,
    },
    { name: `${name} round ${index + 1}: invalid grants`, expected: 0, actual: r.invalidGrants },
    {
      name: `${name} round ${index + 1}: max concurrent token requests (the limit)`,
      expected: options.limit,
      actual: r.maxConcurrentTokenRequests,
    },
    ...(stormStore.facts?.(r, `${name} round ${index + 1}`) ?? []),
  ]);
  const { about } = stormStore;
  const section: Section = {
    title: label,
    about: [
      `${fmt(options.connections)} expired connections are seeded in ${about.seeded}; ${options.processes} processes, each with ${about.hosts}`,
      `(limit ${options.limit} per origin, all processes together), call \`getAccessToken\` on every connection at the same moment.`,
      `The token endpoint (\`RotatingTokenEndpoint\` of \`@aic/connector-core/testing\`, in the benchmark process, loopback) answers after ${options.tokenDelayMs} ms, rotates refresh tokens strictly (a retired one is \`invalid_grant\`), records every refresh token it receives and counts refreshes per connection and requests in flight.`,
      about.figures,
      `${rounds.length} rounds, median (min–max).`,
    ].join(' '),
    columns: ['figure', 'median (min–max, n)', 'target'],
    rows: [
      ['failed calls', fmtSpread(failed), '0'],
      ['refreshes / s', fmtSpread(of((r) => r.refreshesPerSecond)), ''],
      ...stormStore.rows(of),
      ['max concurrent token requests', fmtSpread(inFlight), `= ${options.limit}`],
      ['connections refreshed twice', fmtSpread(twice), '0'],
      ['refresh tokens sent twice', fmtSpread(of((r) => r.refreshTokensSentTwice)), '0'],
    ],
  };
  return {
    data: result,
    sections: [section],
    targets: [
      { name: `${label}: failed calls`, target: '0', figure: fmtSpread(failed), met: failed.max === 0 },
      {
        name: `${label}: connections refreshed twice`,
        target: '0',
        figure: fmtSpread(twice),
        met: twice.max === 0,
      },
      ...(stormStore.targets?.(of, label) ?? []),
      {
        name: `${label}: max concurrent token requests`,
        target: `= the limit (${options.limit})`,
        figure: fmtSpread(inFlight),
        met: inFlight.min === options.limit && inFlight.max === options.limit,
      },
    ],
    facts,
  };
}

const stormTitle = (stormStore: { readonly name: string }, options: StoreStormOptions): string =>
  `${options.processes} processes × ${fmt(options.connections)} expiring connections on ${stormStore.name}`;

/** The bench module of a store's storm (issue #13). */
export function storeStormModule<F>(stormStore: StormStore<F>): BenchModule {
  return {
    id: stormStore.id,
    async run({ size, log }) {
      const options = stormStore.sizes[size];
      const result = await measureStoreStorm(stormStore, options, log);
      if ('skipped' in result) return skippedResult(stormTitle(stormStore, options), result);
      return stormReport(stormStore, result);
    },
  };
}
