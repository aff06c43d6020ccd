import type { LocalizedText } from '@aic/connector-core';
import type { LoadFailure } from '../runner/load-failure.js';
import type { ScenarioResult, Totals } from '../runner/result.js';
import type { RuleReference, ScenarioFamily } from '../scenario.js';

/** The results of one connector. */
export interface ConnectorReport {
  /** How the connector was named to the kit (package name or path, `module`, `factory`). */
  readonly target: string;
  readonly connectorId: string;
  readonly version?: string | undefined;
  readonly displayName?: LocalizedText | undefined;
  /**
   * Set when the target could not be loaded: then there are no results and it counts as a
   * failure. One line: the loader's error, its root cause and where it is.
   */
  readonly loadError?: string | undefined;
  /** The same load failure in parts: every cause, the location (`file:line:col`), a hint. */
  readonly loadFailure?: LoadFailure | undefined;
  /** Which endpoints the kit scripted: its own hosts (overridden) or the provider's of a region. */
  readonly endpoints?: ScriptedEndpoints | undefined;
  readonly results: readonly ScenarioResult[];
  readonly totals: Totals;
  readonly durationMs: number;
}

export interface ScriptedEndpoints {
  /** True when every endpoint was overridden to a kit host. */
  readonly overridden: boolean;
  readonly region?: string | undefined;
  readonly authorization?: string | undefined;
  readonly token: string;
  readonly apiBase: string;
}

/** `conformance-report.json`: everything a CI job or a person needs, and no secret. */
export interface ConformanceReport {
  readonly tool: { readonly name: string; readonly version: string };
  /** ISO 8601. */
  readonly startedAt: string;
  readonly durationMs: number;
  readonly scenarioCount: number;
  /** The scenarios of the run, in catalogue order (the matrix rows, even for a connector that did not load). */
  readonly scenarios: readonly ScenarioSummary[];
  readonly connectors: readonly ConnectorReport[];
  readonly totals: Totals;
  /** True when nothing failed (skips are not failures). */
  readonly ok: boolean;
}

/** A scenario of the run, as the reports list it. */
export interface ScenarioSummary {
  readonly id: string;
  readonly family: ScenarioFamily;
  readonly title: string;
  readonly rule: RuleReference;
}
