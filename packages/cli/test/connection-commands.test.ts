import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import {
  ACCESS_TOKEN,
  AUTH_CODE,
  CODE_SECRET,
  REFRESH_TOKEN,
  STORE_KEY,
  type Workspace,
  codeCredentials,
  expectNoSecrets,
  tokenResponse,
} from './helpers.js';
import { ACME, connectArgv, runScripted, startConnect } from './support/connect-flow.js';
import { closeWorkspace, fileStoreWorkspace } from './support/workspace.js';

const AUTH = 'https://auth.cli.test';
const API = 'https://api.cli.test';
const REDIRECT = 'https://aic.example.com/oauth/callback';
const BASIC = `Basic ${Buffer.from(`code-client:${CODE_SECRET}`).toString('base64')}`;

let ws: Workspace;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => (ws = await fileStoreWorkspace('es')));
afterEach(() => closeWorkspace(ws));

/** `aic connect` end to end (pasted callback), leaving connection `acme` authorized in the file store. */
async function connectAcme(
  credentials: Record<string, string> = {},
  token: Record<string, unknown> = {},
): Promise<void> {
  await ws.file('code.json', { ...codeCredentials(REDIRECT), ...credentials });
  const { io, done, state } = await startConnect(ws, connectArgv('fixture-code', 'acme', 'code.json'));
  await io.waitFor(/pegue aquí/);
  const scope = nock(AUTH).post('/token').reply(200, tokenResponse(token));
  io.type(`${REDIRECT}?code=${AUTH_CODE}&state=${state}`);
  const { code } = await done;
  scope.done();
  if (code !== 0) throw new Error(`connect failed: ${io.all}`);
}

const probe = (token = ACCESS_TOKEN) =>
  nock(API).get('/v1/me').matchHeader('authorization', `Bearer ${token}`);

describe('aic status', () => {
  it('shows state, deadlines and warnings without network calls', async () => {
    await connectAcme({ clientSecretCreatedAt: '2025-06-15' });
    const text = await ws.run(['status', 'acme']);
    expect(text.code).toBe(0);
    expect(text.io.out).toBe(
      [
        'Conexión «acme» (fixture-code)',
        '  Estado: activa',
        '  Token de acceso: vence en 1 h (8:00 GMT-5)',
        '  Token de actualización: sí',
        '  Secreto de cliente: vence el 15 de junio de 2026 (dentro de 13 días)',
        'Avisos:',
        '  ! El secreto de cliente vence en 13 días (2026-06-15): renuévelo pronto.',
        '',
      ].join('\n'),
    );
    const json = await ws.run(['status', 'acme', '--json']);
    expect(json.io.json()).toEqual({
      ok: true,
      ...ACME,
      state: 'active',
      accessTokenExpiresAt: '2026-06-01T13:00:00.000Z',
      hasRefreshToken: true,
      clientSecretExpiresAt: '2026-06-15T00:00:00.000Z',
      clientSecretDaysLeft: 13,
      nextDeadline: { kind: 'client_secret', at: '2026-06-15T00:00:00.000Z' },
      warnings: [
        {
          code: 'client_secret_expiring',
          at: '2026-06-15T00:00:00.000Z',
          message: {
            es: 'El secreto de cliente vence en 13 días (2026-06-15): renuévelo pronto.',
            en: 'The client secret expires in 13 days (2026-06-15): rotate it soon.',
          },
        },
      ],
    });
    expectNoSecrets(text.io.all + json.io.all);
  });

  it('--utc shows the raw ISO 8601 instants; English reads the same facts', async () => {
    await connectAcme({ clientSecretCreatedAt: '2025-06-15' });
    const utc = await ws.run(['status', 'acme', '--utc', '--lang', 'en']);
    expect(utc.io.out.split('\n').slice(1, 5)).toEqual([
      '  State: active',
      '  Access token: expires 2026-06-01T13:00:00.000Z',
      '  Refresh token: yes',
      '  Client secret: expires 2026-06-15T00:00:00.000Z',
    ]);
    const local = await ws.run(['status', 'acme', '--lang', 'en']);
    expect(local.io.out.split('\n').slice(1, 5)).toEqual([
      '  State: active',
      '  Access token: expires in 1 hr (8:00 AM GMT-5)',
      '  Refresh token: yes',
      '  Client secret: expires on June 15, 2026 (in 13 days)',
    ]);
  });

  it('explains a lapsed access token that will renew itself on the next call', async () => {
    await connectAcme();
    ws.clock.advance(3 * 3600_000);
    const es = await ws.run(['status', 'acme']);
    expect(es.io.out.split('\n').slice(1, 3)).toEqual([
      '  Estado: activa; el token de acceso venció y se renovará solo en la próxima llamada',
      '  Token de acceso: venció hace 2 h (8:00 GMT-5)',
    ]);
    const en = await ws.run(['status', 'acme', '--lang', 'en']);
    expect(en.io.out.split('\n').slice(1, 3)).toEqual([
      '  State: active; the access token expired and will renew itself on the next call',
      '  Access token: expired 2 hr ago (8:00 AM GMT-5)',
    ]);
    // --json keeps the facts; the state is still active (no person needs to act).
    expect((await ws.run(['status', 'acme', '--json'])).io.json()).toMatchObject({
      state: 'active',
      accessTokenExpiresAt: '2026-06-01T13:00:00.000Z',
      hasRefreshToken: true,
    });
  });

  it('a lapsed access token without a refresh token needs a person: the state says so', async () => {
    await connectAcme({}, { refresh_token: undefined });
    const fresh = await ws.run(['status', 'acme', '--json']);
    expect(fresh.io.json()).toMatchObject({
      state: 'active',
      hasRefreshToken: false,
      nextDeadline: { kind: 'access_token', at: '2026-06-01T13:00:00.000Z' },
    });
    ws.clock.advance(2 * 3600_000);
    const { io } = await ws.run(['status', 'acme']);
    expect(io.out.split('\n')[1]).toBe(
      '  Estado: activa; el token de acceso venció y no se puede renovar: autorice de nuevo (aic connect)',
    );
  });

  it('an unknown connection is a usage error (exit 2) that says how to create it', async () => {
    const { code, io } = await ws.run(['status', 'nope', '--lang', 'en']);
    expect(code).toBe(2);
    expect(io.err).toBe(
      `Error [ERR_UNKNOWN_CONNECTION]: No connection “nope” in ${join(ws.dir, '.aic', 'connections.json')}: create it with “aic connect <connector> --connection nope --credentials <file>”.\n`,
    );
  });

  it('a missing store key exits 2 and explains how to create one', async () => {
    ws.env = { AIC_STORE: 'file', LANG: 'en' };
    const { code, io } = await ws.run(['status', 'acme']);
    expect(code).toBe(2);
    expect(io.err).toBe(
      `Error [ERR_STORE_KEY]: The encrypted store ${join(ws.dir, '.aic', 'tokens.enc')} needs a key. Create one with “aic key generate --out .aic/store.key” and pass it with --key-file, or set AIC_STORE_KEY (32 bytes, base64 or hex).\n`,
    );
  });

  it('--key-file - reads the store key from standard input (never from the command line)', async () => {
    await connectAcme();
    ws.env = { ...ws.env, AIC_STORE_KEY: undefined };
    const io = ws.io();
    io.type(STORE_KEY);
    const { code } = await ws.run(['status', 'acme', '--json', '--key-file', '-'], io);
    expect(code).toBe(0);
    expect(io.json()).toMatchObject({ state: 'active', hasRefreshToken: true });
    const empty = ws.io();
    empty.type(undefined);
    const refused = await ws.run(['status', 'acme', '--key-file', '-', '--lang', 'en'], empty);
    expect(refused.code).toBe(2);
    expect(refused.io.err).toMatch(
      /^Error \[ERR_STORE_KEY\]: Store key: --key-file - expects the secret on the first line of standard input, which was empty\./,
    );
    expectNoSecrets(io.all + refused.io.all);
  });

  it('the wrong key is a store failure (exit 1), never an empty store', async () => {
    await connectAcme();
    ws.env = { ...ws.env, AIC_STORE_KEY: Buffer.alloc(32, 9).toString('hex') };
    const { code, io } = await ws.run(['status', 'acme', '--json']);
    expect(code).toBe(1);
    expect(io.json<{ error: { code: string } }>().error.code).toBe('ERR_STORE_FAILURE');
    expectNoSecrets(io.all);
  });
});

describe('aic check', () => {
  it('ok: gets the stored token and makes the probe call (exit 0)', async () => {
    await connectAcme();
    const scope = probe().reply(200, { id: 'me' });
    const { code, io } = await runScripted(ws, scope, ['check', 'acme', '--json', '--lang', 'en']);
    expect(code).toBe(0);
    expect(io.json()).toEqual({
      ok: true,
      ...ACME,
      outcome: 'ok',
      message: { es: 'Conexión válida.', en: 'Connection is valid.' },
      probeStatus: 200,
      probeUrl: `${API}/v1/me`,
      status: {
        ...ACME,
        state: 'active',
        accessTokenExpiresAt: '2026-06-01T13:00:00.000Z',
        hasRefreshToken: true,
        warnings: [],
      },
    });
  });

  it('refreshes an expired token with HTTP Basic before the probe', async () => {
    await connectAcme();
    ws.clock.advance(3600_000);
    const refresh = nock(AUTH)
      .post('/token', `grant_type=refresh_token&refresh_token=${REFRESH_TOKEN}`)
      .matchHeader('authorization', BASIC)
      .reply(200, tokenResponse({ access_token: `${ACCESS_TOKEN}-2`, refresh_token: `${REFRESH_TOKEN}-2` }));
    const api = probe(`${ACCESS_TOKEN}-2`).reply(200, {});
    const { code, io } = await ws.run(['check', 'acme']);
    refresh.done();
    api.done();
    expect(code).toBe(0);
    expect(io.out).toMatch(/^✔ Conexión válida\.\n {2}Llamada de prueba: HTTP 200\n/);
    expectNoSecrets(io.all, [`${ACCESS_TOKEN}-2`, `${REFRESH_TOKEN}-2`, CODE_SECRET]);
  });

  it('a refresh answered invalid_grant means reauthorize (exit 4), and status remembers it', async () => {
    await connectAcme();
    ws.clock.advance(3600_000);
    const refresh = nock(AUTH).post('/token').reply(400, { error: 'invalid_grant' });
    const { code, io } = await ws.run(['check', 'acme', '--json']);
    refresh.done();
    expect(code).toBe(4);
    const verdict = io.json<{ ok: boolean; outcome: string; error: { code: string } }>();
    expect(verdict).toMatchObject({
      ok: false,
      outcome: 'reauthorize',
      error: { code: 'ERR_REAUTHORIZATION_REQUIRED' },
    });
    const status = await ws.run(['status', 'acme', '--json']);
    expect(status.io.json()).toMatchObject({
      state: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
    });
  });

  it('a provider that keeps failing is provider_down (exit 5)', async () => {
    await connectAcme();
    const scope = probe().times(2).reply(503);
    const { code, io } = await runScripted(ws, scope, ['check', 'acme']);
    expect(code).toBe(5);
    expect(io.out).toMatch(/^✘ /);
  });

  it('a probe answered 404 is misconfigured (exit 6): the message names the URL, not the credentials', async () => {
    await connectAcme();
    const scope = probe().reply(404, { error: 'not_found' });
    const { code, io } = await runScripted(ws, scope, ['check', 'acme', '--json']);
    expect(code).toBe(6);
    expect(io.json()).toMatchObject({
      ok: false,
      outcome: 'misconfigured',
      probeStatus: 404,
      probeUrl: `${API}/v1/me`,
      message: {
        en: `The token was issued, but the probe call to ${API}/v1/me answered HTTP 404: the path does not exist on that API: check the API base URL (region, “endpoints.apiBase”) and the connector's validation path.`,
      },
      error: { code: 'ERR_CHECK_FAILED' },
    });
    const text = await runScripted(ws, probe().reply(405), ['check', 'acme']);
    expect(text.code).toBe(6);
    expect(text.io.out.split('\n')[0]).toBe(
      `✘ El token es válido, pero la llamada de prueba a ${API}/v1/me respondió HTTP 405: esa URL no acepta el método de la llamada de prueba: revise la URL base de la API y la ruta de validación del conector.`,
    );
    expect(text.io.out).not.toMatch(/credenciales inválidas/i);
  });

  it('a probe answered 403 is bad credentials (exit 3) with ERR_CHECK_FAILED', async () => {
    await connectAcme();
    const scope = probe().reply(403);
    const { code, io } = await runScripted(ws, scope, ['check', 'acme', '--json']);
    expect(code).toBe(3);
    expect(io.json()).toMatchObject({
      ok: false,
      outcome: 'bad_credentials',
      probeStatus: 403,
      error: { code: 'ERR_CHECK_FAILED' },
    });
  });
});

describe('aic token', () => {
  it('shows only the expiry and a masked form without --reveal', async () => {
    await connectAcme();
    const { code, io } = await ws.run(['token', 'acme']);
    expect(code).toBe(0);
    expect(io.out).toBe(
      `Token de acceso: …${ACCESS_TOKEN.slice(-4)} (${ACCESS_TOKEN.length} caracteres); vence en 1 h (8:00 GMT-5)\n`,
    );
    expect(io.err).toBe('El token no se muestra: use --reveal para imprimirlo.\n');
    expectNoSecrets(io.all);
    const json = await ws.run(['token', 'acme', '--json']);
    expect(json.io.json()).toEqual({
      ok: true,
      ...ACME,
      tokenType: 'Bearer',
      expiresAt: '2026-06-01T13:00:00.000Z',
      masked: `…${ACCESS_TOKEN.slice(-4)}`,
      length: ACCESS_TOKEN.length,
    });
    expectNoSecrets(json.io.all);
  });

  it('--reveal prints the token alone on stdout (and in the JSON document)', async () => {
    await connectAcme();
    const text = await ws.run(['token', 'acme', '--reveal']);
    expect(text.io.out).toBe(`${ACCESS_TOKEN}\n`);
    expect(text.io.err).toBe('vence en 1 h (8:00 GMT-5)\n');
    const utc = await ws.run(['token', 'acme', '--reveal', '--utc']);
    expect(utc.io.err).toBe('vence 2026-06-01T13:00:00.000Z\n');
    const json = await ws.run(['token', 'acme', '--reveal', '--json']);
    expect(json.io.json()).toMatchObject({ ok: true, accessToken: ACCESS_TOKEN });
    expectNoSecrets(text.io.all + json.io.all + utc.io.err, [CODE_SECRET, REFRESH_TOKEN, AUTH_CODE]);
  });

  it('--force-refresh renews a fresh token', async () => {
    await connectAcme();
    const refresh = nock(AUTH)
      .post('/token', `grant_type=refresh_token&refresh_token=${REFRESH_TOKEN}`)
      .matchHeader('authorization', BASIC)
      .reply(200, tokenResponse({ access_token: `${ACCESS_TOKEN}-new`, expires_in: 7200 }));
    const { code, io } = await ws.run(['token', 'acme', '--force-refresh', '--json']);
    refresh.done();
    expect(code).toBe(0);
    expect(io.json()).toMatchObject({ expiresAt: '2026-06-01T14:00:00.000Z', masked: '…-new' });
  });
});

describe('aic request', () => {
  it('GET with query parameters prints status (stderr) and body (stdout)', async () => {
    await connectAcme();
    const scope = nock(API)
      .get('/v1/things')
      .query({ page: '2', filter: 'a b' })
      .matchHeader('authorization', `Bearer ${ACCESS_TOKEN}`)
      .reply(200, { items: [1, 2] });
    const { code, io } = await runScripted(ws, scope, [
      'request',
      'acme',
      'get',
      '/things',
      '--query',
      'page=2',
      '--query',
      'filter=a b',
    ]);
    expect(code).toBe(0);
    expect(io.err).toBe('HTTP 200\n');
    expect(io.out).toBe('{"items":[1,2]}\n');
    expectNoSecrets(io.all);
  });

  it('POST --data sends JSON; --json prints status and the parsed body', async () => {
    await connectAcme();
    await ws.file('body.json', { name: 'x', n: 1 });
    const scope = nock(API)
      .post('/v1/things', { name: 'x', n: 1 })
      .matchHeader('content-type', 'application/json')
      .matchHeader('x-trace', 'abc')
      .reply(201, { id: 7 }, { 'content-type': 'application/json' });
    const { code, io } = await runScripted(ws, scope, [
      'request',
      'acme',
      'POST',
      '/things',
      '--data',
      '@body.json',
      '--header',
      'X-Trace: abc',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(io.json()).toEqual({
      ok: true,
      ...ACME,
      status: 201,
      contentType: 'application/json',
      body: { id: 7 },
    });
  });

  it('an HTTP error status exits 1 with ERR_HTTP_STATUS', async () => {
    await connectAcme();
    const scope = nock(API).delete('/v1/things/9').reply(404, 'no such thing');
    const { code, io } = await runScripted(ws, scope, ['request', 'acme', 'DELETE', '/things/9', '--json']);
    expect(code).toBe(1);
    expect(io.json()).toEqual({
      ok: false,
      ...ACME,
      status: 404,
      body: 'no such thing',
      error: {
        code: 'ERR_HTTP_STATUS',
        message: { es: 'La API respondió HTTP 404.', en: 'The API answered HTTP 404.' },
      },
    });
  });

  it('refuses an absolute URL (the token only goes to the API base) and bad input, before any call', async () => {
    await connectAcme();
    const foreign = await ws.run(['request', 'acme', 'GET', 'https://evil.example/steal']);
    expect(foreign.code).toBe(2);
    expect(foreign.io.err).toMatch(/^Error \[ERR_FOREIGN_ORIGIN\]/);
    const method = await ws.run(['request', 'acme', 'FETCH', '/x']);
    expect(method.code).toBe(2);
    const repeated = await ws.run(['request', 'acme', 'GET', '/x', '--query', 'a=1', '--query', 'a=2']);
    expect(repeated.code).toBe(2);
    expect(repeated.io.err).toContain('/ruta?a=a&a=b');
  });
});

describe('aic disconnect', () => {
  it('deletes the tokens and forgets the connection, even without its credentials file', async () => {
    await connectAcme();
    await rm(join(ws.dir, 'code.json'));
    const { code, io } = await ws.run(['disconnect', 'acme', '--json']);
    expect(code).toBe(0);
    expect(io.json()).toEqual({ ok: true, connection: 'acme' });
    expect((await ws.run(['status', 'acme'])).code).toBe(2);
    await connectAcme();
    const status = await ws.run(['status', 'acme', '--json']);
    expect(status.io.json()).toMatchObject({ state: 'active' });
  });
});
