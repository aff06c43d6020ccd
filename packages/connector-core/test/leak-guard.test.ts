import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConnectorError } from '../src/errors/connector-error.js';
import { ErrorCode } from '../src/errors/codes.js';
import { text } from '../src/errors/localized.js';
import { findSecrets, redactSecrets, scanValue, secretForms } from '../../../test/leak-scan.js';
import { FIXTURE_SECRETS, expectNoSecrets, knownSecrets, registerSecret } from '../../../test/secrets.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SECRET = { value: 'spécial secret/with "quotes" & +plus', label: 'unit secret' };
const FILE_SECRET = 'file-level-secret-31c7d0';
registerSecret(FILE_SECRET, 'file-level secret');

describe('leak scanner', () => {
  it.each([
    ['raw', SECRET.value],
    ['JSON-escaped', JSON.stringify({ s: SECRET.value })],
    ['inspect-escaped', `{ s: '${SECRET.value.replace(/'/g, "\\'")}' }`],
    ['percent-encoded', `client_secret=${encodeURIComponent(SECRET.value)}`],
    ['form-encoded', `client_secret=${encodeURIComponent(SECRET.value).replace(/%20/g, '+')}`],
    ['RFC 6749 form-encoded', 'sp%C3%A9cial+secret%2Fwith+%22quotes%22+%26+%2Bplus'],
    ['base64', Buffer.from(SECRET.value, 'utf8').toString('base64')],
  ])('finds a secret written %s', (_form, shown) => {
    expect(findSecrets(`before ${shown} after`, [SECRET])).toEqual(['unit secret']);
  });

  it('matches short secrets only as whole words', () => {
    const token = { value: 'AT-1', label: 'short token' };
    expect(findSecrets('Bearer AT-1', [token])).toEqual(['short token']);
    expect(findSecrets('{"access_token":"AT-1"}', [token])).toEqual(['short token']);
    expect(findSecrets('FORMAT-1 and AT-10 are other words', [token])).toEqual([]);
  });

  it('redacts every form and leaves other text alone', () => {
    const shown = `a=${SECRET.value} b=${encodeURIComponent(SECRET.value)} c=ok`;
    const redacted = redactSecrets(shown, [SECRET]);
    expect(redacted).toBe('a=[LEAKED SECRET: unit secret] b=[LEAKED SECRET: unit secret] c=ok');
    expect(findSecrets(redacted, [SECRET])).toEqual([]);
  });

  it('looks at what an error shows: message, stack, JSON, inspect and localized text', () => {
    const error = new ConnectorError(ErrorCode.OAuthError, text(`es ${SECRET.value}`, 'en only'));
    expect(scanValue(error, [SECRET]).map((f) => f.view)).toEqual([
      'JSON.stringify',
      'util.inspect',
      'localized',
    ]);
    const plain = new Error('wrapped', { cause: new Error(SECRET.value) });
    expect(scanValue(plain, [SECRET]).map((f) => f.view)).toEqual(['util.inspect']);
  });

  it('ignores values too short to be told apart from ordinary text', () => {
    expect(secretForms('abc')).toEqual([]);
    expect(registerSecret('abc')).toBe(false);
  });
});

describe('secret registry', () => {
  it('lists fixture secrets that are still defined where it says (no stale entries)', async () => {
    const missing: string[] = [];
    for (const secret of FIXTURE_SECRETS.filter((s) => s.source !== undefined)) {
      const source = await readFile(join(ROOT, secret.source!), 'utf8').catch(() => '');
      if (!source.includes(secret.value)) missing.push(`${secret.label} (${secret.source!})`);
    }
    expect(missing).toEqual([]);
  });

  it('labels never show a secret', () => {
    const labels = FIXTURE_SECRETS.map((secret) => secret.label).join('\n');
    expect(findSecrets(labels, FIXTURE_SECRETS)).toEqual([]);
  });

  it('knows the fixtures, the file’s and the current test’s secrets', () => {
    registerSecret('this-test-only-secret-9a8b', 'per-test');
    const values = knownSecrets().map((secret) => secret.value);
    expect(values).toEqual(expect.arrayContaining([FILE_SECRET, 'this-test-only-secret-9a8b', 'the-code']));
  });

  it('forgets a per-test secret after its test', () => {
    expect(knownSecrets().map((secret) => secret.value)).not.toContain('this-test-only-secret-9a8b');
  });

  it('expectNoSecrets names the secret by label, never by value', () => {
    const failure = (() => {
      try {
        expectNoSecrets({ report: { token: FILE_SECRET } }, 'the report');
      } catch (error) {
        return error as Error;
      }
      return undefined;
    })();
    expect(failure?.message).toBe(
      'Leak guard: the report shows known secrets: file-level secret (JSON.stringify); file-level secret (util.inspect). Values withheld.',
    );
    expect(() => expectNoSecrets({ report: 'clean' })).not.toThrow();
  });
});

interface JestJson {
  testResults: { assertionResults: { title: string; status: string; failureMessages: string[] }[] }[];
}

describe('leak guard in a real jest run (test/fixtures/leaky.fixture.ts)', () => {
  it('fails every leaking test, passes the clean and the opted-out ones, and never prints a caught secret', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aic-leak-guard-'));
    const outputFile = join(dir, 'result.json');
    const args = [
      '--experimental-vm-modules',
      '--no-warnings',
      join(ROOT, 'node_modules/jest/bin/jest.js'),
      '--rootDir',
      ROOT,
      '--roots',
      '<rootDir>/test',
      '--testMatch',
      '**/test/fixtures/leaky.fixture.ts',
      '--coverage=false',
      '--json',
      '--outputFile',
      outputFile,
    ];
    const output = await promisify(execFile)(process.execPath, args, { cwd: ROOT, timeout: 60_000 }).then(
      ({ stdout, stderr }) => `${stdout}${stderr}`,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    const report = JSON.parse(await readFile(outputFile, 'utf8')) as JestJson;
    await rm(dir, { recursive: true, force: true });
    const results = report.testResults[0]?.assertionResults ?? [];
    const status = Object.fromEntries(results.map((r) => [r.title, r.status]));
    expect(status).toEqual({
      'clean: shows nothing secret': 'passed',
      'leaks: console.log of a fixture secret': 'failed',
      'leaks: console.error of a URL-encoded secret': 'failed',
      'leaks: process.stdout.write of a token': 'failed',
      'leaks: a ConnectorError handed to expect()': 'failed',
      'leaks: a rejection reason handed to expect().rejects': 'failed',
      'leaks: an entry of the MemoryLogger': 'failed',
      'leaks: a report checked with expectNoSecrets': 'failed',
      'leaks: a secret registered by the test itself': 'failed',
      'allowed: prints a token with an explicit opt-out': 'passed',
    });
    for (const result of results.filter((r) => r.status === 'failed')) {
      expect(result.failureMessages.join('\n')).toContain('Leak guard: ');
    }
    // What the guard caught was printed redacted; only the opted-out value went out as is.
    expect(output).toContain('[LEAKED SECRET: core fixture client secret]');
    expect(output).toContain('revealed-on-purpose-7f3a9c');
    for (const caught of ['fixture-secret-Ü-0123456789', 'AT-1', 'RT-1', 'per-test-secret-4b1d9e']) {
      expect(findSecrets(output, [{ value: caught, label: 'caught' }])).toEqual([]);
    }
  }, 60_000);
});
