import { fileURLToPath } from 'node:url';
import {
  interopScenarios,
  runConformance,
  toJUnitXml,
  renderMatrix,
  type ConnectorReport,
} from '../src/index.js';
import { interopBrokenConnectors } from '../src/self-test/broken/interop.js';
import { logsSecret } from '../src/self-test/broken/hygiene.js';
import { referenceClientModule, referenceCodeModule } from '../src/self-test/reference.js';

const SCENARIO_TIMEOUT_MS = 30_000;
const SUITE_TIMEOUT_MS = 180_000;
const root = fileURLToPath(new URL('../../../', import.meta.url));

const ids = (report: ConnectorReport, status: 'pass' | 'fail' | 'skip'): string[] =>
  report.results.filter((r) => r.status === status).map((r) => r.scenarioId);

const explain = (report: ConnectorReport): string =>
  report.results
    .filter((r) => r.status === 'fail')
    .map((r) => `${r.scenarioId}: ${r.reason ?? ''}\n    ${r.details.join('\n    ')}`)
    .join('\n');

describe('interop: broken connectors fail exactly the interop scenarios of the rule they break, naming the cause', () => {
  let reports: Map<string, ConnectorReport>;
  let all: string;

  beforeAll(async () => {
    const report = await runConformance(
      interopBrokenConnectors.map((broken) => ({ target: broken.module, label: broken.name })),
      { scenarios: interopScenarios, timeoutMs: SCENARIO_TIMEOUT_MS },
    );
    reports = new Map(report.connectors.map((c) => [c.target, c]));
    all = [JSON.stringify(report), toJUnitXml(report), renderMatrix(report)].join('\n');
  }, SUITE_TIMEOUT_MS);

  it.each(interopBrokenConnectors.map((b) => [b.name, b] as const))('%s', (_name, broken) => {
    const report = reports.get(broken.name)!;
    expect({ breaks: broken.breaks, failed: ids(report, 'fail') }).toEqual({
      breaks: broken.breaks,
      failed: [...broken.caughtBy],
    });
  });

  const reasonOf = (name: string, scenario: string): string =>
    reports.get(name)?.results.find((r) => r.scenarioId === scenario)?.reason ?? '';

  it('names OIDC Core §11 and the exchange-only offline_access', () => {
    expect(reasonOf('offline-access-on-exchange-only', 'interop.first-grant')).toMatch(
      /^no refresh token: the authorization request did not ask for offline_access — the connector sent it only in the code exchange’s scope, which an OpenID Connect server ignores/,
    );
    expect(reasonOf('offline-access-without-consent-prompt', 'interop.refresh-rotation')).toMatch(
      /^no refresh token: the authorization request asked for offline_access without prompt=consent, which an OpenID Connect server must then ignore \(OIDC Core §11\)/,
    );
  });

  it('names the plain encoding sent while rfc6749 is declared', () => {
    expect(reasonOf('plain-basic-to-rfc-server', 'interop.basic-encoding')).toBe(
      'the RFC 6749 §2.3.1 server refused the Basic-authenticated refresh_token request (invalid_request) for a client secret holding "+", "%" and a space: the header holds the plain encoding (raw id:secret, UTF-8), while the manifest declares client_secret_basic with the rfc6749 encoding — the server form-decodes the id and secret, so a raw "+" arrives as a space',
    );
  });

  it('names the replayed rotated refresh token and the revoked grant', () => {
    expect(reasonOf('replays-rotated-refresh-token', 'interop.refresh-rotation')).toBe(
      'renewal #2 failed: token request #3 presented the refresh token issued by #1, which the server had already rotated at #2: it took that as a stolen refresh token and revoked the grant (RFC 9700 §4.14.2) — the connector must store and use the refresh token of every refresh response',
    );
  });

  it('a connector that logs the callback URL leaks the real server’s code: every interop scenario checks', async () => {
    const first = interopScenarios.filter((s) => s.id === 'interop.first-grant');
    const report = await runConformance([{ target: logsSecret.module, label: 'logs-secret' }], {
      scenarios: first,
    });
    const [result] = report.connectors[0]?.results ?? [];
    expect(result).toMatchObject({
      status: 'fail',
      reason:
        'a secret of the exchange with the real server leaked: the authorization code appears in log line #1 (debug), written during completeAuthorization(conformance-2)',
    });
  });

  it('shows no token, code or secret in the JSON report, the JUnit XML or the matrix', () => {
    for (const prefix of ['kit-client-secret-', 'kit+basic', 'Bearer ey', 'Basic a'])
      expect(all).not.toContain(prefix);
    expect(all).not.toMatch(/"(access|refresh)_token":"[^[]/);
  });
});

describe('interop: real connectors pass with their documented defaults', () => {
  let reports: readonly ConnectorReport[];
  let durationMs: number;

  beforeAll(async () => {
    const started = performance.now();
    const report = await runConformance(
      [
        { target: './packages/provider-hp-techpulse', from: root },
        { target: './packages/provider-abbyy-vantage', from: root },
        { target: './packages/provider-leancore', from: root },
        { target: './examples/acme-connector', from: root },
        { target: referenceCodeModule, label: 'reference-code' },
        { target: referenceClientModule, label: 'reference-client' },
      ],
      { scenarios: interopScenarios, timeoutMs: SCENARIO_TIMEOUT_MS },
    );
    durationMs = performance.now() - started;
    reports = report.connectors;
  }, SUITE_TIMEOUT_MS);

  const byId = (id: string): ConnectorReport => reports.find((r) => r.connectorId === id)!;

  it.each([
    'hp-techpulse',
    'abbyy-vantage',
    'leancore',
    'acme-cloud',
    'kit-reference-code',
    'kit-reference-client',
  ])('%s fails nothing', (id) => {
    expect(byId(id).loadError).toBeUndefined();
    expect(explain(byId(id))).toBe('');
  });

  it('applies by manifest: every scenario to authorization code connectors with refresh, fewer to the rest', () => {
    expect(ids(byId('acme-cloud'), 'pass')).toEqual(interopScenarios.map((s) => s.id));
    expect(ids(byId('hp-techpulse'), 'skip')).toEqual([]);
    expect(ids(byId('abbyy-vantage'), 'skip')).toEqual(['interop.basic-encoding']);
    expect(ids(byId('leancore'), 'pass')).toEqual([
      'interop.first-grant',
      'interop.refresh-rotation',
      'interop.access-token-revoked',
      'interop.basic-encoding',
    ]);
  });

  it('HP: plain Basic passes through the proxy’s raw decoding; against the strict server the error names the option', () => {
    const basic = byId('hp-techpulse').results.find((r) => r.scenarioId === 'interop.basic-encoding')!;
    expect(basic.notes).toEqual([
      "plain Basic (refresh_token) passed through the proxy's raw decoding, as the provider documents; an RFC 6749 server refuses this secret",
      'the error names the Basic encoding as the likely cause',
    ]);
  });

  it('runs in seconds (one server per connector)', () => {
    // Printed for the record; the budget is generous for a busy 2-core CI machine.
    process.stdout.write(
      `interop family: ${reports.map((r) => `${r.connectorId} ${Math.round(r.durationMs)} ms`).join(', ')}; total ${Math.round(durationMs)} ms\n`,
    );
    for (const report of reports) expect(report.durationMs).toBeLessThan(15_000);
  });
});
