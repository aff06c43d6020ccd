import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { interopScenarios } from '../scenarios/interop/index.js';
import { EXIT, main, type CliIo } from './main.js';

const reference = fileURLToPath(new URL('../__fixtures__/packages/reference-connector', import.meta.url));

function fakeIo(cwd: string): { io: CliIo; stdout: () => string; files: Map<string, string> } {
  const out: string[] = [];
  const files = new Map<string, string>();
  const io: CliIo = {
    cwd,
    stdout: (text) => void out.push(text),
    stderr: () => undefined,
    writeFile: (path, content) => {
      files.set(path, content);
      return Promise.resolve();
    },
  };
  return { io, stdout: () => out.join(''), files };
}

describe('aic-conformance and the interop family', () => {
  afterAll(() => nock.enableNetConnect());

  it('--scenario interop runs the family against real loopback servers, in the matrix and both reports', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'kit-interop-'));
    const run = fakeIo(cwd);
    expect(await main(['--connector', reference, '--scenario', 'interop'], run.io)).toBe(EXIT.ok);
    const n = interopScenarios.length;
    expect(run.stdout()).toContain(`AIC connector conformance — ${n} scenarios × 1 connector(s)`);
    expect(run.stdout()).toMatch(/\[interop\]\n {2}interop\.first-grant +PASS\n/);
    expect(run.stdout()).toContain(`OK: ${n} passed, 0 failed, 0 skipped.`);
    const report = JSON.parse(run.files.get(join(cwd, 'conformance-report.json')) ?? '{}') as {
      connectors: { results: { family: string }[] }[];
    };
    expect(new Set(report.connectors[0]?.results.map((r) => r.family))).toEqual(new Set(['interop']));
    expect(run.files.get(join(cwd, 'conformance-junit.xml'))).toContain(
      'classname="kit-reference-code.interop"',
    );
  }, 60_000);

  it('--workspace with --connector tests the workspace packages and the given one (pnpm conformance adds the example)', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'kit-interop-'));
    await writeFile(join(cwd, 'pnpm-workspace.yaml'), 'packages:\n  - connectors/*\n');
    await mkdir(join(cwd, 'connectors'));
    await symlink(reference, join(cwd, 'connectors', 'reference'));
    const run = fakeIo(cwd);
    const argv = ['--workspace', '--connector', reference, '--scenario', 'contract.manifest', '--no-interop'];
    expect(await main(argv, run.io)).toBe(EXIT.ok);
    expect(run.stdout()).toContain('AIC connector conformance — 1 scenarios × 2 connector(s)');
    const alone = fakeIo(join(tmpdir()));
    expect(await main(['--workspace', '--connector', reference], alone.io)).toBe(EXIT.usage);
  }, 60_000);

  it('--no-interop leaves the family out', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'kit-interop-'));
    const run = fakeIo(cwd);
    const code = await main(
      ['--connector', reference, '--scenario', 'contract', '-s', 'interop', '--no-interop'],
      run.io,
    );
    expect(code).toBe(EXIT.ok);
    expect(run.stdout()).toContain('AIC connector conformance — 5 scenarios × 1 connector(s)');
    expect(run.stdout()).not.toContain('[interop]');
  }, 60_000);
});
