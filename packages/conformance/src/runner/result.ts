import type { RuleReference, ScenarioFamily } from '../scenario.js';

export type ScenarioStatus = 'pass' | 'fail' | 'skip';

/** The outcome of one scenario against one connector. Never holds a secret. */
export interface ScenarioResult {
  readonly scenarioId: string;
  readonly title: string;
  readonly family: ScenarioFamily;
  readonly rule: RuleReference;
  readonly status: ScenarioStatus;
  /** Why it was skipped, or what failed (one line). */
  readonly reason?: string | undefined;
  /** Further facts about a failure (requests seen, post-condition problems). */
  readonly details: readonly string[];
  /** Facts worth knowing even on a pass (e.g. a test vector the schema cannot express). */
  readonly notes: readonly string[];
  readonly durationMs: number;
}

export interface Totals {
  readonly pass: number;
  readonly fail: number;
  readonly skip: number;
}

export function totalsOf(results: readonly { status: ScenarioStatus }[]): Totals {
  return {
    pass: results.filter((r) => r.status === 'pass').length,
    fail: results.filter((r) => r.status === 'fail').length,
    skip: results.filter((r) => r.status === 'skip').length,
  };
}
