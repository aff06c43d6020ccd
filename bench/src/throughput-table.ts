import type { ContenderFigures, Contender } from './interleave.js';
import type { Fact, Section } from './module.js';
import { fmt, fmtSpread } from './stats.js';

/** A throughput table: one row per contender and concurrency, every figure with its spread. */
export function throughputSection(
  title: string,
  about: string,
  figures: readonly ContenderFigures[],
  notes?: string,
): Section {
  return {
    title,
    about,
    columns: [
      'contender',
      'conc.',
      'req/s',
      'ratio to raw undici',
      'client CPU µs/call',
      'p50 ms',
      'p99 ms',
      'failed',
    ],
    rows: figures.map((f) => [
      f.contender,
      String(f.concurrency),
      fmtSpread(f.rps),
      fmtSpread(f.ratio, 3),
      fmtSpread(f.cpuUs, 1),
      fmt(f.p50Ms, 3),
      fmt(f.p99Ms, 3),
      String(f.failures),
    ]),
    notes,
  };
}

/** What each contender does per call, as a two-column table. */
export function contendersSection(title: string, contenders: readonly Contender[]): Section {
  return {
    title,
    about: '',
    columns: ['contender', 'what it does per call'],
    rows: contenders.map((c) => [c.name, c.does]),
  };
}

/** Every call of every contender answered 200. */
export function noFailures(figures: readonly ContenderFigures[]): Fact[] {
  return figures.map((f) => ({
    name: `${f.contender} at concurrency ${f.concurrency}: failed calls`,
    expected: 0,
    actual: f.failures,
  }));
}
