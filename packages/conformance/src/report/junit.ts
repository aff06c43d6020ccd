import type { ConformanceReport, ConnectorReport } from './report.js';

// eslint-disable-next-line no-control-regex
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text safe inside an XML attribute or element. */
export function xmlEscape(value: string): string {
  return value
    .replace(INVALID_XML, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

const seconds = (ms: number): string => (ms / 1000).toFixed(3);

function attributes(values: Readonly<Record<string, string | number>>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}="${xmlEscape(String(value))}"`)
    .join(' ');
}

function suite(connector: ConnectorReport): string[] {
  const { totals } = connector;
  const head = `  <testsuite ${attributes({
    name: connector.connectorId,
    package: connector.target,
    tests: connector.loadError === undefined ? connector.results.length : 1,
    failures: totals.fail,
    errors: 0,
    skipped: totals.skip,
    time: seconds(connector.durationMs),
  })}>`;
  const lines = [head];
  if (connector.version !== undefined) {
    lines.push(
      `    <properties><property ${attributes({ name: 'version', value: connector.version })}/></properties>`,
    );
  }
  if (connector.loadError !== undefined) {
    lines.push(
      `    <testcase ${attributes({ classname: `${connector.connectorId}.load`, name: 'load the connector package', time: '0.000' })}>`,
    );
    const failure = connector.loadFailure;
    const body = [
      ...(failure?.causes.slice(1).map((cause) => `Caused by: ${cause}`) ?? []),
      ...(failure?.location === undefined ? [] : [`At: ${failure.location}`]),
      ...(failure?.hint === undefined ? [] : [`To fix: ${failure.hint}`]),
    ];
    const attrs = attributes({ message: connector.loadError, type: 'LoadError' });
    lines.push(
      body.length === 0
        ? `      <failure ${attrs}/>`
        : `      <failure ${attrs}>${xmlEscape(body.join('\n'))}</failure>`,
    );
    lines.push('    </testcase>');
  }
  for (const result of connector.results) {
    const name = `${result.scenarioId}: ${result.title}`;
    const open = `    <testcase ${attributes({ classname: `${connector.connectorId}.${result.family}`, name, time: seconds(result.durationMs) })}`;
    if (result.status === 'pass') {
      lines.push(`${open}/>`);
    } else if (result.status === 'skip') {
      lines.push(
        `${open}>`,
        `      <skipped ${attributes({ message: result.reason ?? '' })}/>`,
        '    </testcase>',
      );
    } else {
      const body = [
        `Rule: ${result.rule.source}${result.rule.url === undefined ? '' : ` (${result.rule.url})`}`,
        ...result.details,
      ];
      lines.push(
        `${open}>`,
        `      <failure ${attributes({ message: result.reason ?? 'failed', type: 'AssertionFailure' })}>${xmlEscape(body.join('\n'))}</failure>`,
        '    </testcase>',
      );
    }
  }
  lines.push('  </testsuite>');
  return lines;
}

/**
 * The report as JUnit XML (the dialect Jenkins, GitLab and GitHub test reporters read): one
 * `testsuite` per connector, one `testcase` per scenario, `failure` with the rule and details,
 * `skipped` with the reason. A connector that failed to load is one failed test case.
 */
export function toJUnitXml(report: ConformanceReport): string {
  const { totals } = report;
  const tests = report.connectors.reduce((n, c) => n + (c.loadError === undefined ? c.results.length : 1), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes({
      name: 'aic-conformance',
      tests,
      failures: totals.fail,
      errors: 0,
      skipped: totals.skip,
      time: seconds(report.durationMs),
      timestamp: report.startedAt,
    })}>`,
    ...report.connectors.flatMap(suite),
    '</testsuites>',
    '',
  ].join('\n');
}
