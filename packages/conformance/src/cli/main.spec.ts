import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { catalogue } from '../catalogue.js';
import { EXIT, main, type CliIo } from './main.js';

const fixtures = fileURLToPath(new URL('../__fixtures__/packages/', import.meta.url));
const reference = join(fixtures, 'reference-connector');
const logsSecret = join(fixtures, 'logs-secret-connector');

/** Values the kit issues or configures: none may reach an output. */
const KIT_SECRET_PREFIXES = ['kit-code-', 'kit-at-', 'kit-rt-', 'kit-client-secret-'];

function fakeIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  const files = new Map<string, string>();
  const io: CliIo = {
    cwd,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    writeFile: async (path, content) => {
      files.set(path, content);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, content);
    },
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join(''), files };
}

describe('aic-conformance', () => {
  let cwd: string;

  beforeEach(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'kit-cli-'));
  });
  afterAll(() => nock.enableNetConnect());

  it('prints help and lists the scenarios', async () => {
    const help = fakeIo(cwd);
    expect(await main(['--help'], help.io)).toBe(EXIT.ok);
    expect(help.stdout()).toContain('Usage: aic-conformance [--connector <package name or path>]...');
    const list = fakeIo(cwd);
    expect(await main(['--list'], list.io)).toBe(EXIT.ok);
    for (const s of catalogue) expect(list.stdout()).toContain(s.id);
    expect(list.stdout()).toContain(`${catalogue.length} scenarios.`);
  });

  it.each([
    [['--bogus'], 'argumentos inválidos'],
    [['--timeout', 'soon'], '--timeout must be a positive integer (ms).'],
    [['--scenario', 'nothing-like-this', '--connector', reference], 'no scenario matches --scenario.'],
    [[], 'give --connector (no workspace here).'],
    [
      ['--self-test', '--connector', reference],
      "--self-test runs the kit's own broken connectors; it takes no --connector.",
    ],
  ])('refuses %j with exit code 2', async (argv, message) => {
    const run = fakeIo(cwd);
    expect(await main(argv, run.io)).toBe(EXIT.usage);
    expect(run.stderr()).toContain(message);
    expect(run.stderr()).toContain('Usage:');
  });

  it('runs the selected scenarios on a connector package, prints the matrix and writes both reports', async () => {
    const run = fakeIo(cwd);
    const code = await main(
      ['--connector', reference, '--scenario', 'callback', '--report', 'out/r.json', '--junit', 'j.xml'],
      run.io,
    );
    expect(code).toBe(EXIT.ok);
    const stdout = run.stdout();
    expect(stdout).toContain('AIC connector conformance — 7 scenarios × 1 connector(s)');
    expect(stdout).toMatch(/ {2}callback\.state-mismatch +PASS\n/);
    expect(stdout).toContain('OK: 7 passed, 0 failed, 0 skipped.');
    expect(stdout).toMatch(/Runtime: \d+\.\d\d s for 7 scenario runs/);
    const report = JSON.parse(run.files.get(join(cwd, 'out/r.json')) ?? '{}') as {
      ok: boolean;
      connectors: { target: string }[];
    };
    expect(report).toMatchObject({ ok: true, connectors: [{ target: 'kit-reference-connector' }] });
    expect(await readFile(join(cwd, 'j.xml'), 'utf8')).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="aic-conformance" tests="7" failures="0"/,
    );
  });

  it('exits 1 on a failing connector, and no output or report shows a secret', async () => {
    const run = fakeIo(cwd);
    const code = await main(
      ['--connector', logsSecret, '--scenario', 'hygiene', '--scenario', 'callback.state-replayed'],
      run.io,
    );
    expect(code).toBe(EXIT.failed);
    expect(run.stdout()).toContain(
      'kit-reference-code × hygiene.success-paths [RFC 6749 §10.3, §10.5; RFC 6819 §5.1.4]\n      the authorization code appears in log line #1',
    );
    const shown = [run.stdout(), run.stderr(), ...run.files.values()];
    for (const text of shown) for (const prefix of KIT_SECRET_PREFIXES) expect(text).not.toContain(prefix);
    expect(run.files.get(join(cwd, 'conformance-report.json'))).toContain('"ok": false');
  });

  it('without --connector runs every published connector package of the workspace', async () => {
    await writeFile(join(cwd, 'pnpm-workspace.yaml'), 'packages:\n  - connectors/*\n');
    await mkdir(join(cwd, 'connectors'));
    await symlink(reference, join(cwd, 'connectors', 'reference'));
    const run = fakeIo(join(cwd, 'connectors'));
    expect(
      await main(
        ['--scenario', 'contract.manifest', '--report', join(cwd, 'r.json'), '--junit', join(cwd, 'j.xml')],
        run.io,
      ),
    ).toBe(EXIT.ok);
    expect(run.stdout()).toMatch(/ {2}contract\.manifest +PASS\n/);
  });

  it('reports a package that cannot be loaded as a failure', async () => {
    const run = fakeIo(cwd);
    expect(await main(['--connector', join(cwd, 'missing'), '--scenario', 'contract'], run.io)).toBe(
      EXIT.failed,
    );
    expect(run.stdout()).toContain(`${join(cwd, 'missing')}: could not load: ERR_CONFIGURATION:`);
  });

  it('--self-test runs the kit against its broken connectors and prints what each scenario caught', async () => {
    const run = fakeIo(cwd);
    expect(
      await main(['--self-test', '-s', 'contract.manifest', '-s', 'contract.endpoints-overridable'], run.io),
    ).toBe(EXIT.ok);
    const text = run.stdout();
    expect(text).toContain(
      '  contract.manifest\n      caught zero-refresh-margin: refreshMarginSeconds is 0: a token would be used until the instant it expires, so calls in flight then fail with 401; declare a margin (60 s or more is usual)\n',
    );
    expect(text).toContain('  CAUGHT  fixed-endpoints — offers no way to point a connection at other hosts');
    expect(text).toContain('  PASS  kit-reference-code: 2 passed, 0 failed, 0 skipped\n');
    expect(text).toContain(
      'OK: caught 2 of 2 broken connectors by exactly their intended scenarios; the reference connectors pass.\n',
    );
    const json = fakeIo(cwd);
    expect(await main(['--self-test', '--json', '-s', 'contract.manifest'], json.io)).toBe(EXIT.ok);
    expect(JSON.parse(json.stdout())).toMatchObject({
      ok: true,
      caught: 1,
      brokenConnectors: 1,
      verdicts: [{ name: 'zero-refresh-margin', caught: true, failed: ['contract.manifest'], missed: [] }],
    });
  });
});
