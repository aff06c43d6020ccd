import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import {
  ManualClock,
  MemoryLogger,
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  generateStoreKey,
} from '@aic/connector-core';
import { hashPassword } from '@aic/console';
import { SqliteTokenRequestLimiter, SqliteTokenStore } from '@aic/store-sqlite';
import { BrowserClient } from '../../../test/browser-client.js';
import { registerSecret } from '../../../test/secrets.js';
import {
  SealedFileConnectionRepository,
  createReferenceHost,
  hostOptionsFrom,
  loadHostConfig,
  openHostStores,
  type ReferenceHost,
} from '../src/index.js';

const HP_SECRET = 'ref-host-hp-secret-71c2d9';
const LC_PASSWORD = 'refHostLeanCorePassw0rd';
const ACCESS_TOKEN = 'AT-ref-host-0123456789abcdef';
const REFRESH_TOKEN = 'RT-ref-host-fedcba9876543210';
const CODE = 'ref-host-code-4471';
const PASSWORD = 'operador-ref-host-1';
const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);
for (const [value, label] of [
  [HP_SECRET, 'ref host HP secret'],
  [LC_PASSWORD, 'ref host LeanCore password'],
  [ACCESS_TOKEN, 'ref host access token'],
  [REFRESH_TOKEN, 'ref host refresh token'],
  [CODE, 'ref host code'],
  [PASSWORD, 'ref host operator password'],
] as const) {
  registerSecret(value, label);
}

/** The shared test browser on this host, signed in as its operator. */
class Browser extends BrowserClient {
  constructor(base: URL) {
    super(base.href);
  }

  async signInAsOperator(): Promise<void> {
    expect((await this.signIn('ana', PASSWORD)).status).toBe(303);
    await this.get('/');
  }
}

const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ');

let host: ReferenceHost;
let base: URL;
let logger: MemoryLogger;
let tokenStore: MemoryTokenStore;
let passwordHash: string;

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD, { logN: 10 });
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
});
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  const clock = new ManualClock(NOW);
  logger = new MemoryLogger();
  tokenStore = new MemoryTokenStore();
  // The redirect URI is this host's callback; the port is only known once listening.
  const probe = await createReferenceHost({
    connectorPackages: [],
    console: { operators: [{ username: 'x', passwordHash }] },
  });
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
    console: { operators: [{ username: 'ana', passwordHash }], secureCookies: false, timeZone: 'UTC' },
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

describe('reference host: the console is mounted and every route needs an operator', () => {
  it('sends a browser without a session to sign in; the API answers 401 JSON', async () => {
    const browser = new Browser(base);
    const home = await browser.get('/');
    expect(home.status).toBe(303);
    expect(home.headers['location']).toBe('/sign-in?next=%2F');
    const api = await browser.get('/api/connections');
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toEqual({
      ok: false,
      error: {
        code: 'ERR_NOT_SIGNED_IN',
        message: { es: 'Inicie sesión en la consola.', en: 'Sign in to the console.' },
      },
    });
    // The old open routes are gone.
    expect((await browser.get('/connections/hp-acme/authorize')).status).toBe(405);
    expect((await browser.get('/connections')).status).toBe(405);
  });

  it('lists the seeded connections to a signed-in operator', async () => {
    const browser = new Browser(base);
    await browser.signInAsOperator();
    const list = text((await browser.get('/')).body);
    expect(list).toContain('hp-acme');
    expect(list).toContain('lc');
    expect((await host.connections.list()).map((c) => c.id)).toEqual(['hp-acme', 'lc']);
  });
});

describe('reference host: HP TechPulse end to end through the console (strict endpoint policy, HP scripted)', () => {
  it('authorize → callback → API status (CLI keys, ISO times) → Validar conexión', async () => {
    const browser = new Browser(base);
    await browser.signInAsOperator();
    await browser.get('/connections/hp-acme');
    const start = await browser.post('/connections/hp-acme/authorize');
    expect(start.status).toBe(303);
    const location = new URL(String(start.headers['location']));
    expect(location.origin + location.pathname).toBe('https://eu.daas.api.hp.com/oauth/v1/authorize');
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
    const page = await browser.get(
      `/oauth/callback?code=${CODE}&state=${location.searchParams.get('state')}`,
      {
        'accept-language': 'en-US,en;q=0.9',
      },
    );
    exchange.done();
    expect(page.status).toBe(200);
    expect(text(page.body)).toContain('Connection “hp-acme” is authorized.');

    const status = await browser.get('/api/connections/hp-acme/status');
    expect(JSON.parse(status.body)).toEqual({
      ok: true,
      connection: 'hp-acme',
      connector: 'hp-techpulse',
      name: 'hp-acme',
      state: 'active',
      accessTokenExpiresAt: '2026-06-01T12:29:59.999Z',
      hasRefreshToken: true,
      clientSecretExpiresAt: '2027-01-10T00:00:00.000Z',
      clientSecretDaysLeft: 222,
      nextDeadline: { kind: 'client_secret', at: '2027-01-10T00:00:00.000Z' },
      warnings: [],
    });

    const probe = nock('https://eu.daas.api.hp.com')
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`)
      .reply(200, { resources: [] });
    await browser.get('/connections/hp-acme');
    const check = await browser.post('/connections/hp-acme/validate');
    probe.done();
    expect(text(check.body)).toContain('Conexión válida');

    // A probe answering 404 (wrong API base or path) is a misconfiguration, not bad credentials.
    const missing = nock('https://eu.daas.api.hp.com').get('/analytics/v1/identity/tenants').reply(404, {});
    await browser.get('/connections/hp-acme');
    const misconfigured = await browser.post('/connections/hp-acme/validate');
    missing.done();
    expect(misconfigured.status).toBe(200);
    const advice = text(misconfigured.body);
    expect(advice).toContain('Configuración del host o del proveedor');
    expect(misconfigured.body).toContain(
      'Llamada de prueba: HTTP 404 (<code>https://eu.daas.api.hp.com/analytics/v1/identity/tenants</code>)',
    );
    expect(advice).toContain('revise la URL base de la API');

    const shown = [page.body, status.body, check.body, ...logger.lines()].join('\n');
    for (const secret of [HP_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, CODE, PASSWORD])
      expect(shown).not.toContain(secret);
    expect(logger.lines()).toContain(
      JSON.stringify({
        level: 'info',
        message: 'request',
        fields: { method: 'GET', path: '/oauth/callback', status: 200 },
      }),
    );
    expect(logger.entries.filter((e) => e.message === 'audit').map((e) => e.fields?.['action'])).toEqual([
      'sign_in',
      'authorize.start',
      'authorize.complete',
      'validate',
      'validate',
    ]);
  });
});

describe('reference host: LeanCore (client credentials) and the API', () => {
  it('Validar conexión obtains a token with HTTP Basic; the API lists every connection', async () => {
    const token = nock('https://auth.leancore.co')
      .post('/oauth2/token', 'grant_type=client_credentials')
      .matchHeader('authorization', `Basic ${Buffer.from(`refHostUser:${LC_PASSWORD}`).toString('base64')}`)
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });
    const browser = new Browser(base);
    await browser.signInAsOperator();
    await browser.get('/connections/lc');
    const check = await browser.post('/connections/lc/validate');
    token.done();
    expect(text(check.body)).toContain('Conexión válida');
    const page = await browser.get('/connections/lc');
    expect(page.body).not.toContain('/connections/lc/authorize'); // client credentials: nothing to authorize
    const api = JSON.parse((await browser.get('/api/connections')).body) as {
      ok: boolean;
      connections: Record<string, unknown>[];
    };
    expect(api.ok).toBe(true);
    expect(api.connections.map((c) => [c['connection'], c['state']])).toEqual([
      ['hp-acme', 'not_authorized'],
      ['lc', 'active'],
    ]);
    expect((await browser.get('/api/connections/nope/status')).status).toBe(404);
    expect((await browser.send('POST', '/api/connections')).status).toBe(405);
    expect(JSON.stringify(api)).not.toContain(ACCESS_TOKEN);
  });
});

describe('reference host: start-up', () => {
  it('refuses a seed whose credentials are invalid, or whose connector is not loaded', async () => {
    const console = { operators: [{ username: 'ana', passwordHash }] };
    await expect(
      createReferenceHost({
        connectorPackages: ['@aic/provider-leancore'],
        connections: [{ id: 'x', connector: 'leancore', credentials: { username: 'u' } }],
        console,
      }),
    ).rejects.toMatchObject({ code: 'ERR_INVALID_CREDENTIALS' });
    await expect(
      createReferenceHost({
        connectorPackages: [],
        connections: [{ id: 'x', connector: 'leancore', credentials: {} }],
        console,
      }),
    ).rejects.toMatchObject({ code: 'ERR_CONFIGURATION' });
  });

  it('refuses to start without operators', async () => {
    await expect(createReferenceHost({ connectorPackages: [], console: {} })).rejects.toMatchObject({
      code: 'ERR_CONSOLE_CONFIG',
      message: 'no operators: give "operators" (with password hashes) or "trustedProxy"',
    });
  });

  it('applies the endpoint policy flag: loopback endpoints only in development mode', async () => {
    const credentials = {
      username: 'u',
      password: LC_PASSWORD,
      environment: 'sandbox',
      endpoints: { token: 'http://127.0.0.1:9/oauth2/token', apiBase: 'http://127.0.0.1:9' },
    };
    for (const development of [false, true]) {
      const other = await createReferenceHost({
        connectorPackages: ['@aic/provider-leancore'],
        connections: [{ id: 'local', connector: 'leancore', credentials }],
        console: { operators: [{ username: 'ana', passwordHash }], secureCookies: false },
        endpoints: { development },
      });
      const otherBase = await other.listen(0);
      try {
        const browser = new Browser(otherBase);
        await browser.signInAsOperator();
        const status = JSON.parse((await browser.get('/api/connections/local/status')).body) as Record<
          string,
          unknown
        >;
        if (development) expect(status).toMatchObject({ ok: true, state: 'not_authorized' });
        else expect(status).toMatchObject({ ok: false, error: { code: 'ERR_ENDPOINT_NOT_ALLOWED' } });
      } finally {
        await other.close();
      }
    }
  });
});

describe('loadHostConfig', () => {
  let dir: string;
  beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'aic-ref-host-'))));
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it('reads connections, credentials files, the store key and the console settings, relative to the file', async () => {
    const key = generateStoreKey();
    await writeFile(join(dir, 'store.key'), key.toString('hex'));
    await writeFile(join(dir, 'lc.json'), JSON.stringify({ username: 'u', password: LC_PASSWORD }));
    await writeFile(
      join(dir, 'host.json'),
      JSON.stringify({
        listen: { port: 9090 },
        connectors: ['@aic/provider-leancore', './vendor/acme-connector'],
        store: { type: 'file', path: 'data/tokens.enc', keyFile: 'store.key' },
        console: {
          operators: [{ username: 'ana', passwordHash }],
          connectionsFile: 'data/connections.enc',
          secureCookies: false,
          timeZone: 'America/Bogota',
        },
        endpoints: { development: true },
        connections: [{ id: 'lc', connector: 'leancore', credentialsFile: 'lc.json' }],
      }),
    );
    const config = await loadHostConfig(join(dir, 'host.json'), {});
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 9090,
      connectorPackages: ['@aic/provider-leancore', join(dir, 'vendor', 'acme-connector')],
      store: { type: 'file', path: join(dir, 'data', 'tokens.enc'), key },
      console: {
        operators: [{ username: 'ana', passwordHash }],
        trustedProxy: undefined,
        connectionsFile: { path: join(dir, 'data', 'connections.enc'), key },
        secureCookies: false,
        timeZone: 'America/Bogota',
        basePath: undefined,
      },
      endpoints: { development: true, allowedOrigins: [] },
      connections: [
        { id: 'lc', connector: 'leancore', credentials: { username: 'u', password: LC_PASSWORD } },
      ],
    });
    // The sealed connections file opens with that key.
    const repository = new SealedFileConnectionRepository({
      path: config.console.connectionsFile!.path,
      keys: { current: key },
    });
    expect(await repository.list()).toEqual([]);
  });

  it('keeps tokens in SQLite by default (./data/tokens.db, key from AIC_STORE_KEY), sharing its token request limit', async () => {
    const key = generateStoreKey();
    await writeFile(
      join(dir, 'host.json'),
      JSON.stringify({
        connectors: ['@aic/provider-leancore'],
        console: { operators: [{ username: 'ana', passwordHash }] },
        connections: [],
      }),
    );
    await expect(loadHostConfig(join(dir, 'host.json'), {})).rejects.toThrow(
      'the sqlite store needs "keyFile" or AIC_STORE_KEY (create one with: aic key generate --out store.key)',
    );
    const config = await loadHostConfig(join(dir, 'host.json'), { AIC_STORE_KEY: key.toString('base64') });
    expect(config.store).toEqual({ type: 'sqlite', path: join(dir, 'data', 'tokens.db'), key });
    const stores = await openHostStores(config.store);
    try {
      expect(stores.tokenStore).toBeInstanceOf(SqliteTokenStore);
      expect(stores.tokenLimiter).toBeInstanceOf(SqliteTokenRequestLimiter);
      await stores.tokenStore.set('leancore\u001flc', { status: 'active', updatedAt: 1 });
      const started = await createReferenceHost(
        hostOptionsFrom(config, {
          tokenStore: stores.tokenStore,
          pendingStore: stores.pendingStore,
          tokenLimiter: stores.tokenLimiter,
        }),
      );
      expect(started.registry.list().map((c) => c.manifest.id)).toEqual(['leancore']);
      await started.close();
    } finally {
      await stores.close();
    }
    const reopened = new SqliteTokenStore({ path: join(dir, 'data', 'tokens.db'), keys: { current: key } });
    expect(await reopened.get('leancore\u001flc')).toEqual({ status: 'active', updatedAt: 1, version: 1 });
    reopened.close();
  });

  it('needs a key for the connections file, and says so', async () => {
    await writeFile(
      join(dir, 'host.json'),
      JSON.stringify({ connectors: [], store: { type: 'memory' }, console: { connectionsFile: 'c.enc' } }),
    );
    await expect(loadHostConfig(join(dir, 'host.json'), {})).rejects.toThrow(
      'the console\'s connections file holds client secrets sealed with a key: give "console.keyFile", the store\'s key, or AIC_STORE_KEY',
    );
    const config = await loadHostConfig(join(dir, 'host.json'), {
      AIC_STORE_KEY: generateStoreKey().toString('hex'),
    });
    expect(config.console.connectionsFile?.path).toBe(join(dir, 'c.enc'));
    expect(config.console.secureCookies).toBe(true); // the default
  });

  it('the documented example configuration starts once its operator has a real hash', async () => {
    const example = JSON.parse(
      await readFile(new URL('../aic-host.example.json', import.meta.url), 'utf8'),
    ) as {
      console: Record<string, unknown>;
      connections: { credentialsFile: string }[];
    };
    const exampleDir = fileURLToPath(new URL('..', import.meta.url));
    const write = (operators: unknown) =>
      writeFile(
        join(dir, 'host.json'),
        JSON.stringify({
          ...example,
          store: { type: 'memory' },
          console: { ...example.console, connectionsFile: undefined, operators },
          connections: example.connections.map((c) => ({
            ...c,
            credentialsFile: join(exampleDir, c.credentialsFile),
          })),
        }),
      );
    await write(example.console['operators']);
    const placeholder = await loadHostConfig(join(dir, 'host.json'), {});
    await expect(createReferenceHost(hostOptionsFrom(placeholder))).rejects.toThrow(
      /operator admin: not a scrypt password hash/,
    );
    await write([{ username: 'admin', passwordHash }]);
    const started = await createReferenceHost(
      hostOptionsFrom(await loadHostConfig(join(dir, 'host.json'), {})),
    );
    expect(started.registry.list().map((c) => c.manifest.id)).toEqual([
      'hp-techpulse',
      'abbyy-vantage',
      'leancore',
    ]);
    expect((await started.connections.list()).map((c) => c.id)).toEqual(['hp-acme', 'leancore-sandbox']);
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
