import type { ServerProcess } from './server-process.js';

/**
 * A benchmark module: one concern (the host path, heap per connection, a store at scale…) that
 * measures, reports its own tables and targets, and states the correctness facts that must hold
 * at any size. `benchmarks.ts` lists the modules; adding one is a line there.
 */
export interface BenchModule {
  /** Key in `results.json` and name for `--only` (kebab-case). */
  readonly id: string;
  /** Runs at full size for `pnpm bench`, at tiny size for the smoke test and `--quick`. */
  run(context: BenchContext): Promise<ModuleResult>;
}

export type BenchSize = 'full' | 'smoke';

/** What every module is given. */
export interface BenchContext {
  readonly size: BenchSize;
  /** The loopback provider (API + token endpoint) in its own process, shared by every module. */
  readonly server: ServerProcess;
  /** Progress for a person watching (stderr); never part of the report. */
  log(message: string): void;
}

/** What a module reports. */
export interface ModuleResult {
  /** Its figures as plain JSON, for `bench/results.json`. */
  readonly data: unknown;
  /** Its tables, in order, with what each measures. */
  readonly sections: readonly Section[];
  /** The targets it checks, each with its figure and spread (collected in one summary table). */
  readonly targets: readonly Target[];
  /** Facts that hold at any size (exact token request counts, zero failures): the smoke test asserts them. */
  readonly facts: readonly Fact[];
}

export interface Section {
  readonly title: string;
  /** Markdown: how it is measured and what a row means. */
  readonly about: string;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Markdown after the table (observations that depend on the figures). */
  readonly notes?: string | undefined;
}

export interface Target {
  readonly name: string;
  /** The target as the issue states it (`≥ 0.90× raw undici`). */
  readonly target: string;
  /** The figure with its spread (`0.93 (0.90–0.95, n=7)`). */
  readonly figure: string;
  /** Whether the median meets it. */
  readonly met: boolean;
}

export interface Fact {
  readonly name: string;
  readonly expected: number;
  readonly actual: number;
}

export const factHolds = (fact: Fact): boolean => fact.actual === fact.expected;

/** What a module reports when it cannot run here (e.g. no `redis-server`): one section saying why. */
export function skippedResult(title: string, skipped: { readonly skipped: string }): ModuleResult {
  return {
    data: skipped,
    sections: [{ title, about: `Skipped: ${skipped.skipped}.`, columns: ['figure', 'value'], rows: [] }],
    targets: [],
    facts: [],
  };
}

const gcFunction = (globalThis as { gc?: () => void }).gc;

/** A full collection when `--expose-gc` is on (every `pnpm bench` run has it); otherwise nothing. */
export function collectGarbage(): void {
  gcFunction?.();
}
