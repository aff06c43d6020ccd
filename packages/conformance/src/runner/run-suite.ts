import { performance } from 'node:perf_hooks';
import nock from 'nock';
import { catalogue, isInterop } from '../catalogue.js';
import { closeInteropServers } from '../interop/servers.js';
import type { ConnectorManifest } from '@aic/connector-core';
import { planEndpoints } from '../kit/plan.js';
import type { ConformanceReport, ConnectorReport, ScriptedEndpoints } from '../report/report.js';
import type { Scenario } from '../scenario.js';
import { loadTarget, type ConnectorTarget, type LoadedTarget, type TargetOptions } from '../target.js';
import { KIT_VERSION } from '../version.js';
import { describeLoadFailure } from './load-failure.js';
import { totalsOf, type ScenarioResult } from './result.js';
import { runScenario, type RunScenarioOptions } from './run-scenario.js';

/** A connector to test, with how to resolve it. */
export interface SuiteTarget extends TargetOptions {
  readonly target: ConnectorTarget;
}

export interface SuiteOptions extends RunScenarioOptions {
  /** The scenarios to run. Default: the whole {@link catalogue}. */
  readonly scenarios?: readonly Scenario[] | undefined;
  /** Run the interop family (real servers on loopback). Default true; false leaves it out. */
  readonly interop?: boolean | undefined;
  /** Called after each scenario (progress output). */
  readonly onResult?: ((connectorId: string, result: ScenarioResult) => void) | undefined;
  /** Wall clock for `startedAt`. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

function scriptedEndpoints(manifest: ConnectorManifest): ScriptedEndpoints | undefined {
  try {
    const plan = planEndpoints(manifest);
    const show = (url: URL): string => `${url.origin}${url.pathname}`;
    return {
      overridden: plan.overridden,
      region: plan.region,
      authorization: plan.authorization === undefined ? undefined : show(plan.authorization),
      token: show(plan.token),
      apiBase: show(plan.apiBase),
    };
  } catch {
    return undefined;
  }
}

function labelOf(target: SuiteTarget): string {
  if (target.label !== undefined) return target.label;
  if (typeof target.target === 'string') return target.target;
  if (target.target instanceof URL) return target.target.href;
  return typeof target.target === 'function' ? 'factory' : 'module';
}

async function runTarget(
  loaded: LoadedTarget,
  scenarios: readonly Scenario[],
  options: SuiteOptions,
): Promise<ConnectorReport[]> {
  const reports: ConnectorReport[] = [];
  if (loaded.manifests.length === 0) {
    return [
      {
        target: loaded.label,
        connectorId: loaded.label,
        loadError: 'the package binds no connector under the Connector service identifier',
        results: [],
        totals: { pass: 0, fail: 1, skip: 0 },
        durationMs: 0,
      },
    ];
  }
  for (const manifest of loaded.manifests) {
    const started = performance.now();
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const result = await runScenario(loaded, manifest, scenario, options);
      results.push(result);
      options.onResult?.(manifest.id, result);
    }
    reports.push({
      target: loaded.label,
      connectorId: manifest.id,
      version: manifest.version,
      displayName: manifest.displayName,
      endpoints: scriptedEndpoints(manifest),
      results,
      totals: totalsOf(results),
      durationMs: round(performance.now() - started),
    });
  }
  return reports;
}

/**
 * Runs the catalogue against every connector of every target, one scenario at a time, and
 * returns the report (never holding a secret). A target that cannot be loaded is reported as a
 * failed connector with the loader's error. Net connect is disabled while it runs and enabled
 * again at the end.
 */
export async function runConformance(
  targets: readonly SuiteTarget[],
  options: SuiteOptions = {},
): Promise<ConformanceReport> {
  const selected = options.scenarios ?? catalogue;
  const scenarios = options.interop === false ? selected.filter((s) => !isInterop(s)) : selected;
  const startedAt = new Date((options.now ?? Date.now)()).toISOString();
  const started = performance.now();
  const connectors: ConnectorReport[] = [];
  nock.disableNetConnect();
  try {
    for (const target of targets) {
      let loaded: LoadedTarget;
      try {
        loaded = await loadTarget(target.target, target);
      } catch (error) {
        const specifier =
          typeof target.target === 'string' || target.target instanceof URL
            ? String(target.target)
            : undefined;
        const failure = await describeLoadFailure(error, { specifier, from: target.from ?? process.cwd() });
        connectors.push({
          target: labelOf(target),
          connectorId: labelOf(target),
          loadError: failure.message,
          loadFailure: failure,
          results: [],
          totals: { pass: 0, fail: 1, skip: 0 },
          durationMs: 0,
        });
        continue;
      }
      connectors.push(...(await runTarget(loaded, scenarios, options)));
    }
  } finally {
    nock.enableNetConnect();
    await closeInteropServers();
  }
  const totals = {
    pass: connectors.reduce((n, c) => n + c.totals.pass, 0),
    fail: connectors.reduce((n, c) => n + c.totals.fail, 0),
    skip: connectors.reduce((n, c) => n + c.totals.skip, 0),
  };
  return {
    tool: { name: '@aic/conformance', version: KIT_VERSION },
    startedAt,
    durationMs: round(performance.now() - started),
    scenarioCount: scenarios.length,
    scenarios: scenarios.map(({ id, family, title, rule }) => ({ id, family, title, rule })),
    connectors,
    totals,
    ok: totals.fail === 0,
  };
}
