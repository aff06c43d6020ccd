import { request as httpRequest } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import {
  EncryptedFileTokenStore,
  ManualClock,
  MemoryLogger,
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  generateStoreKey,
} from '@aic/connector-core';
import { createReferenceHost, loadHostConfig, type ReferenceHost } from '../src/index.js';

const HP_SECRET = 'ref-host-hp-secret-71c2d9';
const LC_PASSWORD = 'refHostLeanCorePassw0rd';
const ACCESS_TOKEN = 'AT-ref-host-0123456789abcdef';
const REFRESH_TOKEN = 'RT-ref-host-fedcba9876543210';
const CODE = 'ref-host-code-4471';
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request, no redirects followed (the test plays the browser). */
function call(
  url: URL | string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let host: ReferenceHost;
let base: URL;
let logger: MemoryLogger;
let tokenStore: MemoryTokenStore;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
});
afterAll(() => nock.enableNetConnect());

function hostSetup(): void {
  beforeEach(async () => {
    const clock = new ManualClock(NOW);
    logger = new MemoryLogger();
    tokenStore = new MemoryTokenStore();
    // The redirect URI is this host's callback; the port is only known once listening, so the
    // host listens on a port picked first.
    const probe = await createReferenceHost({ connectorPackages: [], connections: [] });
    const port = (await probe.listen(0)).port;
    await probe.close();
    host = await createReferenceHost({
      connectorPackages: ['@aic/provider-hp-techpulse', '@aic/provider-leancore'],
      connections: [
        {
          id: 'hp-acme',
          connector: 'hp-techpulse',
          credentials: {
            clientId: 'RefHostClient',
            clientSecret: HP_SECRET,
            clientSecretCreatedAt: '2026-01-10',
            redirectUri: `http://127.0.0.1:${port}/oauth/callback`,
            region: 'eu',
          },
        },
        {
          id: 'lc',
          connector: 'leancore',
          credentials: { username: 'refHostUser', password: LC_PASSWORD, environment: 'sandbox' },
        },
      ],
      tokenStore,
      pendingStore: new MemoryPendingAuthorizationStore(clock),
      clock,
      logger,
    });
    base = await host.listen(Number(port));
  });

  afterEach(async () => {
    await host.close();
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
}

/** GET /connections/hp-acme/authorize: the 302 and the browser's session cookie. */
async function authorizeHp(): Promise<{ location: URL; cookie: string; state: string }> {
  const reply = await call(new URL('/connections/hp-acme/authorize', base));
  expect(reply.status).toBe(302);
  const location = new URL(String(reply.headers['location']));
  const setCookie = (reply.headers['set-cookie'] as string[])[0]!;
  expect(setCookie).toMatch(
    /^aic_oauth=hp-acme\.[A-Za-z0-9_-]{43}; Path=\/oauth\/callback; Max-Age=600; HttpOnly; SameSite=Lax$/,
  );
  return { location, cookie: setCookie.split(';')[0]!, state: location.searchParams.get('state')! };
}

describe('reference host: HP TechPulse (authorization code) end to end', () => {
  hostSetup();
  it('authorize → callback → status → check', async () => {
    const { location, cookie, state } = await authorizeHp();
    expect(location.origin + location.pathname).toBe('https://eu.daas.api.hp.com/oauth/v1/authorize');
    expect(location.searchParams.get('redirect_uri')).toBe(new URL('/oauth/callback', base).href);

    const exchange = nock('https://eu.daas.api.hp.com')
      .post(
        '/oauth/v1/token',
        new URLSearchParams({
          grant_type: 'authorization_code',
          code: CODE,
          redirect_uri: new URL('/oauth/callback', base).href,
          client_id: 'RefHostClient',
          client_secret: HP_SECRET,
        }).toString(),
      )
      .reply(200, {
        access_token: ACCESS_TOKEN,
        token_type: 'Bearer',
        expires_in: 1799999,
        refresh_token: REFRESH_TOKEN,
      });
    const page = await call(new URL(`/oauth/callback?code=${CODE}&state=${state}`, base), {
      headers: { cookie, 'accept-language': 'en-US,en;q=0.9' },
    });
    exchange.done();
    expect(page.status).toBe(200);
    expect(page.body).toContain('<h1>Connection authorized</h1><p>Connection “hp-acme” is authorized.</p>');
    expect(page.headers['set-cookie']).toEqual([
      'aic_oauth=; Path=/oauth/callback; Max-Age=0; HttpOnly; SameSite=Lax',
    ]);
    expect(page.headers['referrer-policy']).toBe('no-referrer');

    const status = await call(new URL('/connections/hp-acme/status', base));
    expect(status.status).toBe(200);
    expect(JSON.parse(status.body)).toEqual({
      connectorId: 'hp-techpulse',
      connectionId: 'hp-acme',
      state: 'active',
      accessTokenExpiresAt: NOW + 1_799_999,
      hasRefreshToken: true,
      clientSecretExpiresAt: Date.UTC(2027, 0, 10),
      clientSecretDaysLeft: 222,
      warnings: [],
    });

    const probe = nock('https://eu.daas.api.hp.com')
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`)
      .reply(200, { resources: [] });
    const check = await call(new URL('/connections/hp-acme/check', base), { method: 'POST' });
    probe.done();
    expect(check.status).toBe(200);
    expect(JSON.parse(check.body)).toMatchObject({ outcome: 'ok', ok: true, probeStatus: 200 });

    // A probe answering 404 (wrong API base or path) is a misconfiguration, not bad credentials.
    const missing = nock('https://eu.daas.api.hp.com').get('/analytics/v1/identity/tenants').reply(404, {});
    const misconfigured = await call(new URL('/connections/hp-acme/check', base), { method: 'POST' });
    missing.done();
    expect(misconfigured.status).toBe(200);
    expect(JSON.parse(misconfigured.body)).toMatchObject({
      outcome: 'misconfigured',
      ok: false,
      probeStatus: 404,
      probeUrl: 'https://eu.daas.api.hp.com/analytics/v1/identity/tenants',
      message: {
        en: "The token was issued, but the probe call to https://eu.daas.api.hp.com/analytics/v1/identity/tenants answered HTTP 404: the path does not exist on that API: check the API base URL (region, “endpoints.apiBase”) and the connector's validation path.",
      },
    });

    const shown = [page.body, status.body, check.body, ...logger.lines()].join('\n');
    for (const secret of [HP_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, CODE]) expect(shown).not.toContain(secret);
    expect(logger.lines()).toContain(
      JSON.stringify({
        level: 'info',
        message: 'request',
        fields: { method: 'GET', path: '/oauth/callback', status: 200 },
      }),
    );
  });

  it('a callback whose state is not the browser’s is 401 with no token request (HP: possible CSRF)', async () => {
    const { cookie } = await authorizeHp();
    const forged = await call(new URL(`/oauth/callback?code=${CODE}&state=forged`, base), {
      headers: { cookie },
    });
    expect(forged.status).toBe(401);
    expect(forged.body).toContain('(ERR_STATE_MISMATCH)');
    const { state } = await authorizeHp();
    const noCookie = await call(new URL(`/oauth/callback?code=${CODE}&state=${state}`, base));
    expect(noCookie.status).toBe(401);
    expect(noCookie.body).toContain('<h1>La autorización falló</h1>');
    expect(await tokenStore.get('hp-techpulse\u001fhp-acme')).toBeUndefined();
  });

  it('the provider’s error=access_denied is 403 and consumes the pending authorization', async () => {
    const { cookie, state } = await authorizeHp();
    const denied = await call(new URL(`/oauth/callback?error=access_denied&state=${state}`, base), {
      headers: { cookie, 'accept-language': 'en' },
    });
    expect(denied.status).toBe(403);
    expect(denied.body).toContain(
      'The user or the provider denied the authorization (access_denied). (ERR_AUTHORIZATION_DENIED)',
    );
    const replay = await call(new URL(`/oauth/callback?code=${CODE}&state=${state}`, base), {
      headers: { cookie },
    });
    expect(replay.status).toBe(401);
  });
});

describe('reference host: LeanCore (client credentials) and the API surface', () => {
  hostSetup();
  it('check obtains a token with HTTP Basic; authorize is refused (409)', async () => {
    const token = nock('https://auth.leancore.co')
      .post('/oauth2/token', 'grant_type=client_credentials')
      .matchHeader('authorization', `Basic ${Buffer.from(`refHostUser:${LC_PASSWORD}`).toString('base64')}`)
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });
    const check = await call(new URL('/connections/lc/check', base), { method: 'POST' });
    token.done();
    expect(JSON.parse(check.body)).toMatchObject({ ok: true, outcome: 'ok' });
    const authorize = await call(new URL('/connections/lc/authorize', base));
    expect(authorize.status).toBe(409);
    expect(JSON.parse(authorize.body)).toMatchObject({ error: { code: 'ERR_UNSUPPORTED' } });
    expect(check.body + authorize.body).not.toContain(ACCESS_TOKEN);
  });

  it('lists connections; unknown ones are 404, wrong methods 405', async () => {
    expect(JSON.parse((await call(new URL('/connections', base))).body)).toEqual({
      connections: [
        { id: 'hp-acme', connector: 'hp-techpulse', grant: 'authorization_code' },
        { id: 'lc', connector: 'leancore', grant: 'client_credentials' },
      ],
    });
    expect((await call(new URL('/connections/nope/status', base))).status).toBe(404);
    expect((await call(new URL('/elsewhere', base))).status).toBe(404);
    const wrong = await call(new URL('/connections/lc/check', base));
    expect(wrong.status).toBe(405);
    expect(wrong.headers['allow']).toBe('POST');
  });

  it('refuses to start with a connection whose credentials are invalid', async () => {
    await expect(
      createReferenceHost({
        connectorPackages: ['@aic/provider-leancore'],
        connections: [{ id: 'x', connector: 'leancore', credentials: { username: 'u' } }],
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' });
    await expect(
      createReferenceHost({
        connectorPackages: [],
        connections: [{ id: 'x', connector: 'leancore', credentials: {} }],
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIGURATION' });
  });
});

describe('loadHostConfig', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'aic-ref-host-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('reads connections, credentials files and the store key, relative to the file', async () => {
    const key = generateStoreKey();
    await writeFile(join(dir, 'store.key'), key.toString('hex'));
    await writeFile(join(dir, 'lc.json'), JSON.stringify({ username: 'u', password: LC_PASSWORD }));
    await writeFile(
      join(dir, 'host.json'),
      JSON.stringify({
        listen: { port: 9090 },
        connectors: ['@aic/provider-leancore', './vendor/acme-connector'],
        store: { type: 'file', path: 'data/tokens.enc', keyFile: 'store.key' },
        connections: [{ id: 'lc', connector: 'leancore', credentialsFile: 'lc.json' }],
      }),
    );
    const config = await loadHostConfig(join(dir, 'host.json'), {});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 9090,
      connectorPackages: ['@aic/provider-leancore', join(dir, 'vendor', 'acme-connector')],
      store: { type: 'file', path: join(dir, 'data', 'tokens.enc'), key },
      connections: [
        { id: 'lc', connector: 'leancore', credentials: { username: 'u', password: LC_PASSWORD } },
      ],
    });
    const store = new EncryptedFileTokenStore({
      path: join(dir, 'data', 'tokens.enc'),
      keys: { current: key },
    });
    expect(await store.get('anything')).toBeUndefined();
  });

  it('the documented example configuration is valid (with a memory store)', async () => {
    const example = JSON.parse(
      await readFile(new URL('../aic-host.example.json', import.meta.url), 'utf8'),
    ) as {
      connections: { credentialsFile: string }[];
    };
    const exampleDir = fileURLToPath(new URL('..', import.meta.url));
    await writeFile(
      join(dir, 'host.json'),
      JSON.stringify({
        ...example,
        store: { type: 'memory' },
        connections: example.connections.map((c) => ({
          ...c,
          credentialsFile: join(exampleDir, c.credentialsFile),
        })),
      }),
    );
    const config = await loadHostConfig(join(dir, 'host.json'), {});
    const started = await createReferenceHost(config);
    expect(started.registry.list().map((c) => c.manifest.id)).toEqual([
      'hp-techpulse',
      'abbyy-vantage',
      'leancore',
    ]);
    await started.close();
  });

  it('says what is missing, without quoting secrets', async () => {
    await writeFile(join(dir, 'bad.json'), `{"password": "${LC_PASSWORD}"`);
    await writeFile(
      join(dir, 'host.json'),
      JSON.stringify({
        connectors: [],
        store: { type: 'file', path: 't.enc' },
        connections: [{ id: 'lc', connector: 'leancore', credentialsFile: 'bad.json' }],
      }),
    );
    const error = (await loadHostConfig(join(dir, 'host.json'), {}).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      `credentials file of connection lc ${join(dir, 'bad.json')} is not valid JSON`,
    );
    await writeFile(join(dir, 'bad.json'), '{}');
    await expect(loadHostConfig(join(dir, 'host.json'), {})).rejects.toThrow(
      'the file store needs "keyFile" or AIC_STORE_KEY (create one with: aic key generate --out store.key)',
    );
  });

  it('the redis store needs a key unless the configuration asks for plaintext', async () => {
    const write = (store: Record<string, unknown>) =>
      writeFile(join(dir, 'host.json'), JSON.stringify({ connectors: [], store, connections: [] }));
    await write({ type: 'redis', url: 'redis://127.0.0.1:6379' });
    await expect(loadHostConfig(join(dir, 'host.json'), {})).rejects.toThrow(
      'the redis store encrypts tokens and needs "keyFile" or AIC_STORE_KEY (create one with: aic key generate --out store.key), or "plaintext": true for a Redis protected by other means',
    );
    const key = generateStoreKey();
    expect(
      (await loadHostConfig(join(dir, 'host.json'), { AIC_STORE_KEY: key.toString('hex') })).store,
    ).toEqual({
      type: 'redis',
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'aic:',
      key,
    });
    await write({ type: 'redis', url: 'redis://127.0.0.1:6379', keyPrefix: 'host:', plaintext: true });
    expect((await loadHostConfig(join(dir, 'host.json'), {})).store).toEqual({
      type: 'redis',
      url: 'redis://127.0.0.1:6379',
      keyPrefix: 'host:',
      key: undefined,
    });
  });
});
