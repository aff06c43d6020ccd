/**
 * Issue #12, item 5, reproduced against the real `aic connect`: another local process (or any web
 * page, through the browser) racing the callback listener. Before the fix, for a `localhost`
 * redirect URI the listener held 127.0.0.1 only, so an attacker on `[::1]` received the browser's
 * redirect; and one stateless `?error=access_denied&error_description=…` ended the flow, showing
 * the attacker's text to the operator, while the real redirect then got ECONNREFUSED.
 */
import { createServer, type Server } from 'node:http';
import nock from 'nock';
import {
  AUTH_CODE,
  type Workspace,
  browserGet,
  codeCredentials,
  expectNoSecrets,
  freePort,
  tokenResponse,
} from './helpers.js';
import { connectArgv, startConnect } from './support/connect-flow.js';
import { closeWorkspace, fileStoreWorkspace } from './support/workspace.js';

const AUTH = 'https://auth.cli.test';
/** What an attacker would like the operator to read. */
const LURE = 'Your session expired: call +1-555-0100 and read out the code shown';

/** Listens like an attacker would: plain `listen`, or with `SO_REUSEPORT` to share the port. */
function attackerListen(host: string, port: number, reusePort = false): Promise<Server> {
  const server = createServer((_, response) => response.end('attacker'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, reusePort }, () => resolve(server));
  });
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => server.close(() => resolve()));

/** The error code of an attempt to listen on `host:port`, or `undefined` when it succeeded. */
async function listenOutcome(host: string, port: number, reusePort = false): Promise<string | undefined> {
  try {
    await closeServer(await attackerListen(host, port, reusePort));
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

/** Whether this machine has IPv6 loopback (`::1`); the `[::1]` race needs it. */
async function hasIpv6Loopback(): Promise<boolean> {
  return (await listenOutcome('::1', 0)) === undefined;
}

const ipv6 = await hasIpv6Loopback();
const withIpv6 = ipv6 ? it : it.skip;
const IPV6_SKIP = ipv6
  ? ''
  : ' [skipped: this machine has no IPv6 loopback (::1), so no process can race on it]';

let ws: Workspace;
beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[?::1\]?)(:\d+)?$/);
});
afterAll(() => nock.enableNetConnect());
beforeEach(async () => (ws = await fileStoreWorkspace('es')));
afterEach(() => closeWorkspace(ws));

/** Scripts the one code exchange the real redirect may cause. */
const scriptExchange = () => nock(AUTH).post('/token').reply(200, tokenResponse());

describe('callback listener: a racing local listener', () => {
  withIpv6(
    `a process already on [::1] makes aic connect refuse before any authorization starts${IPV6_SKIP}`,
    async () => {
      const port = await freePort();
      const attacker = await attackerListen('::1', port);
      let stolen = 0;
      attacker.on('request', () => (stolen += 1));
      try {
        const redirectUri = `http://localhost:${port}/callback`;
        await ws.file('code.json', codeCredentials(redirectUri));
        const { code, io } = await ws.run(connectArgv('fixture-code', 'acme', 'code.json'));
        expect(code).toBe(1);
        expect(io.err).toBe(
          `Error [ERR_CALLBACK_LISTEN]: Otro proceso ya escucha en [::1]:${port}, una de las direcciones del redirect URI ${redirectUri}: recibiría la redirección del navegador (y el código de autorización) en lugar de aic. Cierre ese proceso, o use --paste.\n`,
        );
        // No authorization URL was printed: no pending authorization exists, nobody can sign in.
        expect(io.out).toBe('');
        // What aic had bound is released.
        await expect(browserGet(`http://127.0.0.1:${port}/callback`)).rejects.toMatchObject({
          code: 'ECONNREFUSED',
        });
        expect(stolen).toBe(0);
      } finally {
        await closeServer(attacker);
      }
    },
  );

  withIpv6(
    `while aic waits, nobody can take 127.0.0.1 or [::1]; the browser may use either${IPV6_SKIP}`,
    async () => {
      const port = await freePort();
      const redirectUri = `http://localhost:${port}/callback`;
      await ws.file('code.json', codeCredentials(redirectUri));
      const { io, done, state } = await startConnect(ws, connectArgv('fixture-code', 'acme', 'code.json'));
      expect(io.err).toBe(
        `Esperando la redirección del navegador en ${redirectUri} (escuchando en 127.0.0.1:${port} y [::1]:${port}; máximo 5 minutos)…\n`,
      );
      for (const [host, reusePort] of [
        ['::1', false],
        ['::1', true],
        ['127.0.0.1', false],
        ['127.0.0.1', true],
        ['::', false],
        ['0.0.0.0', false],
      ] as const) {
        expect([host, reusePort, await listenOutcome(host, port, reusePort)]).toEqual([
          host,
          reusePort,
          'EADDRINUSE',
        ]);
      }
      // A browser that resolves localhost to ::1 first reaches aic, not an attacker.
      const exchange = scriptExchange();
      const page = await browserGet(`http://[::1]:${port}/callback?code=${AUTH_CODE}&state=${state}`);
      expect(page.status).toBe(200);
      expect((await done).code).toBe(0);
      exchange.done();
      expect((await ws.run(['status', 'acme', '--json'])).io.json()).toMatchObject({ state: 'active' });
    },
  );
});

describe('callback listener: forged callbacks', () => {
  /** `aic connect` on a 127.0.0.1 redirect URI (works with or without IPv6). */
  async function start(extra: string[] = []) {
    const port = await freePort();
    const redirectUri = `http://127.0.0.1:${port}/callback`;
    await ws.file('code.json', codeCredentials(redirectUri));
    return {
      ...(await startConnect(ws, connectArgv('fixture-code', 'acme', 'code.json', ...extra))),
      redirectUri,
    };
  }

  it('a forged error callback is ignored — its text shown nowhere — and the real redirect completes', async () => {
    const { io, done, state, redirectUri } = await start();
    const lure = encodeURIComponent(LURE);
    const forged = [
      `${redirectUri}?error=access_denied&error_description=${lure}`,
      `${redirectUri}?error=access_denied&error_description=${lure}&state=guessed-state`,
      `${redirectUri}?error=server_error&error_description=${lure}&state=a&state=b`,
      `${redirectUri}?code=attacker-code&state=guessed-state`,
    ];
    const pages = [];
    for (const url of forged) pages.push(await browserGet(url));
    expect(pages.map((p) => p.status)).toEqual([401, 401, 400, 401]);
    for (const page of pages) {
      expect(page.body).toContain('<h1>Esta no es la redirección esperada</h1>');
      expect(page.body).not.toContain('555');
    }
    // The real redirect still reaches aic and completes the authorization.
    const exchange = scriptExchange();
    const real = await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=${state}`);
    expect(real.status).toBe(200);
    expect(real.body).toContain('<h1>Autorización completada</h1>');
    expect((await done).code).toBe(0);
    exchange.done();
    expect(io.out).toContain('Conexión «acme» autorizada.');
    const notes = io.err.split('\n').filter((line) => line.startsWith('Se ignoró una petición'));
    expect(notes).toEqual([
      `Se ignoró una petición a ${redirectUri}: no trae el «state» de esta autorización (ERR_STATE_MISMATCH). Se sigue esperando la redirección de esta autorización.`,
      `Se ignoró una petición a ${redirectUri}: no trae el «state» de esta autorización (ERR_STATE_MISMATCH). Se sigue esperando la redirección de esta autorización.`,
      `Se ignoró una petición a ${redirectUri}: no es una redirección válida: falta «state» o «code», o hay parámetros repetidos (ERR_INVALID_CALLBACK). Se sigue esperando la redirección de esta autorización.`,
      `Se ignoró una petición a ${redirectUri}: no trae el «state» de esta autorización (ERR_STATE_MISMATCH). Se sigue esperando la redirección de esta autorización.`,
    ]);
    expect(io.all).not.toContain('555');
    expectNoSecrets(io.all + real.body);
    expect((await ws.run(['status', 'acme', '--json'])).io.json()).toMatchObject({
      state: 'active',
      hasRefreshToken: true,
    });
  });

  it('the provider’s own error, carrying this authorization’s state, is shown and ends the flow', async () => {
    const { io, done, state, redirectUri } = await start(['--lang', 'en']);
    await browserGet(`${redirectUri}?error=access_denied&error_description=${encodeURIComponent(LURE)}`);
    const page = await browserGet(
      `${redirectUri}?error=access_denied&error_description=${encodeURIComponent('User cancelled')}&state=${state}`,
    );
    expect(page.status).toBe(400);
    expect(page.body).toContain(
      'The user or the provider denied the authorization (access_denied): User cancelled.',
    );
    expect((await done).code).toBe(4);
    expect(io.err).toContain(
      'Error [ERR_AUTHORIZATION_DENIED]: The user or the provider denied the authorization (access_denied): User cancelled.',
    );
    expect(io.all + page.body).not.toContain('555');
  });

  it('a flood of forged requests is answered (401, or 503 when too many wait) and never ends the flow', async () => {
    const { done, state, redirectUri } = await start();
    const flood = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        browserGet(`${redirectUri}?error=access_denied&state=forged-${i}`),
      ),
    );
    expect(flood).toHaveLength(40);
    for (const page of flood) expect([401, 503]).toContain(page.status);
    const exchange = scriptExchange();
    expect((await browserGet(`${redirectUri}?code=${AUTH_CODE}&state=${state}`)).status).toBe(200);
    expect((await done).code).toBe(0);
    exchange.done();
  });

  it('timing out after forged requests still names the redirect URI, and counts what was ignored', async () => {
    const { io, done, redirectUri } = await start(['--timeout', '1', '--lang', 'en']);
    await browserGet(`${redirectUri}?error=access_denied`);
    await browserGet(`${redirectUri}?code=x&state=y`);
    expect((await done).code).toBe(4);
    expect(io.err.split('\n').at(-2)).toBe(
      `Error [ERR_CALLBACK_TIMEOUT]: The browser's redirect did not arrive within 1 second. Is exactly ${redirectUri} registered in the provider's application? If it is not, the provider shows an error in the browser instead of redirecting. Run aic connect again (or raise --timeout). Ignored 2 requests that did not answer this authorization.`,
    );
  });
});
