import { catalogue, isInterop } from '../catalogue.js';
import type { ConformanceReport, ConnectorReport } from '../report/report.js';
import { runConformance } from '../runner/run-suite.js';
import type { Scenario } from '../scenario.js';
import { brokenConnectors, type BrokenConnector } from './broken/index.js';
import { interopBrokenConnectors } from './broken/interop.js';
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
  /** Default: the whole catalogue. */
  readonly scenarios?: readonly Scenario[] | undefined;
  /** Run the interop family and its broken connectors (real servers on loopback). Default true. */
  readonly interop?: boolean | undefined;
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

/** Two reports of one self-test as one (the scripted and the interop batch). */
function combined(reports: readonly ConformanceReport[]): ConformanceReport {
  const [first] = reports;
  if (first === undefined) throw new Error('no report to combine');
  const sum = (key: 'pass' | 'fail' | 'skip') => reports.reduce((n, r) => n + r.totals[key], 0);
  const totals = { pass: sum('pass'), fail: sum('fail'), skip: sum('skip') };
  const scenarios = reports.flatMap((r) => r.scenarios);
  return {
    ...first,
    durationMs: reports.reduce((n, r) => n + r.durationMs, 0),
    scenarioCount: scenarios.length,
    scenarios,
    connectors: reports.flatMap((r) => r.connectors),
    totals,
    ok: totals.fail === 0,
  };
}

/**
 * Runs the catalogue (or `scenarios`) against the kit's own broken connectors — the scripted
 * families against the 27 that break one of their rules each, the interop family against its own
 * 4 — and against its two correct reference connectors, and says whether each broken one failed
 * exactly the scenarios of the rule it breaks. With a subset of the catalogue, only the broken
 * connectors one of those scenarios must catch run. This is what `aic-conformance --self-test`
 * prints, so an author sees on their own machine that the kit bites.
 */
export async function runSelfTest(options: SelfTestOptions = {}): Promise<SelfTestReport> {
  const selected = (options.scenarios ?? catalogue).filter((s) => options.interop !== false || !isInterop(s));
  const batches = [
    { connectors: brokenConnectors, scenarios: selected.filter((s) => !isInterop(s)) },
    { connectors: interopBrokenConnectors, scenarios: selected.filter((s) => isInterop(s)) },
  ]
    .map(({ connectors, scenarios }) => {
      const ids = new Set(scenarios.map((s) => s.id));
      return { ids, scenarios, connectors: connectors.filter((b) => b.caughtBy.some((id) => ids.has(id))) };
    })
    .filter((batch) => batch.connectors.length > 0);
  const verdicts: BrokenVerdict[] = [];
  const reports: ConformanceReport[] = [];
  for (const batch of batches) {
    const report = await runConformance(
      batch.connectors.map((b) => ({ target: b.module, label: b.name })),
      { timeoutMs: options.timeoutMs, scenarios: batch.scenarios, output: 'hold' },
    );
    const byName = new Map(report.connectors.map((c) => [c.target, c]));
    verdicts.push(...batch.connectors.map((b) => verdictOf(b, byName.get(b.name), batch.ids)));
    reports.push(report);
  }
  const broken = combined(reports);
  const byScenario = selected.map((scenario) => ({
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
    { timeoutMs: options.timeoutMs, scenarios: selected, output: 'hold' },
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
