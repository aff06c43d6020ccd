/**
 * Running fast-check properties in the normal test command: a run count that keeps CI fast
 * (`FUZZ_RUNS`, default 300 per property), an optional fixed seed (`FUZZ_SEED`) to replay a
 * failure, and a tally of the cases that actually ran.
 */
import fc from 'fast-check';
import type { Figures } from './figures.js';

const DEFAULT_RUNS = 300;

function envInteger(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

/** Cases per property: `FUZZ_RUNS`, or 300. A property may scale it (`0.5` for a slow one). */
export function fuzzRuns(scale = 1): number {
  return Math.max(1, Math.round((envInteger('FUZZ_RUNS') ?? DEFAULT_RUNS) * scale));
}

function parameters<T>(scale: number): fc.Parameters<T> {
  const seed = envInteger('FUZZ_SEED');
  return { numRuns: fuzzRuns(scale), ...(seed === undefined ? {} : { seed }) };
}

/** Checks a property, counts the cases run under `name`, and fails with fast-check's report. */
export function checkProperty<T>(figures: Figures, name: string, property: fc.IProperty<T>, scale = 1): void {
  const details = fc.check(property, parameters<T>(scale));
  figures.add(`cases: ${name}`, details.numRuns);
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
}

/** {@link checkProperty} for an async property. */
export async function checkAsyncProperty<T>(
  figures: Figures,
  name: string,
  property: fc.IAsyncProperty<T>,
  scale = 1,
): Promise<void> {
  const details = await fc.check(property, parameters<T>(scale));
  figures.add(`cases: ${name}`, details.numRuns);
  if (details.failed) throw new Error(fc.defaultReportMessage(details));
}
