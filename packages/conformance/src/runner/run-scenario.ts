import { performance } from 'node:perf_hooks';
import nock from 'nock';
import type { ConnectorManifest } from '@aic/connector-core';
import { ScenarioContext } from '../kit/context.js';
import { describeError } from '../kit/expect.js';
import { findOutputLeaks } from '../kit/hygiene.js';
import { planEndpoints, type EndpointPlan } from '../kit/plan.js';
import { REDACTED, type SecretRegistry } from '../kit/secrets.js';
import { AssertionFailure, type Scenario, type ScenarioSubject } from '../scenario.js';
import type { LoadedTarget } from '../target.js';
import type { ScenarioResult } from './result.js';

/**
 * Whether `scenario` applies to a connector: `true`, or the reason it is skipped. A manifest the
 * kit cannot plan endpoints for counts as applicable, so that running the scenario reports why.
 */
export function applicability(
  target: LoadedTarget,
  manifest: ConnectorManifest,
  scenario: Scenario,
): true | string {
  let subject: ScenarioSubject;
  try {
    subject = { manifest, plan: planEndpoints(manifest), targetKind: target.kind };
  } catch {
    return true;
  }
  return scenario.appliesTo(subject);
}

export interface RunScenarioOptions {
  /** A scenario still running after this long fails (a hang, or a real-clock sleep). Default 10 s. */
  readonly timeoutMs?: number | undefined;
  /**
   * What the connector writes to `console.*`, stdout and stderr during a scenario is always
   * captured and scanned for secrets; `forward` (default) passes it on with secrets redacted,
   * `hold` keeps it back (the self-test, whose broken connectors print on purpose).
   */
  readonly output?: 'forward' | 'hold' | undefined;
}

/** Credentials in an `Authorization` header, whatever the scenario knew about them. */
const AUTHORIZATION_VALUE = /\b(Bearer|Basic)\s+(?=[A-Za-z]*[0-9+/=._~-])[A-Za-z0-9._~+/=-]{8,}/gi;

/** Redacts every secret the scenario knew of, and any `Authorization` credential. */
export const redactWith =
  (secrets: SecretRegistry | undefined) =>
  (text: string): string =>
    (secrets?.redact(text) ?? text).replace(AUTHORIZATION_VALUE, `$1 ${REDACTED}`);

class ScenarioTimeout extends Error {}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ScenarioTimeout()), ms);
    timer.unref();
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function failureOf(error: unknown, timeoutMs: number): { message: string; details: readonly string[] } {
  if (error instanceof AssertionFailure) return { message: error.message, details: error.details };
  if (error instanceof ScenarioTimeout) {
    return {
      message: `the scenario did not finish within ${timeoutMs} ms: a call that never returns, or a wait on a real clock instead of the injected Clock`,
      details: [],
    };
  }
  return { message: `unexpected error: ${describeError(error)}`, details: [] };
}

/**
 * Runs one scenario against one connector of a loaded target, in isolation: a fresh container
 * with fresh kit ports, nock with net connect disabled (left disabled: call
 * `nock.enableNetConnect()` when the whole run is over, as {@link runConformance} and the jest
 * adapter do), and the post-conditions every scenario has — every scripted call made, no
 * unscripted call. The result is redacted of every secret the scenario used.
 */
export async function runScenario(
  target: LoadedTarget,
  manifest: ConnectorManifest,
  scenario: Scenario,
  options: RunScenarioOptions = {},
): Promise<ScenarioResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const started = performance.now();
  const base = {
    scenarioId: scenario.id,
    title: scenario.title,
    family: scenario.family,
    rule: scenario.rule,
  };
  const finish = (
    status: ScenarioResult['status'],
    reason: string | undefined,
    details: readonly string[],
    notes: readonly string[],
    secrets?: SecretRegistry,
  ): ScenarioResult => {
    const redact = redactWith(secrets);
    return {
      ...base,
      status,
      reason: reason === undefined ? undefined : redact(reason),
      details: details.map(redact),
      notes: notes.map(redact),
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
  };

  let plan: EndpointPlan;
  let applies: true | string;
  try {
    plan = planEndpoints(manifest);
    applies = scenario.appliesTo({ manifest, plan, targetKind: target.kind });
  } catch (error) {
    return finish('fail', `cannot prepare the scenario: ${describeError(error)}`, [], []);
  }
  if (applies !== true) return finish('skip', applies, [], []);

  let ctx: ScenarioContext;
  try {
    ctx = new ScenarioContext({
      scenarioId: scenario.id,
      target,
      connectorId: manifest.id,
      plan,
      forwardOutput: options.output !== 'hold',
    });
  } catch (error) {
    return finish('fail', `cannot build the connector: ${describeError(error)}`, [], []);
  }
  nock.disableNetConnect();
  ctx.provider.start();
  ctx.output.start();
  let failure: { message: string; details: readonly string[] } | undefined;
  try {
    await withTimeout(scenario.run(ctx), timeoutMs);
  } catch (error) {
    failure = failureOf(error, timeoutMs);
  } finally {
    ctx.output.stop();
  }
  try {
    await ctx.provider.settle();
    failure = withPostConditions(ctx, failure);
  } finally {
    ctx.provider.stop();
    await ctx.dispose();
  }
  return failure === undefined
    ? finish('pass', undefined, [], ctx.notes, ctx.secrets)
    : finish('fail', failure.message, failure.details, ctx.notes, ctx.secrets);
}

/**
 * Adds what every scenario checks after it ran, and puts the broken rule first: a secret written
 * to the console, stdout or stderr, then each unscripted call named for what it was ("the code
 * exchange was retried after invalid_grant"), before the symptom the scenario saw (often an
 * error caused by nock's answer to that call). Scripted calls never made come last.
 */
function withPostConditions(
  ctx: ScenarioContext,
  failure: { message: string; details: readonly string[] } | undefined,
): { message: string; details: readonly string[] } | undefined {
  const leads = [...findOutputLeaks(ctx), ...ctx.provider.unscripted()];
  const neverMade = ctx.provider.problems().filter((p) => !leads.includes(p));
  const [lead, ...otherLeads] = leads;
  if (lead === undefined) {
    if (failure !== undefined)
      return { message: failure.message, details: [...failure.details, ...neverMade] };
    const [first, ...rest] = neverMade;
    return first === undefined ? undefined : { message: first, details: rest };
  }
  return {
    message: failure === undefined ? lead : `${lead} — then: ${failure.message}`,
    details: [...otherLeads, ...(failure?.details ?? []), ...neverMade],
  };
}
