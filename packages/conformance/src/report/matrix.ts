import type { ScenarioResult } from '../runner/result.js';
import type { ConformanceReport, ConnectorReport } from './report.js';

const CELL: Readonly<Record<ScenarioResult['status'], string>> = { pass: 'PASS', fail: 'FAIL', skip: 'SKIP' };

const pad = (text: string, width: number): string => text + ' '.repeat(Math.max(0, width - text.length));

const TOTALS_LABEL = 'pass / fail / skip';

/** A connector's name in the matrix: its id, or its target label when two connectors share an id. */
function namer(connectors: readonly ConnectorReport[]): (connector: ConnectorReport) => string {
  const counts = new Map<string, number>();
  for (const c of connectors) counts.set(c.connectorId, (counts.get(c.connectorId) ?? 0) + 1);
  return (c) => ((counts.get(c.connectorId) ?? 0) > 1 ? c.target : c.connectorId);
}

/**
 * Scenario rows in catalogue order: the report's scenario list (so a connector that did not load
 * still shows a full column of —), then any result of a scenario missing from it.
 */
function rows(report: ConformanceReport): { id: string; family: string }[] {
  const seen = new Map<string, string>();
  for (const scenario of report.scenarios ?? []) seen.set(scenario.id, scenario.family);
  for (const connector of report.connectors) {
    for (const result of connector.results)
      if (!seen.has(result.scenarioId)) seen.set(result.scenarioId, result.family);
  }
  return [...seen].map(([id, family]) => ({ id, family }));
}

function failures(connectors: readonly ConnectorReport[], name: (c: ConnectorReport) => string): string[] {
  const lines: string[] = [];
  for (const connector of connectors) {
    if (connector.loadError !== undefined) {
      lines.push(`  ${name(connector)}: could not load: ${connector.loadError}`);
      const failure = connector.loadFailure;
      for (const cause of failure?.causes.slice(1) ?? []) lines.push(`        · caused by ${cause}`);
      if (failure?.location !== undefined) lines.push(`        · at ${failure.location}`);
      if (failure?.hint !== undefined) lines.push(`        · to fix: ${failure.hint}`);
    }
    for (const result of connector.results.filter((r) => r.status === 'fail')) {
      lines.push(`  ${name(connector)} × ${result.scenarioId} [${result.rule.source}]`);
      lines.push(`      ${result.reason ?? 'failed'}`);
      for (const detail of result.details) lines.push(`        · ${detail}`);
    }
  }
  return lines;
}

function notes(connectors: readonly ConnectorReport[], name: (c: ConnectorReport) => string): string[] {
  return connectors.flatMap((connector) =>
    connector.results.flatMap((result) =>
      result.notes.map((note) => `  ${name(connector)} × ${result.scenarioId}: ${note}`),
    ),
  );
}

function skips(connectors: readonly ConnectorReport[], name: (c: ConnectorReport) => string): string[] {
  const lines: string[] = [];
  for (const connector of connectors) {
    const byReason = new Map<string, string[]>();
    for (const result of connector.results.filter((r) => r.status === 'skip')) {
      const reason = result.reason ?? 'not applicable';
      byReason.set(reason, [...(byReason.get(reason) ?? []), result.scenarioId]);
    }
    for (const [reason, ids] of byReason) lines.push(`  ${name(connector)}: ${reason} — ${ids.join(', ')}`);
  }
  return lines;
}

/**
 * The connector × scenario matrix as plain text (no colours: it goes to CI logs as is):
 * one row per scenario, one column per connector, then every failure with its rule and
 * details, every skip with its reason, the totals and the runtime.
 */
export function renderMatrix(report: ConformanceReport): string {
  const connectors = report.connectors;
  const name = namer(connectors);
  const scenarioRows = rows(report);
  const first =
    Math.max('scenario'.length, TOTALS_LABEL.length, ...scenarioRows.map((r) => r.id.length + 2)) + 2;
  const totalsOf = (c: ConnectorReport): string => `${c.totals.pass}/${c.totals.fail}/${c.totals.skip}`;
  const widths = connectors.map((c) => Math.max(name(c).length, totalsOf(c).length, 4) + 2);
  const line = (label: string, cells: readonly string[]): string =>
    (pad(label, first) + cells.map((cell, i) => pad(cell, widths[i] ?? 6)).join('')).trimEnd();

  const out: string[] = [
    `AIC connector conformance — ${report.scenarioCount} scenarios × ${connectors.length} connector(s)`,
    '',
    line('scenario', connectors.map(name)),
  ];
  let family = '';
  for (const row of scenarioRows) {
    if (row.family !== family) {
      family = row.family;
      out.push(`[${family}]`);
    }
    out.push(
      line(
        `  ${row.id}`,
        connectors.map((c) => {
          if (c.loadError !== undefined) return '—';
          const result = c.results.find((r) => r.scenarioId === row.id);
          return result === undefined ? '' : CELL[result.status];
        }),
      ),
    );
  }
  out.push('', line(TOTALS_LABEL, connectors.map(totalsOf)));
  const failed = failures(connectors, name);
  if (failed.length > 0) out.push('', 'FAIL', ...failed);
  const scripted = connectors
    .filter((c) => c.endpoints !== undefined)
    .map((c) =>
      c.endpoints?.overridden === true
        ? `  ${name(c)}: kit hosts (the connection's endpoint overrides)`
        : `  ${name(c)}: the provider's own endpoints, region ${c.endpoints?.region ?? '—'} (not overridable by the credential schema)`,
    );
  if (scripted.length > 0) out.push('', 'ENDPOINTS SCRIPTED', ...scripted);
  const noted = notes(connectors, name);
  if (noted.length > 0) out.push('', 'NOTES', ...noted);
  const skipped = skips(connectors, name);
  if (skipped.length > 0) out.push('', 'SKIP (not applicable)', ...skipped);
  const runs = connectors.reduce((n, c) => n + c.results.length, 0);
  out.push(
    '',
    `${report.ok ? 'OK' : 'FAILED'}: ${report.totals.pass} passed, ${report.totals.fail} failed, ${report.totals.skip} skipped.`,
    `Runtime: ${(report.durationMs / 1000).toFixed(2)} s for ${runs} scenario runs (${report.scenarioCount} scenarios × ${connectors.length} connector(s)).`,
  );
  return `${out.join('\n')}\n`;
}
