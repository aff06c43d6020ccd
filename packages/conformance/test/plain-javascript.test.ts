import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const example = join(repo, 'examples/js-connector');
const jest = join(example, 'node_modules/jest/bin/jest.js');

interface JestJson {
  success: boolean;
  numPassedTests: number;
  numFailedTests: number;
  testResults: { assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}

/**
 * Runs jest as an author of a plain-JavaScript connector does: the example's own `jest.config.js`
 * (no transform), native ES modules through `NODE_OPTIONS=--experimental-vm-modules`, in a
 * process of its own (the kit imported from its build, like a published package).
 */
function runJest(rootDir: string): Promise<{ code: number; json: JestJson }> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [jest, '--config', join(example, 'jest.config.js'), '--rootDir', rootDir, '--json', '--ci'],
      {
        cwd: rootDir,
        env: { ...process.env, NODE_OPTIONS: '--experimental-vm-modules --no-warnings' },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 240_000,
      },
      (error, stdout) => {
        try {
          resolve({
            code: error === null ? 0 : Number(error.code ?? 1),
            json: JSON.parse(stdout) as JestJson,
          });
        } catch (parseError) {
          reject(parseError as Error);
        }
      },
    );
  });
}

describe('a plain-JavaScript connector with a plain-JavaScript jest set-up (examples/js-connector)', () => {
  it('passes every applicable scenario, one jest test per scenario', async () => {
    const { code, json } = await runJest(example);
    const tests = json.testResults.flatMap((r) => r.assertionResults);
    expect({ code, success: json.success, failed: json.numFailedTests }).toEqual({
      code: 0,
      success: true,
      failed: 0,
    });
    expect(json.numPassedTests).toBeGreaterThanOrEqual(35);
    expect(tests.map((t) => t.fullName)).toContain(
      "AIC conformance: globex-metrics 1.0.0 (globex-aic-connector) contract.loader: The connector loads from its package with the host's loader and resolves from the container",
    );
  }, 300_000);

  it('reports a broken rule with the connector, the scenario and its rule, and the line of the test file', async () => {
    const broken = join(repo, 'packages/conformance/test/fixtures/plain-js-broken');
    const { code, json } = await runJest(broken);
    const failed = json.testResults.flatMap((r) => r.assertionResults).filter((t) => t.status === 'failed');
    expect(code).toBe(1);
    expect(failed.map((t) => t.fullName)).toEqual([
      'AIC conformance: globex-metrics 1.0.0 (globex-aic-connector-zero-margin) contract.manifest: The manifest is coherent: identity, capabilities, https endpoints, client authentication, expiry (a refresh margin)',
    ]);
    const [message] = failed[0]?.failureMessages ?? [];
    expect(message?.split('\n').slice(0, 4)).toEqual([
      'ConformanceFailure: globex-metrics × contract.manifest [DESIGN.md (connector contract)]: refreshMarginSeconds is 0: a token would be used until the instant it expires, so calls in flight then fail with 401; declare a margin (60 s or more is usual)',
      'rule: DESIGN.md (connector contract)',
      '    at contract.manifest (conformance scenario; rule DESIGN.md (connector contract))',
      '    at globex-metrics (connector 1.0.0, globex-aic-connector-zero-margin)',
    ]);
    expect(message).toMatch(/plain-js-broken\/test\/conformance\.test\.js:4:\d+\)?$/);
  }, 300_000);
});
