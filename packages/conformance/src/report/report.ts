import type { LocalizedText } from '@aic/connector-core';
import type { ScenarioResult, Totals } from '../runner/result.js';

/** The results of one connector. */
export interface ConnectorReport {
  /** How the connector was named to the kit (package name or path, `module`, `factory`). */
  readonly target: string;
  readonly connectorId: string;
  readonly version?: string | undefined;
  readonly displayName?: LocalizedText | undefined;
  /** Set when the target could not be loaded: then there are no results and it counts as a failure. */
  readonly loadError?: string | undefined;
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
  readonly connectors: readonly ConnectorReport[];
  readonly totals: Totals;
  /** True when nothing failed (skips are not failures). */
  readonly ok: boolean;
}
