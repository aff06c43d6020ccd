/**
 * The CLI with its real built-in connector packages (loaded from their built `dist`, as an
 * installed `aic` loads them; the test command runs `tsc -b` first), providers scripted with nock.
 */
import nock from 'nock';
import { codeChallengeS256 } from '@aic/connector-core';
import { run } from '../src/run.js';
import {
  ACCESS_TOKEN,
  AUTH_CODE,
  REFRESH_TOKEN,
  STORE_KEY,
  TEST_ZONE,
  Workspace,
  assertNoPendingMocks,
  browserGet,
  expectNoSecrets,
  freePort,
} from './helpers.js';

const HP = 'https://daas.api.hp.com';
const HP_SECRET = 'hp-cli-secret-3d9f0b2a77';
const LEANCORE_PASSWORD = 'lcPassw0rdForCliTests';

let ws: Workspace;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^127\.0\.0\.1(:\d+)?$/);
});
afterAll(() => nock.enableNetConnect());
beforeEach(async () => {
  ws = await Workspace.create();
  ws.env = { AIC_STORE: 'file', AIC_STORE_KEY: STORE_KEY, LANG: 'en', TZ: TEST_ZONE };
});
afterEach(async () => {
  assertNoPendingMocks();
  await ws.dispose();
});

/** `aic` exactly as installed: the default built-in connector packages. */
const aic = async (argv: string[], io = ws.io()) => ({
  code: await run(argv, io, { clock: ws.clock }),
  io,
});

describe('built-in connectors', () => {
  it('loads the three provider packages of the repository by default', async () => {
    const { code, io } = await aic(['connectors', '--json']);
    expect(code).toBe(0);
    const listed = io.json<{ connectors: { id: string; grant: string; package: { name: string } }[] }>()
      .connectors;
    expect(listed.map((c) => [c.id, c.grant, c.package.name])).toEqual([
      ['hp-techpulse', 'authorization_code', '@aic/provider-hp-techpulse'],
      ['abbyy-vantage', 'authorization_code', '@aic/provider-abbyy-vantage'],
      ['leancore', 'client_credentials', '@aic/provider-leancore'],
    ]);
  });

  it('HP TechPulse: connect through the loopback listener, then "Validar conexión"', async () => {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    await ws.file('hp.json', {
      clientId: 'HpCliClient01',
      clientSecret: HP_SECRET,
      clientSecretCreatedAt: '2026-01-10',
      redirectUri,
      region: 'us',
    });
    const io = ws.io();
    const done = aic(['connect', 'hp-techpulse', '--connection', 'hp-acme', '--credentials', 'hp.json'], io);
    const [printed] = await io.waitFor(/https:\/\/daas\.api\.hp\.com\/oauth\/v1\/authorize\?\S+/);
    const url = new URL(printed);
    expect(url.searchParams.get('scope')).toBe('Read');
    const exchange = nock(HP)
      .post(
        '/oauth/v1/token',
        new URLSearchParams({
          grant_type: 'authorization_code',
          code: AUTH_CODE,
          redirect_uri: redirectUri,
          client_id: 'HpCliClient01',
          client_secret: HP_SECRET,
        }).toString(),
      )
      .reply(200, {
        access_token: ACCESS_TOKEN,
        token_type: 'Bearer',
        expires_in: 1799999,
        refresh_token: REFRESH_TOKEN,
      });
    const page = await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=${url.searchParams.get('state')!}`);
    expect(page.status).toBe(200);
    expect((await done).code).toBe(0);
    exchange.done();
    expect(io.out).toContain('  Access token: expires in 30 min (7:29 AM GMT-5)\n');

    const probe = nock(HP)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`)
      .reply(200, { totalResults: 0, resources: [] });
    const check = await aic(['check', 'hp-acme', '--json']);
    probe.done();
    expect(check.code).toBe(0);
    expect(check.io.json()).toMatchObject({
      ok: true,
      outcome: 'ok',
      probeStatus: 200,
      connector: 'hp-techpulse',
    });
    expectNoSecrets(io.all + page.body + check.io.all, [HP_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, AUTH_CODE]);
  });

  it('ABBYY Vantage: PKCE with a pasted callback; the 30-day reauthorization deadline is shown', async () => {
    const redirectUri = 'https://aic.example.com/oauth/callback';
    await ws.file('abbyy.json', {
      clientId: 'AbbyyCliClient',
      clientSecret: HP_SECRET,
      redirectUri,
      region: 'eu',
    });
    const io = ws.io();
    const done = aic(
      ['connect', 'abbyy-vantage', '--connection', 'vantage', '--credentials', 'abbyy.json'],
      io,
    );
    const [printed] = await io.waitFor(/https:\/\/vantage-eu\.abbyy\.com\/auth2\/connect\/authorize\?\S+/);
    await io.waitFor(/paste here the full URL/);
    const url = new URL(printed);
    let body = new URLSearchParams();
    const exchange = nock('https://vantage-eu.abbyy.com')
      .post('/auth2/connect/token', (form: Record<string, string>) => {
        body = new URLSearchParams(form);
        return true;
      })
      .reply(200, {
        access_token: ACCESS_TOKEN,
        token_type: 'Bearer',
        expires_in: 86400,
        refresh_token: REFRESH_TOKEN,
        id_token: 'header.payload.signature',
      });
    io.type(`${redirectUri}?code=${AUTH_CODE}&state=${url.searchParams.get('state')!}`);
    expect((await done).code).toBe(0);
    exchange.done();
    expect(codeChallengeS256(body.get('code_verifier')!)).toBe(url.searchParams.get('code_challenge'));
    expect(body.get('scope')).toContain('offline_access');
    expect(io.out).toContain('  Authorize again: before July 1, 2026 at 7:00 AM GMT-5 (in 30 days)\n');
    expectNoSecrets(io.all, [HP_SECRET, ACCESS_TOKEN, REFRESH_TOKEN, AUTH_CODE, body.get('code_verifier')!]);
  });

  it('LeanCore: client credentials with HTTP Basic; check needs no probe call', async () => {
    await ws.file('lc.json', {
      username: 'lcCliClient',
      password: LEANCORE_PASSWORD,
      environment: 'sandbox',
    });
    const token = nock('https://auth.leancore.co')
      .post('/oauth2/token', 'grant_type=client_credentials')
      .matchHeader(
        'authorization',
        `Basic ${Buffer.from(`lcCliClient:${LEANCORE_PASSWORD}`).toString('base64')}`,
      )
      .reply(200, { access_token: ACCESS_TOKEN, token_type: 'Bearer', expires_in: 3600 });
    const connect = await aic([
      'connect',
      'leancore',
      '--connection',
      'lc',
      '--credentials',
      'lc.json',
      '--json',
    ]);
    token.done();
    expect(connect.code).toBe(0);
    expect(connect.io.json()).toEqual({
      ok: true,
      connection: 'lc',
      connector: 'leancore',
      grant: 'client_credentials',
      accessTokenExpiresAt: '2026-06-01T13:00:00.000Z',
      hasRefreshToken: false,
      warnings: [],
    });
    const check = await aic(['check', 'lc']);
    expect(check.code).toBe(0);
    expect(check.io.out.split('\n')[0]).toBe('✔ Connection is valid.');
    expectNoSecrets(connect.io.all + check.io.all, [LEANCORE_PASSWORD, ACCESS_TOKEN]);
  });
});
