import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
async function startRedis(): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'aic-cli-redis-'));
  const server: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
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

  it('an unreachable server is ERR_STORE_FAILURE (exit 1), without the URL password', async () => {
    ws.env = { ...ws.env, AIC_STORE_KEY: STORE_KEY };
    const port = await freePort();
    const { code, io } = await ws.run([
      'status',
      'lc',
      '--redis-url',
      `redis://operator:pw-${STORE_KEY}@127.0.0.1:${port}`,
      '--json',
    ]);
    expect(code).toBe(1);
    const { error } = io.json<{ error: { code: string; message: { en: string } } }>();
    expect(error.code).toBe('ERR_STORE_FAILURE');
    expect(error.message.en).toContain(`(redis redis://***@127.0.0.1:${port})`);
    expectNoSecrets(io.all);
  });
});
