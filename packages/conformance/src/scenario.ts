import type { ConnectorManifest } from '@aic/connector-core';
import type { ScenarioContext } from './kit/context.js';
import type { EndpointPlan } from './kit/plan.js';

/** The rule families of the catalogue, in the order the matrix prints them. */
export const FAMILIES = [
  'authorization-request',
  'callback',
  'token-request',
  'token-response',
  'refresh',
  'api-request',
  'connection',
  'hygiene',
  'contract',
  'interop',
] as const;

export type ScenarioFamily = (typeof FAMILIES)[number];

/** Where the rule a scenario checks is written down. */
export interface RuleReference {
  /** `RFC 6749 §4.1.2.1`, `RFC 7636 §4.1`, `PROVIDERS.md (HP TechPulse)`, … */
  readonly source: string;
  readonly url?: string | undefined;
}

/** How the connector under test reached the kit. */
export type TargetKind = 'package' | 'module' | 'factory';

/** What a scenario may look at to decide whether it applies, before anything runs. */
export interface ScenarioSubject {
  readonly manifest: ConnectorManifest;
  /** Which endpoints the kit scripts and whether they are kit hosts (overridden) or the provider's. */
  readonly plan: EndpointPlan;
  readonly targetKind: TargetKind;
}

/**
 * One conformance scenario: a scripted provider, a connector driven through its public
 * contract, and assertions. `appliesTo` returns `true` or the reason it does not apply (SKIP).
 * `run` throws an {@link AssertionFailure} (or any error) to FAIL.
 *
 * Every scenario also gets the runner's post-conditions: every scripted call was made and no
 * unscripted call happened.
 */
export interface Scenario {
  readonly id: string;
  readonly title: string;
  readonly family: ScenarioFamily;
  readonly rule: RuleReference;
  appliesTo(subject: ScenarioSubject): true | string;
  run(context: ScenarioContext): Promise<void>;
}

/**
 * A failed expectation. `message` says what was expected and what happened; `details` add facts.
 * Neither ever holds a secret: the runner redacts every value the scenario knows to be secret,
 * and scenarios describe secrets by their role ("the client secret"), never by value.
 */
export class AssertionFailure extends Error {
  override readonly name = 'AssertionFailure';
  readonly details: readonly string[];

  constructor(message: string, details: readonly string[] = []) {
    super(message);
    this.details = details;
  }
}

/** Identity helper that keeps a scenario literal's types checked. */
export const defineScenario = (scenario: Scenario): Scenario => Object.freeze(scenario);
