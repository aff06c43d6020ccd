/**
 * Figures of the reliability suites (cases run, faults survived, leaks, tokens lost): printed
 * by each suite and written to `test-results/reliability/<suite>.json`, from which
 * RELIABILITY.md quotes its numbers.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT_DIR = fileURLToPath(new URL('../../../../test-results/reliability/', import.meta.url));

/** Collects named counters for one suite and reports them once, after the suite. */
export class Figures {
  readonly #suite: string;
  readonly #counts = new Map<string, number>();

  constructor(suite: string) {
    this.#suite = suite;
  }

  add(name: string, amount = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + amount);
  }

  get(name: string): number {
    return this.#counts.get(name) ?? 0;
  }

  /** Prints the figures and writes them as JSON (call from `afterAll`). */
  report(extra: Readonly<Record<string, unknown>> = {}): void {
    const figures = Object.fromEntries([...this.#counts].sort(([a], [b]) => a.localeCompare(b)));
    const lines = Object.entries(figures).map(([name, count]) => `  ${name}: ${count}`);
    console.log(`[reliability] ${this.#suite}\n${lines.join('\n')}`);
    mkdirSync(OUT_DIR, { recursive: true });
    writeFileSync(
      `${OUT_DIR}${this.#suite}.json`,
      `${JSON.stringify({ suite: this.#suite, ranAt: new Date().toISOString(), figures, ...extra }, null, 2)}\n`,
    );
  }
}
