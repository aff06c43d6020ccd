import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { codeChallengeS256 } from '@aic/connector-core';
import {
  AUTH_CODE,
  CLIENT_SECRET,
  CODE_SECRET,
  type Workspace,
  browserGet,
  clientCredentials,
  codeCredentials,
  expectNoSecrets,
  freePort,
  tokenResponse,
} from './helpers.js';
import { ACME, connectArgv, runScripted, startConnect } from './support/connect-flow.js';
import { closeWorkspace, fileStoreWorkspace } from './support/workspace.js';

const AUTH = 'https://auth.cli.test';

let ws: Workspace;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});
afterAll(() => nock.enableNetConnect());
beforeEach(async () => (ws = await fileStoreWorkspace('es_CO.UTF-8')));
afterEach(() => closeWorkspace(ws));

/** Starts `aic connect` on a loopback redirect URI and returns the authorization URL it printed. */
async function startLoopback(extra: string[] = []) {
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/callback`;
  await ws.file('code.json', codeCredentials(redirectUri));
  const started = await startConnect(ws, connectArgv('fixture-code', 'acme', 'code.json', ...extra));
  return { ...started, redirectUri };
}

/** Scripts the code exchange and records the verifier it carried. */
function scriptExchange(
  redirectUri: string,
  reply: [number, Record<string, unknown>] = [200, tokenResponse()],
) {
  const seen: { body?: string } = {};
  const scope = nock(AUTH)
    .post('/token', (body: string | Record<string, string>) => {
      seen.body = new URLSearchParams(body as Record<string, string>).toString();
      return true;
    })
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .reply(...reply);
  const expectedBody = (verifier: string): string =>
    new URLSearchParams({
      grant_type: 'authorization_code',
      code: AUTH_CODE,
      redirect_uri: redirectUri,
      code_verifier: verifier,
      client_id: 'code-client',
      client_secret: CODE_SECRET,
    }).toString();
  return { scope, seen, expectedBody };
}

describe('aic connect (authorization code, loopback listener)', () => {
  it('prints the URL, catches the redirect, exchanges the code with PKCE and stores the tokens', async () => {
    const { io, done, url, state, redirectUri } = await startLoopback();
    expect(url.origin + url.pathname).toBe(`${AUTH}/authorize`);
    expect(url.searchParams.get('client_id')).toBe('code-client');
    expect(url.searchParams.get('redirect_uri')).toBe(redirectUri);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('scope')).toBe('read');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    const exchange = scriptExchange(redirectUri);

    const page = await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=${state}`);
    expect(await done).toEqual({ code: 0, io });
    exchange.scope.done();
    const verifier = new URLSearchParams(exchange.seen.body).get('code_verifier')!;
    expect(codeChallengeS256(verifier)).toBe(url.searchParams.get('code_challenge'));
    expect(exchange.seen.body).toBe(exchange.expectedBody(verifier));

    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<h1>Autorización completada</h1>');
    expect(io.out).toBe(
      [
        'Abra esta URL en su navegador para autorizar la conexión «acme»:',
        url.href,
        'Conexión «acme» autorizada.',
        '  Token de acceso: vence en 1 h (8:00 GMT-5)',
        '  Token de actualización: sí',
        '',
      ].join('\n'),
    );
    const port = new URL(redirectUri).port;
    expect(io.err).toBe(
      `Esperando la redirección del navegador en ${redirectUri} (escuchando en 127.0.0.1:${port}; máximo 5 minutos)…\n`,
    );

    const connections = await readFile(join(ws.dir, '.aic', 'connections.json'), 'utf8');
    expect(JSON.parse(connections)).toEqual({
      acme: { connector: 'fixture-code', credentialsFile: join(ws.dir, 'code.json') },
    });
    const store = await readFile(join(ws.dir, '.aic', 'tokens.enc'), 'utf8');
    expectNoSecrets(io.all + page.body + connections + store);

    const status = await ws.run(['status', 'acme', '--json']);
    expect(status.code).toBe(0);
    expect(status.io.json()).toEqual({
      ok: true,
      ...ACME,
      state: 'active',
      accessTokenExpiresAt: '2026-06-01T13:00:00.000Z',
      hasRefreshToken: true,
      warnings: [],
    });
  });

  it('--json prints one document on stdout and the URL on stderr (English)', async () => {
    const { io, done, state, redirectUri } = await startLoopback(['--json', '--lang', 'en']);
    const exchange = scriptExchange(redirectUri);
    const page = await browserGet(`${redirectUri}?state=${state}&code=${AUTH_CODE}`);
    expect((await done).code).toBe(0);
    exchange.scope.done();
    expect(page.body).toContain('<h1>Authorization complete</h1>');
    expect(io.json()).toEqual({
      ok: true,
      ...ACME,
      grant: 'authorization_code',
      accessTokenExpiresAt: '2026-06-01T13:00:00.000Z',
      hasRefreshToken: true,
      warnings: [],
    });
    expect(io.err).toContain(
      'Open this URL in your browser to authorize connection “acme”:\nhttps://auth.cli.test/authorize?',
    );
    expectNoSecrets(io.all);
  });

  it('answers 401 to a callback whose state is not ours, makes no token request and keeps waiting', async () => {
    const { io, done, state, redirectUri } = await startLoopback(['--json']);
    const page = await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=forged-state`);
    expect(page.status).toBe(401);
    expect(page.body).toContain('<h1>Esta no es la redirección esperada</h1>');
    await io.waitFor(/Se ignoró una petición/);
    expect(io.out).toBe('');
    // Still listening: the real redirect completes the authorization.
    const exchange = scriptExchange(redirectUri);
    expect((await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=${state}`)).status).toBe(200);
    expect((await done).code).toBe(0);
    exchange.scope.done();
    expect(io.err).toContain(
      `Se ignoró una petición a ${redirectUri}: no trae el «state» de esta autorización (ERR_STATE_MISMATCH). Se sigue esperando la redirección de esta autorización.\n`,
    );
    expectNoSecrets(io.all + page.body);
  });

  it('reports the provider’s error=access_denied without calling the token endpoint (exit 4)', async () => {
    const { io, done, state, redirectUri } = await startLoopback(['--json', '--lang', 'en']);
    const page = await browserGet(`${redirectUri}?error=access_denied&state=${state}`);
    expect((await done).code).toBe(4);
    expect(page.status).toBe(400);
    expect(page.body).toContain('The user or the provider denied the authorization (access_denied).');
    expect(io.json()).toEqual({
      ok: false,
      error: {
        code: 'ERR_AUTHORIZATION_DENIED',
        message: {
          es: 'El usuario o el proveedor negó la autorización (access_denied).',
          en: 'The user or the provider denied the authorization (access_denied).',
        },
      },
    });
  });

  it('escapes provider text on the failure page', async () => {
    const { done, state, redirectUri } = await startLoopback();
    const page = await browserGet(
      `${redirectUri}?error=server_error&error_description=${encodeURIComponent('<script>alert(1)</script>')}&state=${state}`,
    );
    expect((await done).code).toBe(4);
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&#60;script&#62;alert(1)&#60;/script&#62;');
  });

  it('Ctrl-C while waiting cancels with ERR_ABORTED (exit 1) and frees the port', async () => {
    const controller = new AbortController();
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    await ws.file('code.json', codeCredentials(redirectUri));
    const io = ws.io(controller.signal);
    const done = ws.run(connectArgv('fixture-code', 'acme', 'code.json'), io);
    await io.waitFor(/Esperando la redirección/);
    controller.abort(new Error('SIGINT'));
    expect((await done).code).toBe(1);
    expect(io.err).toContain('Error [ERR_ABORTED]: La operación fue cancelada.');
    await expect(browserGet(redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('an expired code (invalid_grant) fails the authorization with a failure page (exit 4)', async () => {
    const { io, done, state, redirectUri } = await startLoopback();
    const exchange = scriptExchange(redirectUri, [
      400,
      { error: 'invalid_grant', error_description: `bad ${AUTH_CODE}` },
    ]);
    const page = await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=${state}`);
    expect((await done).code).toBe(4);
    exchange.scope.done();
    expect(page.status).toBe(400);
    expect(io.err).toMatch(/^Error \[ERR_INVALID_AUTHORIZATION_CODE\]: /m);
    expectNoSecrets(io.all + page.body);
  });

  it('gives up after --timeout with ERR_CALLBACK_TIMEOUT naming the redirect URI to check, and frees the port', async () => {
    const { io, done, redirectUri } = await startLoopback(['--timeout', '1']);
    expect((await done).code).toBe(4);
    expect(io.err.split('\n').at(-2)).toBe(
      `Error [ERR_CALLBACK_TIMEOUT]: No llegó la redirección del navegador en 1 segundo. ¿Está registrada exactamente ${redirectUri} en la aplicación del proveedor? Si no lo está, el proveedor muestra un error en el navegador en vez de redirigir. Ejecute aic connect de nuevo (o aumente --timeout).`,
    );
    await expect(browserGet(redirectUri)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('answers 404 to other paths and keeps waiting for the callback', async () => {
    const { done, state, redirectUri } = await startLoopback();
    const other = await browserGet(redirectUri.replace('/callback', '/favicon.ico'));
    expect(other.status).toBe(404);
    const exchange = scriptExchange(redirectUri);
    expect((await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=${state}`)).status).toBe(200);
    expect((await done).code).toBe(0);
    exchange.scope.done();
  });

  it('fails with ERR_CALLBACK_LISTEN (exit 1) when the redirect port is taken', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      await ws.file('code.json', codeCredentials(`http://127.0.0.1:${port}/callback`));
      const { code, io } = await ws.run(connectArgv('fixture-code', 'acme', 'code.json'));
      expect(code).toBe(1);
      expect(io.err).toContain('[ERR_CALLBACK_LISTEN]');
      expect(io.err).toContain('--paste');
      expect(io.out).toBe('');
    } finally {
      await new Promise((resolve) => busy.close(resolve));
    }
  });
});

describe('aic connect (pasted callback URL)', () => {
  it('reads the callback URL from stdin when the redirect URI is not loopback http', async () => {
    await ws.file('code.json', codeCredentials('https://aic.example.com/oauth/callback'));
    const { io, done, state } = await startConnect(ws, connectArgv('fixture-code', 'acme', 'code.json'));
    await io.waitFor(/pegue aquí la URL completa/);
    const exchange = scriptExchange('https://aic.example.com/oauth/callback');
    io.type(`  https://aic.example.com/oauth/callback?code=${AUTH_CODE}&state=${state}  `);
    expect((await done).code).toBe(0);
    exchange.scope.done();
    expect(io.out).toContain('Conexión «acme» autorizada.');
  });

  it('--paste reads stdin even with a loopback redirect URI; end of input is ERR_NO_CALLBACK (exit 4)', async () => {
    const port = await freePort();
    await ws.file('code.json', codeCredentials(`http://127.0.0.1:${port}/callback`));
    const io = ws.io();
    io.type(undefined);
    const { code } = await ws.run(connectArgv('fixture-code', 'acme', 'code.json', '--paste', '--json'), io);
    expect(code).toBe(4);
    expect(io.json<{ error: { code: string } }>().error.code).toBe('ERR_NO_CALLBACK');
    await expect(browserGet(`http://127.0.0.1:${port}/callback`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
  });
});

describe('aic connect (client secret past its expiry date)', () => {
  it('warns before the operator is sent to sign in, naming the date and what to update', async () => {
    // Created 2025-05-01, 365-day lifetime: expired on 2026-05-01, a month before "now".
    await ws.file('code.json', {
      ...codeCredentials('https://aic.example.com/oauth/callback'),
      clientSecretCreatedAt: '2025-05-01',
    });
    const file = join(ws.dir, 'code.json');
    const { io, done } = await startConnect(
      ws,
      connectArgv('fixture-code', 'acme', 'code.json', '--json', '--lang', 'en'),
    );
    io.type(undefined);
    expect((await done).code).toBe(4);
    const lines = io.err.split('\n');
    expect(lines[0]).toBe(
      `Warning: according to ${file}, the client secret expired on May 1, 2026 (31 days ago). If so, the provider will refuse this client (ERR_CLIENT_SECRET_EXPIRED): create a new secret in the provider's portal and update clientSecret and its date in the file before signing in.`,
    );
    expect(lines[1]).toBe('Open this URL in your browser to authorize connection “acme”:');
  });

  it('says nothing while the secret is valid; with --utc the date is the raw instant', async () => {
    await ws.file('fresh.json', {
      ...codeCredentials('https://aic.example.com/oauth/callback'),
      clientSecretCreatedAt: '2026-01-10',
    });
    const fresh = ws.io();
    fresh.type(undefined);
    await ws.run(connectArgv('fixture-code', 'fresh', 'fresh.json', '--json'), fresh);
    expect(fresh.err.split('\n')[0]).toBe(
      'Abra esta URL en su navegador para autorizar la conexión «fresh»:',
    );
    await ws.file('code.json', {
      ...codeCredentials('https://aic.example.com/oauth/callback'),
      clientSecretCreatedAt: '2025-05-30',
    });
    const io = ws.io();
    io.type(undefined);
    await ws.run(connectArgv('fixture-code', 'acme', 'code.json', '--utc'), io);
    expect(io.err.split('\n')[0]).toBe(
      `Aviso: según ${join(ws.dir, 'code.json')}, el secreto de cliente venció 2026-05-30T00:00:00.000Z. Si es así, el proveedor rechazará a este cliente (ERR_CLIENT_SECRET_EXPIRED): genere un secreto nuevo en el portal del proveedor y actualice clientSecret y su fecha en el archivo antes de iniciar sesión.`,
    );
  });
});

describe('aic connect (client credentials)', () => {
  it('obtains a token with HTTP Basic and reports its expiry, never the token', async () => {
    await ws.file('cc.json', clientCredentials());
    const scope = nock(AUTH)
      .post('/oauth2/token', 'grant_type=client_credentials')
      .matchHeader('authorization', `Basic ${Buffer.from(`cc-client:${CLIENT_SECRET}`).toString('base64')}`)
      .reply(200, tokenResponse({ refresh_token: undefined, expires_in: 1800 }));
    const { code, io } = await runScripted(
      ws,
      scope,
      connectArgv('fixture-client', 'lc', 'cc.json', '--json'),
    );
    expect(code).toBe(0);
    expect(io.json()).toEqual({
      ok: true,
      connection: 'lc',
      connector: 'fixture-client',
      grant: 'client_credentials',
      accessTokenExpiresAt: '2026-06-01T12:30:00.000Z',
      hasRefreshToken: false,
      warnings: [],
    });
    expectNoSecrets(io.all);
  });

  it('invalid_client from the provider exits 3', async () => {
    await ws.file('cc.json', clientCredentials());
    const scope = nock(AUTH).post('/oauth2/token').reply(401, { error: 'invalid_client' });
    const { code, io } = await runScripted(ws, scope, connectArgv('fixture-client', 'lc', 'cc.json'));
    expect(code).toBe(3);
    expect(io.err).toMatch(/^Error \[ERR_INVALID_CLIENT\]: /);
    expectNoSecrets(io.all);
  });
});

describe('aic connect (refusals before any network call)', () => {
  it('invalid credentials exit 3 and list every bad field without echoing values', async () => {
    await ws.file('code.json', {
      clientId: 'code-client',
      clientSecret: CODE_SECRET,
      redirectUri: 'http://evil.example/cb',
      extra: CODE_SECRET,
    });
    const { code, io } = await ws.run(connectArgv('fixture-code', 'acme', 'code.json', '--json'));
    expect(code).toBe(3);
    const { error } = io.json<{ error: { code: string; issues: { pointer: string }[] } }>();
    expect(error.code).toBe('ERR_INVALID_CREDENTIALS');
    expect(error.issues.map((i) => i.pointer).sort()).toEqual(['/extra', '/redirectUri']);
    expectNoSecrets(io.all);
  });

  it('needs --connection and --credentials (exit 2)', async () => {
    const { code, io } = await ws.run(['connect', 'fixture-code', '--credentials', 'x.json']);
    expect(code).toBe(2);
    expect(io.err).toBe('Error [ERR_USAGE]: aic connect necesita --connection.\n');
  });

  it('refuses to reuse a connection id registered with another connector (exit 2)', async () => {
    await ws.file('cc.json', clientCredentials());
    const scope = nock(AUTH).post('/oauth2/token').reply(200, tokenResponse());
    expect((await runScripted(ws, scope, connectArgv('fixture-client', 'x', 'cc.json'))).code).toBe(0);
    await ws.file('code.json', codeCredentials('https://aic.example.com/cb'));
    const { code, io } = await ws.run(connectArgv('fixture-code', 'x', 'code.json', '--lang', 'en'));
    expect(code).toBe(2);
    expect(io.err).toBe(
      'Error [ERR_CONNECTION_CONFLICT]: Connection “x” already uses connector “fixture-client”: pick another id or run aic disconnect x first.\n',
    );
  });
});
