import type { SelfTestReport } from './run-self-test.js';

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The self-test as plain text: per scenario, which broken connectors it caught and why (the
 * reason exactly as a failing connector's author would read it); then per broken connector
 * whether it was caught by exactly its intended scenarios; then the reference connectors; then
 * "Caught N of N broken connectors".
 */
export function renderSelfTest(report: SelfTestReport): string {
  const out: string[] = [
    `aic-conformance self-test — ${plural(report.verdicts.length, 'broken connector')} (each breaks one rule) and ${plural(report.references.length, 'correct reference connector')}, ${plural(report.byScenario.length, 'scenario')}`,
    '',
    'WHAT EACH SCENARIO CAUGHT',
  ];
  let family = '';
  for (const { scenario, caught } of report.byScenario) {
    if (scenario.family !== family) {
      family = scenario.family;
      out.push(`[${family}]`);
    }
    out.push(
      `  ${scenario.id}${caught.length === 0 ? ' — nothing (no broken connector targets this rule)' : ''}`,
    );
    for (const { connector, reason } of caught) out.push(`      caught ${connector}: ${reason}`);
  }
  out.push('', 'BROKEN CONNECTORS');
  for (const v of report.verdicts) {
    out.push(`  ${v.caught ? 'CAUGHT' : 'MISSED'}  ${v.name} — ${v.breaks}`);
    if (v.loadError !== undefined) {
      out.push(`          could not load: ${v.loadError}`);
      continue;
    }
    out.push(`          expected to fail: ${v.expected.join(', ')}`);
    if (v.missed.length > 0) out.push(`          but passed: ${v.missed.join(', ')}`);
    if (v.unexpected.length > 0) out.push(`          and also failed: ${v.unexpected.join(', ')}`);
  }
  out.push('', 'REFERENCE CONNECTORS (must pass)');
  for (const r of report.references) {
    const { pass, fail, skip } = r.totals;
    out.push(
      `  ${fail === 0 && r.loadError === undefined ? 'PASS' : 'FAIL'}  ${r.connectorId}: ${pass} passed, ${fail} failed, ${skip} skipped`,
    );
    for (const result of r.results.filter((x) => x.status === 'fail')) {
      out.push(`          ${result.scenarioId}: ${result.reason ?? 'failed'}`);
    }
  }
  const total = report.verdicts.length;
  out.push(
    '',
    `${report.ok ? 'OK' : 'FAILED'}: caught ${report.caughtCount} of ${total} broken connectors by exactly their intended scenarios; ${report.references.every((r) => r.totals.fail === 0) ? 'the reference connectors pass' : 'a reference connector FAILS'}.`,
  );
  return `${out.join('\n')}\n`;
}
