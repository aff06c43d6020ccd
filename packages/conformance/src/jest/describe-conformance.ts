import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import type { ConnectorManifest } from '@aic/connector-core';
import { catalogue, isInterop } from '../catalogue.js';
import { closeInteropServers } from '../interop/servers.js';
import { describeLoadFailure } from '../runner/load-failure.js';
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

/** The kit's own package directory: stack frames inside it are the kit's, not the author's. */
const KIT_ROOT = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/** True for a stack frame in the kit's own code (its sources or build, not its specs). */
const isKitFrame = (frame: string): boolean =>
  (frame.includes(`${KIT_ROOT}/src/`) || frame.includes(`${KIT_ROOT}/dist/`)) && !frame.includes('.spec.');

/** Where the author called `describeConformance`: the first stack frame of a file outside the kit. */
function callSite(): string | undefined {
  const frames = (new Error().stack ?? '').split('\n').slice(1);
  return frames
    .find(
      (frame) =>
        /\(?(?:file:\/\/)?\/\S+:\d+:\d+\)?$/.test(frame) &&
        !isKitFrame(frame) &&
        !frame.includes('/node_modules/'),
    )
    ?.trim();
}

/**
 * A failed scenario as a test failure. The message leads with the connector, the scenario and
 * its rule, then what failed, then the details; the stack names them too (the scenario as the
 * top frame, then the connector, then the line of the author's test file that generated the
 * suite) instead of frames inside the kit, whose sources a published package does not ship.
 * Never holds a secret.
 */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure';

  constructor(
    result: ScenarioResult,
    connector?: { manifest: ConnectorManifest; label: string; site?: string | undefined },
  ) {
    const rule = `${result.rule.source}${result.rule.url === undefined ? '' : ` — ${result.rule.url}`}`;
    const who = connector === undefined ? '' : `${connector.manifest.id} × `;
    super(
      [
        `${who}${result.scenarioId} [${result.rule.source}]: ${result.reason ?? 'failed'}`,
        `rule: ${rule}`,
        ...result.details.map((d) => `  · ${d}`),
      ].join('\n'),
    );
    const frames = [
      `    at ${result.scenarioId} (conformance scenario; rule ${result.rule.source})`,
      ...(connector === undefined
        ? []
        : [`    at ${connector.manifest.id} (connector ${connector.manifest.version}, ${connector.label})`]),
      ...(connector?.site === undefined ? [] : [`    ${connector.site}`]),
    ];
    this.stack = `${this.name}: ${this.message}\n${frames.join('\n')}`;
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
  site: string | undefined,
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
            if (result.status === 'fail') {
              throw new ConformanceFailure(result, { manifest, label: loaded.label, site });
            }
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
  const site = callSite();
  let loaded: LoadedTarget;
  try {
    loaded = await loadTarget(target, options);
  } catch (error) {
    const label =
      options.label ??
      (typeof target === 'string' ? target : target instanceof URL ? target.href : 'connector');
    const specifier = typeof target === 'string' || target instanceof URL ? String(target) : undefined;
    const failure = await describeLoadFailure(error, { specifier, from: options.from ?? process.cwd() });
    t.describe(`AIC conformance: ${label}`, () => {
      t.it('loads the connector', () => {
        const reported = new Error(
          [
            `could not load the connector: ${failure.message}`,
            ...failure.causes.slice(1).map((cause) => `  · caused by ${cause}`),
            ...(failure.hint === undefined ? [] : [`  · to fix: ${failure.hint}`]),
          ].join('\n'),
        );
        reported.stack = `Error: ${reported.message}\n${failure.location === undefined ? '' : `    at ${failure.location}\n`}${site === undefined ? '' : `    ${site}`}`;
        return Promise.reject(reported);
      });
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
  register(t, loaded, scenarios, options, site);
}
