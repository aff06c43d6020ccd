import { runLoad, type LoadResult } from './load.js';
import { collectGarbage } from './module.js';
import { median, spreadOf, type Spread } from './stats.js';

/** One way of making an authorized GET, ready to call in a loop. */
export interface Contender {
  readonly name: string;
  /** What it does per call (token handling, HTTP client): printed beside its figures. */
  readonly does: string;
  readonly call: () => Promise<void>;
  readonly close?: (() => Promise<void>) | undefined;
}

export interface InterleaveOptions {
  readonly concurrencies: readonly number[];
  readonly rounds: number;
  readonly durationMs: number;
  /** Warm-up per contender before the first round (JIT, sockets). */
  readonly warmupMs: number;
}

/** A contender's figures at one concurrency, over every round. */
export interface ContenderFigures {
  readonly contender: string;
  readonly concurrency: number;
  readonly rps: Spread;
  /** rps / the baseline's rps in the same round (run next to it): the figure that is compared. */
  readonly ratio: Spread;
  /** This process's CPU µs per call (user + system): the client side's own cost, whatever the load. */
  readonly cpuUs: Spread;
  /** CPU µs per call over the baseline's in the same round. */
  readonly cpuRatio: Spread;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly failures: number;
}

/**
 * Runs `contenders` in closed-loop load, interleaved: at each concurrency, `rounds` rounds in which
 * every contender runs once, in an order that rotates each round (so none always follows the
 * same neighbour), with a full GC before each run (each contender pays for its own garbage).
 * The first contender is the baseline: each round's ratio is a contender's rps over the
 * baseline's in that round, so machine noise that spans a round hits both alike.
 */
export async function interleave(
  contenders: readonly Contender[],
  options: InterleaveOptions,
): Promise<ContenderFigures[]> {
  for (const contender of contenders) await runLoad(contender.call, 8, options.warmupMs);
  const figures: ContenderFigures[] = [];
  for (const concurrency of options.concurrencies) {
    const runs = contenders.map(() => [] as LoadResult[]);
    for (let round = 0; round < options.rounds; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const index = (round + k) % contenders.length;
        collectGarbage();
        runs[index]!.push(await runLoad(contenders[index]!.call, concurrency, options.durationMs));
      }
    }
    const baseline = runs[0]!;
    contenders.forEach((contender, index) => {
      const mine = runs[index]!;
      figures.push({
        contender: contender.name,
        concurrency,
        rps: spreadOf(mine.map((r) => r.rps)),
        ratio: spreadOf(mine.map((r, round) => r.rps / (baseline[round]?.rps ?? Number.NaN))),
        cpuUs: spreadOf(mine.map((r) => r.cpuUsPerCall)),
        cpuRatio: spreadOf(
          mine.map((r, round) => r.cpuUsPerCall / (baseline[round]?.cpuUsPerCall ?? Number.NaN)),
        ),
        p50Ms: median(mine.map((r) => r.p50Ms)),
        p99Ms: median(mine.map((r) => r.p99Ms)),
        requests: mine.reduce((sum, r) => sum + r.requests, 0),
        failures: mine.reduce((sum, r) => sum + r.failures, 0),
      });
    });
  }
  return figures;
}
