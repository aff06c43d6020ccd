import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { runConformance, type ConnectorReport } from '../src/index.js';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

const failures = (report: ConnectorReport): string[] =>
  report.results
    .filter((r) => r.status === 'fail')
    .map((r) => `${r.scenarioId}: ${r.reason ?? ''}\n    ${r.details.join('\n    ')}`);

/**
 * The connectors of this repository, loaded by path through core's loader as a host loads them
 * (their `dist/` must be built: `tsc -b` runs first in the test command).
 */
describe.each([
  ['the third-party example', 'examples/acme-connector', 'acme-cloud'],
  ['HP TechPulse', 'packages/provider-hp-techpulse', 'hp-techpulse'],
  ['ABBYY Vantage', 'packages/provider-abbyy-vantage', 'abbyy-vantage'],
  ['LeanCore', 'packages/provider-leancore', 'leancore'],
])('%s', (_name, directory, connectorId) => {
  it('passes every applicable scenario against the kit hosts', async () => {
    const report = await runConformance([{ target: join(repo, directory) }], { timeoutMs: 30_000 });
    const [connector] = report.connectors;
    expect(connector?.loadError).toBeUndefined();
    expect(connector?.connectorId).toBe(connectorId);
    expect(failures(connector!)).toEqual([]);
    expect(connector?.endpoints?.overridden).toBe(true);
    expect(connector?.totals.pass).toBeGreaterThanOrEqual(30);
  }, 300_000);
});
