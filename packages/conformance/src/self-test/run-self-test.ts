import { catalogue } from '../catalogue.js';
import type { ConformanceReport, ConnectorReport } from '../report/report.js';
import { runConformance } from '../runner/run-suite.js';
import type { Scenario } from '../scenario.js';
import { brokenConnectors, type BrokenConnector } from './broken/index.js';
import { referenceClientModule, referenceCodeModule } from './reference.js';

/** What the kit did with one of its broken connectors. */
export interface BrokenVerdict {
  readonly name: string;
  readonly breaks: string;
  readonly expected: readonly string[];
  readonly failed: readonly string[];
  /** Intended scenarios that passed: the kit did not see the broken rule there. */
  readonly missed: readonly string[];
  /** Scenarios that failed although the connector breaks nothing they check. */
  readonly unexpected: readonly string[];
  /** Failed exactly its intended scenarios (and loaded). */
  readonly caught: boolean;
  readonly loadError?: string | undefined;
}

/** What one scenario caught: each broken connector it failed, with the reason it gave. */
export interface ScenarioCatches {
  readonly scenario: Scenario;
  readonly caught: readonly { readonly connector: string; readonly reason: string }[];
}

export interface SelfTestReport {
  readonly verdicts: readonly BrokenVerdict[];
  readonly byScenario: readonly ScenarioCatches[];
  /** The kit's two correct connectors: they must pass every scenario that applies. */
  readonly references: readonly ConnectorReport[];
  /** How many broken connectors were caught by exactly their intended scenarios. */
  readonly caughtCount: number;
  readonly ok: boolean;
  readonly broken: ConformanceReport;
}

export interface SelfTestOptions {
  readonly timeoutMs?: number | undefined;
  /** Default: every broken connector the kit ships. */
  readonly connectors?: readonly BrokenConnector[] | undefined;
  readonly scenarios?: readonly Scenario[] | undefined;
}

function verdictOf(
  broken: BrokenConnector,
  report: ConnectorReport | undefined,
  selected: ReadonlySet<string>,
): BrokenVerdict {
  const expected = broken.caughtBy.filter((id) => selected.has(id));
  const failed = report?.results.filter((r) => r.status === 'fail').map((r) => r.scenarioId) ?? [];
  const missed = expected.filter((id) => !failed.includes(id));
  const unexpected = failed.filter((id) => !expected.includes(id));
  return {
    name: broken.name,
    breaks: broken.breaks,
    expected,
    failed,
    missed,
    unexpected,
    caught:
      report !== undefined &&
      report.loadError === undefined &&
      missed.length === 0 &&
      unexpected.length === 0,
    loadError: report?.loadError,
  };
}

/**
 * Runs the catalogue (or `scenarios`, then only against the broken connectors one of them must
 * catch) against the kit's own broken connectors (each breaks one rule) and its two
 * correct reference connectors, and says whether each broken one failed exactly the scenarios of
 * the rule it breaks — what `aic-conformance --self-test` prints, so an author sees on their own
 * machine that the kit bites.
 */
export async function runSelfTest(options: SelfTestOptions = {}): Promise<SelfTestReport> {
  const scenarios = options.scenarios ?? catalogue;
  const selected = new Set(scenarios.map((s) => s.id));
  // With a subset of the catalogue, only the broken connectors one of those scenarios must catch.
  const connectors = (options.connectors ?? brokenConnectors).filter((b) =>
    b.caughtBy.some((id) => selected.has(id)),
  );
  const broken = await runConformance(
    connectors.map((b) => ({ target: b.module, label: b.name })),
    { timeoutMs: options.timeoutMs, scenarios, output: 'hold' },
  );
  const reports = new Map(broken.connectors.map((c) => [c.target, c]));
  const verdicts = connectors.map((b) => verdictOf(b, reports.get(b.name), selected));
  const byScenario = scenarios.map((scenario) => ({
    scenario,
    caught: broken.connectors.flatMap((c) => {
      const result = c.results.find((r) => r.scenarioId === scenario.id && r.status === 'fail');
      return result === undefined ? [] : [{ connector: c.target, reason: result.reason ?? 'failed' }];
    }),
  }));
  const references = await runConformance(
    [
      { target: referenceCodeModule, label: 'kit-reference-code' },
      { target: referenceClientModule, label: 'kit-reference-client' },
    ],
    { timeoutMs: options.timeoutMs, scenarios },
  );
  const caughtCount = verdicts.filter((v) => v.caught).length;
  return {
    verdicts,
    byScenario,
    references: references.connectors,
    caughtCount,
    ok: caughtCount === verdicts.length && references.ok,
    broken,
  };
}
