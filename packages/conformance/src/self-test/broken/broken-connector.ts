import type { ContainerModule } from 'inversify';

/** A connector with one rule deliberately broken, and the scenarios that must catch it. */
export interface BrokenConnector {
  readonly name: string;
  /** The rule it breaks, in words. */
  readonly breaks: string;
  readonly module: ContainerModule;
  /** Exactly the scenario ids that must FAIL (every other applicable one passes). */
  readonly caughtBy: readonly string[];
}
