import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { createClient } from 'redis';
import {
  ACCESS_TOKEN,
  STORE_KEY,
  Workspace,
  assertNoPendingMocks,
  clientCredentials,
  expectNoSecrets,
  freePort,
  tokenResponse,
} from './helpers.js';

/** A throwaway redis-server on loopback (installed by .ci/run when missing). */
async function startRedis(...extra: string[]): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'aic-cli-redis-'));
  const server: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let log = '';
    server.once('error', (error) =>
      reject(new Error(`redis-server could not start (is it installed?): ${error.message}`)),
    );
    server.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('Ready to accept connections')) resolve();
    });
    server.once('exit', (code) => reject(new Error(`redis-server exited with ${String(code)}: ${log}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A Redis password with what broke the old redaction: `@`, `:` and `/`. */
const PASSWORD = 'p@ss:w0rd/redis-7c1e@x';

/** Neither the password nor a piece of it that the old regex left behind. */
function expectPasswordNowhere(output: string): void {
  for (const piece of [PASSWORD, encodeURIComponent(PASSWORD), 'w0rd', 'redis-7c1e']) {
    expect(output).not.toContain(piece);
  }
}

let ws: Workspace;
let redis: Awaited<ReturnType<typeof startRedis>>;
beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
  redis = await startRedis();
});
afterAll(async () => {
  nock.enableNetConnect();
  await redis.stop();
});
beforeEach(async () => {
  ws = await Workspace.create();
  ws.env = { AIC_STORE: 'redis', AIC_REDIS_URL: redis.url, LANG: 'en' };
});
afterEach(async () => {
  assertNoPendingMocks();
  await ws.dispose();
});

describe('--store redis', () => {
  it('keeps tokens in Redis between invocations, sealed with the store key', async () => {
    ws.env = { ...ws.env, AIC_STORE_KEY: STORE_KEY, AIC_REDIS_PREFIX: 'cli-test:' };
    await ws.file('cc.json', clientCredentials());
    const scope = nock('https://auth.cli.test').post('/oauth2/token').reply(200, tokenResponse());
    const connect = await ws.run([
      'connect',
      'fixture-client',
      '--connection',
      'lc',
      '--credentials',
      'cc.json',
    ]);
    scope.done();
    expect(connect.code).toBe(0);
    // No token request this time: the token comes from Redis.
    const token = await ws.run(['token', 'lc', '--reveal']);
    expect(token.code).toBe(0);
    expect(token.io.out).toBe(`${ACCESS_TOKEN}\n`);
    const client = createClient({ url: redis.url });
    await client.connect();
    const stored = await client.hGet('cli-test:{fixture-client\u001flc}:rec', 'r');
    await client.close();
    expect(stored).toEqual(expect.stringContaining('"kid"'));
    expect(stored).not.toContain(ACCESS_TOKEN);
    const status = await ws.run(['status', 'lc', '--json']);
    expect(status.io.json()).toMatchObject({
      state: 'active',
      accessTokenExpiresAt: '2026-06-01T13:00:00.000Z',
    });
    // Another key prefix is another store.
    ws.env = { ...ws.env, AIC_REDIS_PREFIX: 'other:' };
    expect((await ws.run(['status', 'lc', '--json'])).io.json()).toMatchObject({ state: 'not_authorized' });
    expectNoSecrets(connect.io.all + status.io.all);
  });

  it('needs a key unless --redis-plaintext is given, which warns in the operator’s language', async () => {
    const refused = await ws.run(['status', 'lc', '--json']);
    expect(refused.code).toBe(2);
    expect(refused.io.json()).toMatchObject({
      error: {
        code: 'ERR_STORE_KEY',
        message: { en: expect.stringContaining('The Redis store encrypts tokens and needs a key') },
      },
    });
    ws.env = { ...ws.env, AIC_REDIS_PREFIX: 'plain-test:' };
    await ws.file('cc.json', clientCredentials());
    const scope = nock('https://auth.cli.test').post('/oauth2/token').reply(200, tokenResponse());
    const plain = await ws.run([
      'connect',
      'fixture-client',
      '--connection',
      'lc',
      '--credentials',
      'cc.json',
      '--redis-plaintext',
    ]);
    scope.done();
    expect(plain.code).toBe(0);
    expect(plain.io.err).toContain(
      'Warning: tokens are stored in Redis unencrypted (--redis-plaintext); anyone who can read Redis can use them.',
    );
    const client = createClient({ url: redis.url });
    await client.connect();
    const stored = await client.hGet('plain-test:{fixture-client\u001flc}:rec', 'r');
    await client.close();
    expect(JSON.parse(stored!)).toMatchObject({ status: 'active' });
  });

  it('an unreachable server is ERR_STORE_FAILURE (exit 1); a password holding @ is never printed', async () => {
    ws.env = { ...ws.env, AIC_STORE_KEY: STORE_KEY };
    const port = await freePort();
    ws.env = {
      ...ws.env,
      AIC_REDIS_URL: `redis://operator:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}`,
    };
    const { code, io } = await ws.run(['status', 'lc', '--json']);
    expect(code).toBe(1);
    const { error } = io.json<{ error: { code: string; message: { es: string; en: string } } }>();
    expect(error.code).toBe('ERR_STORE_FAILURE');
    expect(error.message.en).toContain(`(redis redis://operator@127.0.0.1:${port})`);
    expectPasswordNowhere(io.all);
    // Typed raw into the URL (not percent-encoded), the old regex redaction printed "ss:w0rd…@127…".
    const raw = PASSWORD.replace('/', '-');
    ws.env = { ...ws.env, AIC_REDIS_URL: `redis://operator:${raw}@127.0.0.1:${port}` };
    const typed = await ws.run(['status', 'lc', '--lang', 'en']);
    expect(typed.code).toBe(1);
    expect(typed.io.err).toContain(`(redis redis://operator@127.0.0.1:${port})`);
    expectPasswordNowhere(typed.io.all);
    // With a raw "/" the URL no longer parses as the operator meant: refused, and not echoed.
    ws.env = { ...ws.env, AIC_REDIS_URL: `redis://operator:${PASSWORD}@127.0.0.1:${port}` };
    const unreadable = await ws.run(['status', 'lc', '--lang', 'en']);
    expect(unreadable.code).toBe(2);
    expect(unreadable.io.err).toMatch(/^Error \[ERR_USAGE\]: AIC_REDIS_URL is not a valid URL: /);
    expectPasswordNowhere(unreadable.io.all);
  });

  it('refuses a password inside --redis-url (exit 2), saying where to put it, without printing it', async () => {
    const { code, io } = await ws.run([
      'status',
      'lc',
      '--redis-url',
      `redis://operator:${encodeURIComponent(PASSWORD)}@127.0.0.1:6379`,
      '--lang',
      'en',
    ]);
    expect(code).toBe(2);
    expect(io.err).toBe(
      'Error [ERR_USAGE]: --redis-url holds a password, and on the command line other users see it (ps) and it stays in the shell history: remove it from the URL and pass it in a file (--redis-password-file <file> or AIC_REDIS_PASSWORD_FILE), in the AIC_REDIS_PASSWORD variable, or on standard input (--redis-password-file -).\n',
    );
    expectPasswordNowhere(io.all);
  });
});

describe('--store redis with a password (requirepass)', () => {
  let secured: Awaited<ReturnType<typeof startRedis>>;
  beforeAll(async () => (secured = await startRedis('--requirepass', PASSWORD)));
  afterAll(() => secured.stop());

  /** `aic connect` (client credentials) against the secured server; the token comes back from it. */
  async function roundTrip(argv: string[], io = ws.io()): Promise<void> {
    await ws.file('cc.json', clientCredentials());
    const scope = nock('https://auth.cli.test').post('/oauth2/token').reply(200, tokenResponse());
    const connect = await ws.run(
      ['connect', 'fixture-client', '--connection', 'lc', '--credentials', 'cc.json', ...argv],
      io,
    );
    scope.done();
    expect(connect.code).toBe(0);
    expectPasswordNowhere(connect.io.all);
  }

  it('takes it from --redis-password-file, from AIC_REDIS_PASSWORD, or from standard input', async () => {
    ws.env = { ...ws.env, AIC_REDIS_URL: secured.url, AIC_STORE_KEY: STORE_KEY };
    await writeFile(join(ws.dir, 'redis.pw'), `${PASSWORD}\n`, { mode: 0o600 });
    await roundTrip(['--redis-password-file', 'redis.pw']);
    const fromFile = await ws.run(['token', 'lc', '--reveal', '--redis-password-file', 'redis.pw']);
    expect(fromFile.io.out).toBe(`${ACCESS_TOKEN}\n`);

    ws.env = { ...ws.env, AIC_REDIS_PASSWORD: PASSWORD };
    expect((await ws.run(['status', 'lc', '--json'])).io.json()).toMatchObject({ state: 'active' });

    ws.env = { ...ws.env, AIC_REDIS_PASSWORD: undefined };
    const piped = ws.io();
    piped.type(PASSWORD);
    const stdin = await ws.run(['status', 'lc', '--json', '--redis-password-file', '-'], piped);
    expect(stdin.io.json()).toMatchObject({ state: 'active' });

    // Without it, the server refuses: a store failure, still without the password.
    const none = await ws.run(['status', 'lc', '--json']);
    expect(none.code).toBe(1);
    expect(none.io.json<{ error: { code: string } }>().error.code).toBe('ERR_STORE_FAILURE');
  });

  it('the real binary reads it from a pipe; the process command line never holds it', async () => {
    const bin = fileURLToPath(new URL('../dist/bin/aic.js', import.meta.url));
    const child = spawn(
      process.execPath,
      [
        bin,
        'connections',
        '--json',
        '--store',
        'redis',
        '--redis-url',
        secured.url,
        '--redis-password-file',
        '-',
      ],
      {
        cwd: ws.dir,
        env: { PATH: process.env['PATH'], LANG: 'en', TZ: 'UTC', AIC_STORE_KEY: STORE_KEY },
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const cmdline = await readFile(`/proc/${child.pid!}/cmdline`, 'utf8').catch(() => '');
    child.stdin.end(`${PASSWORD}\n`);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(stdout)).toEqual({ ok: true, connections: [] });
    if (cmdline !== '') expect(cmdline.split('\0')).toContain('--redis-password-file'); // it is the child's
    expectPasswordNowhere(cmdline + stdout + stderr);
  });
});
