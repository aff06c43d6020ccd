import nock from 'nock';
import { catalogue, isInterop } from '../catalogue.js';
import { closeInteropServers } from '../interop/servers.js';
import { describeError } from '../kit/expect.js';
import type { ScenarioResult } from '../runner/result.js';
import { applicability, runScenario, type RunScenarioOptions } from '../runner/run-scenario.js';
import type { Scenario } from '../scenario.js';
import { loadTarget, type ConnectorTarget, type LoadedTarget, type TargetOptions } from '../target.js';

/** The slice of jest's globals the adapter uses (any framework with the same shape works). */
export interface TestFramework {
  describe(name: string, body: () => void): void;
  it: {
    (name: string, body: () => Promise<void>, timeout?: number): void;
    skip(name: string, body: () => void): void;
  };
  afterAll(body: () => void | Promise<void>): void;
}

export interface DescribeConformanceOptions extends TargetOptions, RunScenarioOptions {
  /** Default: the whole catalogue. */
  readonly scenarios?: readonly Scenario[] | undefined;
  /** Run the interop family (real servers on loopback). Default true; false leaves it out. */
  readonly interop?: boolean | undefined;
  /** Default: jest's globals. */
  readonly framework?: TestFramework | undefined;
}

/** A failed scenario as a test failure: what failed, the rule, the details. Never a secret. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';

  constructor(result: ScenarioResult) {
    const rule = `${result.rule.source}${result.rule.url === undefined ? '' : ` — ${result.rule.url}`}`;
    super([result.reason ?? 'failed', `rule: ${rule}`, ...result.details.map((d) => `  · ${d}`)].join('\n'));
  }
}

function jestGlobals(): TestFramework {
  const g = globalThis as unknown as Partial<TestFramework>;
  if (typeof g.describe !== 'function' || typeof g.it !== 'function' || typeof g.afterAll !== 'function') {
    throw new Error(
      'describeConformance needs the globals of a test framework (describe, it, afterAll): call it from a jest test file',
    );
  }
  return g as TestFramework;
}

function register(
  t: TestFramework,
  loaded: LoadedTarget,
  scenarios: readonly Scenario[],
  options: DescribeConformanceOptions,
): void {
  const timeout = (options.timeoutMs ?? 10_000) + 5_000;
  for (const manifest of loaded.manifests) {
    t.describe(`AIC conformance: ${manifest.id} ${manifest.version} (${loaded.label})`, () => {
      t.afterAll(async () => {
        nock.enableNetConnect();
        await closeInteropServers();
      });
      for (const scenario of scenarios) {
        const applies = applicability(loaded, manifest, scenario);
        if (applies !== true) {
          t.it.skip(`${scenario.id} — SKIP: ${applies}`, () => undefined);
          continue;
        }
        t.it(
          `${scenario.id}: ${scenario.title}`,
          async () => {
            const result = await runScenario(loaded, manifest, scenario, options);
            if (result.status === 'fail') throw new ConformanceFailure(result);
          },
          timeout,
        );
      }
    });
  }
}

/**
 * Generates the whole conformance suite for a connector in a jest test file — one `describe`
 * per connector the target binds, one `it` per scenario, `it.skip` (reason in the title) for
 * scenarios that do not apply:
 *
 * ```ts
 * await describeConformance(new URL('..', import.meta.url)); // the package directory
 * ```
 *
 * It is async because loading a package is: `await` it at the top level of the test file so
 * that the tests exist before jest starts running them.
 */
export async function describeConformance(
  target: ConnectorTarget,
  options: DescribeConformanceOptions = {},
): Promise<void> {
  const t = options.framework ?? jestGlobals();
  const selected = options.scenarios ?? catalogue;
  const scenarios = options.interop === false ? selected.filter((s) => !isInterop(s)) : selected;
  let loaded: LoadedTarget;
  try {
    loaded = await loadTarget(target, options);
  } catch (error) {
    const label =
      options.label ??
      (typeof target === 'string' ? target : target instanceof URL ? target.href : 'connector');
    t.describe(`AIC conformance: ${label}`, () => {
      t.it('loads the connector', () =>
        Promise.reject(new Error(`could not load the connector: ${describeError(error)}`)),
      );
    });
    return;
  }
  if (loaded.manifests.length === 0) {
    t.describe(`AIC conformance: ${loaded.label}`, () => {
      t.it('binds a connector', () =>
        Promise.reject(new Error('the package binds no connector under the Connector identifier')),
      );
    });
    return;
  }
  register(t, loaded, scenarios, options);
}
