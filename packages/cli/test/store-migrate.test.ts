import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import {
  ACCESS_TOKEN,
  CLIENT_SECRET,
  REFRESH_TOKEN,
  STORE_KEY,
  Workspace,
  assertNoPendingMocks,
  clientCredentials,
  expectNoSecrets,
  tokenResponse,
} from './helpers.js';

let ws: Workspace;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  ws = await Workspace.create();
  ws.env = { AIC_STORE_KEY: STORE_KEY, LANG: 'en' };
  await ws.file('cc.json', clientCredentials());
});
afterEach(async () => {
  assertNoPendingMocks();
  await ws.dispose();
});

/** `aic connect` of the client-credentials fixture, one token request. */
async function connect(connection: string, extra: string[] = [], token = ACCESS_TOKEN): Promise<string> {
  const scope = nock('https://auth.cli.test')
    .post('/oauth2/token')
    .reply(200, tokenResponse({ access_token: token }));
  const { code, io } = await ws.run([
    'connect',
    'fixture-client',
    '--connection',
    connection,
    '--credentials',
    'cc.json',
    ...extra,
  ]);
  expect(code).toBe(0);
  scope.done();
  return io.err;
}

const statusOf = async (connection: string, extra: string[] = []) => {
  const { code, io } = await ws.run(['status', connection, '--json', ...extra]);
  return { code, err: io.err, status: io.json<{ state?: string; error?: { code: string } }>() };
};

describe('the default store is SQLite', () => {
  it('keeps tokens in <state-dir>/tokens.db (mode 0600) when no store is chosen; aic key rotate works on it', async () => {
    expect(await connect('lc')).toBe('');
    const db = join(ws.dir, '.aic', 'tokens.db');
    expect((await stat(db)).mode & 0o777).toBe(0o600);
    expect(existsSync(join(ws.dir, '.aic', 'tokens.enc'))).toBe(false);
    await expect(statusOf('lc')).resolves.toMatchObject({ code: 0, status: { state: 'active' } });
    const bytes = await readFile(db);
    for (const secret of [ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET])
      expect(bytes.includes(Buffer.from(secret))).toBe(false);

    await ws.run(['key', 'generate', '--out', 'new.key']);
    await ws.file('old.key', STORE_KEY);
    const rotated = await ws.run([
      'key',
      'rotate',
      '--key-file',
      'new.key',
      '--previous-key-file',
      'old.key',
      '--json',
    ]);
    expect(rotated.io.json()).toEqual({ ok: true, store: db, reencrypted: 1 });
    await expect(statusOf('lc', ['--key-file', 'new.key'])).resolves.toMatchObject({
      status: { state: 'active' },
    });
    await expect(statusOf('lc')).resolves.toMatchObject({
      code: 1,
      status: { error: { code: 'ERR_STORE_FAILURE' } },
    });
  });
});

describe('aic store migrate', () => {
  it('moves the encrypted file store to SQLite once; the CLI then reads SQLite by default', async () => {
    await connect('one', ['--store', 'file']);
    await connect('two', ['--store', 'file'], 'AT-cli-second-0123456789abcdefghij');
    // The default is now SQLite: an old workspace is told how to migrate.
    const before = await statusOf('one');
    expect(before.status).toMatchObject({ state: 'not_authorized' });
    expect(before.err).toBe(
      `Warning: the default store is now SQLite (${join(ws.dir, '.aic', 'tokens.db')}) and it does not exist yet, but there is a file store from an earlier version (${join(ws.dir, '.aic', 'tokens.enc')}). Move it with “aic store migrate”, or keep using it with --store file.\n`,
    );

    const { code, io } = await ws.run(['store', 'migrate']);
    expect(code).toBe(0);
    expect(io.out).toBe(
      [
        `Migrated ${join(ws.dir, '.aic', 'tokens.enc')} → ${join(ws.dir, '.aic', 'tokens.db')}:`,
        '  records: 2 (0 replaced, 2 with their version kept)',
        '  pending authorizations: 0 (0 expired, not copied)',
        `SQLite is the default store: commands now use ${join(ws.dir, '.aic', 'tokens.db')}. Keep ${join(ws.dir, '.aic', 'tokens.enc')} as a backup until you have checked it.`,
        '',
      ].join('\n'),
    );
    const after = await statusOf('one');
    expect(after).toMatchObject({ code: 0, err: '', status: { state: 'active' } });
    const token = await ws.run(['token', 'two', '--reveal']);
    expect(token.io.out).toBe('AT-cli-second-0123456789abcdefghij\n');

    // Idempotent: the same file again changes nothing.
    const again = await ws.run(['store', 'migrate', '--json', '--lang', 'es']);
    expect(again.code).toBe(0);
    expect(again.io.json()).toMatchObject({ ok: true, outcome: 'already_imported', records: 2, pending: 0 });
    expectNoSecrets(io.all + again.io.all + before.err);
  });

  it('refuses a SQLite store that holds other data unless --overwrite, which replaces the same connections only', async () => {
    await connect('shared', ['--store', 'file'], 'AT-cli-from-file-0123456789abcdefgh');
    // SQLite, the default (with the migration hint): another token for the same connection.
    expect(await connect('shared')).toContain('aic store migrate');
    await connect('sqlite-only');

    const refused = await ws.run(['store', 'migrate', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.io.json<{ error: { code: string } }>().error.code).toBe('ERR_STORE_NOT_EMPTY');
    expect((await ws.run(['token', 'shared', '--reveal'])).io.out).toBe(`${ACCESS_TOKEN}\n`);

    const forced = await ws.run(['store', 'migrate', '--overwrite', '--json']);
    expect(forced.io.json()).toMatchObject({ ok: true, outcome: 'imported', records: 1, replaced: 1 });
    expect((await ws.run(['token', 'shared', '--reveal'])).io.out).toBe(
      'AT-cli-from-file-0123456789abcdefgh\n',
    );
    await expect(statusOf('sqlite-only')).resolves.toMatchObject({ status: { state: 'active' } });
  });

  it('says what is missing: the key (ERR_STORE_KEY), the file (ERR_USAGE); --from and --to name other paths', async () => {
    ws.env = { LANG: 'en' };
    const noKey = await ws.run(['store', 'migrate']);
    expect(noKey.code).toBe(2);
    expect(noKey.io.err).toMatch(
      /^Error \[ERR_STORE_KEY\]: Migrating .*tokens\.enc needs its key\. Create one with/,
    );

    ws.env = { AIC_STORE_KEY: STORE_KEY, LANG: 'en' };
    const noFile = await ws.run(['store', 'migrate', '--from', 'missing.enc']);
    expect(noFile.code).toBe(2);
    expect(noFile.io.err).toBe(
      `Error [ERR_USAGE]: There is no file store at ${join(ws.dir, 'missing.enc')}: nothing to migrate (name it with --from).\n`,
    );

    await connect('lc', ['--store', 'file', '--store-path', 'old/tokens.enc']);
    const moved = await ws.run([
      'store',
      'migrate',
      '--from',
      'old/tokens.enc',
      '--to',
      'new/tokens.db',
      '--json',
    ]);
    expect(moved.io.json()).toMatchObject({
      ok: true,
      from: join(ws.dir, 'old', 'tokens.enc'),
      to: join(ws.dir, 'new', 'tokens.db'),
      records: 1,
    });
    await expect(statusOf('lc', ['--store-path', 'new/tokens.db'])).resolves.toMatchObject({
      status: { state: 'active' },
    });
  });
});
