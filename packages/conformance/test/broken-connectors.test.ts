import { FAMILIES, catalogue, renderMatrix, toJUnitXml } from '../src/index.js';
import { brokenConnectors } from '../src/self-test/broken/index.js';
import { renderSelfTest } from '../src/self-test/render-self-test.js';
import { runSelfTest, type SelfTestReport } from '../src/self-test/run-self-test.js';

/** Generous limits: the catalogue runs in seconds, but CI machines can be very busy. */
const SCENARIO_TIMEOUT_MS = 30_000;
const SUITE_TIMEOUT_MS = 600_000;

/**
 * The kit bites: the self-test (what `aic-conformance --self-test` runs) against every broken
 * connector the kit ships, each of which must fail exactly the scenarios of the rule it breaks,
 * and against the two correct reference connectors, which must pass.
 */
describe('the kit bites: each broken connector fails exactly the scenarios of the rule it breaks', () => {
  let selfTest: SelfTestReport;

  beforeAll(async () => {
    // The interop family has its own broken connectors and suite (test/interop.test.ts).
    selfTest = await runSelfTest({ timeoutMs: SCENARIO_TIMEOUT_MS, interop: false });
  }, SUITE_TIMEOUT_MS);

  afterAll(() => {
    console.log(`caught ${selfTest.caughtCount} of ${selfTest.verdicts.length} broken fixtures`);
  });

  it.each(brokenConnectors.map((b) => [b.name, b] as const))('%s', (name, broken) => {
    const verdict = selfTest.verdicts.find((v) => v.name === name);
    const reasons = selfTest.byScenario.flatMap(({ scenario, caught }) =>
      caught.filter((c) => c.connector === name).map((c) => `${scenario.id}: ${c.reason}`),
    );
    expect(verdict?.loadError).toBeUndefined();
    expect({ breaks: broken.breaks, failed: verdict?.failed, reasons }).toEqual({
      breaks: broken.breaks,
      failed: [...broken.caughtBy],
      reasons: expect.any(Array),
    });
    expect(verdict?.caught).toBe(true);
  });

  it('has a broken connector caught in every rule family', () => {
    const familyOf = (id: string) => catalogue.find((s) => s.id === id)?.family;
    const caught = new Set(brokenConnectors.flatMap((b) => b.caughtBy.map(familyOf)));
    expect([...caught].sort()).toEqual(FAMILIES.filter((f) => f !== 'interop').sort());
  });

  it('passes the reference connectors on every applicable scenario', () => {
    expect(selfTest.references.map((r) => [r.connectorId, r.totals.fail, r.loadError])).toEqual([
      ['kit-reference-code', 0, undefined],
      ['kit-reference-client', 0, undefined],
    ]);
    for (const reference of selfTest.references) expect(reference.totals.pass).toBeGreaterThan(35);
    expect(selfTest.ok).toBe(true);
  });

  it('describes every failure without a secret, in the JSON report, the JUnit XML, the matrix and the self-test', () => {
    const report = selfTest.broken;
    const outputs = [
      JSON.stringify(report),
      toJUnitXml(report),
      renderMatrix(report),
      renderSelfTest(selfTest),
    ];
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
    expect(renderSelfTest(selfTest)).toContain(
      `OK: caught ${brokenConnectors.length} of ${brokenConnectors.length} broken connectors by exactly their intended scenarios; the reference connectors pass.\n`,
    );
  });
});
