import {
  FAMILIES,
  catalogue,
  renderMatrix,
  runConformance,
  toJUnitXml,
  type ConformanceReport,
  type ConnectorReport,
} from '../src/index.js';
import { brokenConnectors } from '../src/__fixtures__/broken/index.js';
import { referenceClientModule, referenceCodeModule } from '../src/__fixtures__/reference.js';

/** Generous limits: the catalogue runs in seconds, but CI machines can be very busy. */
const SCENARIO_TIMEOUT_MS = 30_000;
const SUITE_TIMEOUT_MS = 300_000;

const failedIds = (report: ConnectorReport): string[] =>
  report.results.filter((r) => r.status === 'fail').map((r) => r.scenarioId);

const explain = (report: ConnectorReport): string =>
  report.results
    .filter((r) => r.status === 'fail')
    .map((r) => `${r.scenarioId}: ${r.reason ?? ''}\n    ${r.details.join('\n    ')}`)
    .join('\n');

describe('the kit bites: each broken connector fails exactly the scenarios of the rule it breaks', () => {
  let report: ConformanceReport;
  let reports: Map<string, ConnectorReport>;

  beforeAll(async () => {
    report = await runConformance(
      brokenConnectors.map((broken) => ({ target: broken.module, label: broken.name })),
      // The interop family has its own broken connectors (test/interop.test.ts).
      { timeoutMs: SCENARIO_TIMEOUT_MS, interop: false },
    );
    reports = new Map(report.connectors.map((c) => [c.target, c]));
  }, SUITE_TIMEOUT_MS);

  it.each(brokenConnectors.map((b) => [b.name, b] as const))('%s', (_name, broken) => {
    const report = reports.get(broken.name);
    expect(report?.loadError).toBeUndefined();
    expect({ breaks: broken.breaks, failed: failedIds(report!), why: explain(report!) }).toEqual({
      breaks: broken.breaks,
      failed: [...broken.caughtBy],
      why: expect.any(String),
    });
  });

  it('has a broken connector caught in every rule family', () => {
    const familyOf = (id: string) => catalogue.find((s) => s.id === id)?.family;
    const caught = new Set(brokenConnectors.flatMap((b) => b.caughtBy.map(familyOf)));
    expect([...caught].sort()).toEqual(FAMILIES.filter((f) => f !== 'interop').sort());
  });

  it('describes every failure without a secret, in the JSON report, the JUnit XML and the matrix', () => {
    const outputs = [JSON.stringify(report), toJUnitXml(report), renderMatrix(report)];
    const secrets = [
      'kit-code-',
      'kit-at-',
      'kit-rt-',
      'kit-client-secret-',
      'kitPlainSecret',
      'kit:secret',
      'kit+secret',
      'kit secret',
      'Ab9-._~+/=xYz',
    ];
    for (const output of outputs) for (const secret of secrets) expect(output).not.toContain(secret);
    expect(report.totals.fail).toBe(brokenConnectors.reduce((n, b) => n + b.caughtBy.length, 0));
  });
});

describe('the reference connectors pass every applicable scenario', () => {
  it.each([
    ['authorization code', referenceCodeModule],
    ['client credentials', referenceClientModule],
  ])(
    '%s',
    async (_name, module) => {
      const report = await runConformance([{ target: module }], { timeoutMs: SCENARIO_TIMEOUT_MS });
      const [connector] = report.connectors;
      expect(explain(connector!)).toBe('');
      expect(connector!.totals.fail).toBe(0);
      expect(connector!.totals.pass).toBeGreaterThan(30);
    },
    SUITE_TIMEOUT_MS,
  );
});
