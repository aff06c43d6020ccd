import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import {
  AUTH_CODE,
  type Workspace,
  clientCredentials,
  codeCredentials,
  expectNoSecrets,
  tokenResponse,
} from './helpers.js';
import { connectArgv, runScripted, startConnect } from './support/connect-flow.js';
import { closeWorkspace, fileStoreWorkspace } from './support/workspace.js';

const AUTH = 'https://auth.cli.test';
const REDIRECT = 'https://aic.example.com/oauth/callback';

let ws: Workspace;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => (ws = await fileStoreWorkspace('es')));
afterEach(() => closeWorkspace(ws));

/** `aic connect` with a pasted callback, leaving `id` authorized. */
async function connectCode(id: string, credentials: Record<string, string> = {}): Promise<void> {
  await ws.file(`${id}.json`, { ...codeCredentials(REDIRECT), ...credentials });
  const { io, done, state } = await startConnect(ws, connectArgv('fixture-code', id, `${id}.json`));
  await io.waitFor(/pegue aquí/);
  const scope = nock(AUTH).post('/token').reply(200, tokenResponse());
  io.type(`${REDIRECT}?code=${AUTH_CODE}&state=${state}`);
  const { code } = await done;
  scope.done();
  if (code !== 0) throw new Error(`connect failed: ${io.all}`);
}

/** Four connections: authorized with an expiring secret, client credentials, never authorized, broken file. */
async function fourConnections(): Promise<void> {
  await connectCode('acme', { clientSecretCreatedAt: '2025-06-15' });
  await ws.file('lc.json', clientCredentials());
  const token = nock(AUTH)
    .post('/oauth2/token')
    .reply(200, tokenResponse({ refresh_token: undefined }));
  expect((await runScripted(ws, token, connectArgv('fixture-client', 'lc', 'lc.json'))).code).toBe(0);
  // Registered, but the operator never pasted the callback: not authorized.
  await ws.file('new.json', codeCredentials(REDIRECT));
  const io = ws.io();
  io.type(undefined);
  expect((await ws.run(connectArgv('fixture-code', 'new', 'new.json'), io)).code).toBe(4);
  await connectCode('gone');
  await rm(join(ws.dir, 'gone.json'));
}

describe('aic connections', () => {
  it('lists every connection: state, next deadline, warnings; a broken one does not hide the rest', async () => {
    await fourConnections();
    const { code, io } = await ws.run(['connections']);
    expect(code).toBe(0);
    expect(io.out).toBe(
      [
        'CONEXIÓN  CONECTOR        ESTADO                               PRÓXIMO VENCIMIENTO',
        'acme      fixture-code    activa                               el secreto de cliente vence el 15 de junio de 2026 (dentro de 13 días)',
        'gone      fixture-code    ✘ ERR_CREDENTIALS_FILE               —',
        'lc        fixture-client  activa                               —',
        'new       fixture-code    sin autorizar (ejecute aic connect)  —',
        '',
        'Avisos:',
        '  ! acme: El secreto de cliente vence en 13 días (2026-06-15): renuévelo pronto.',
        `  ✘ gone: No se pudo leer el archivo de credenciales ${join(ws.dir, 'gone.json')} (ENOENT).`,
        '',
        `4 conexiones (${join(ws.dir, '.aic', 'connections.json')})`,
        '',
      ].join('\n'),
    );
    expect(io.err).toBe('');
    expectNoSecrets(io.all);
  });

  it('--json: each connection is the document `aic status <connection> --json` prints', async () => {
    await fourConnections();
    const { code, io } = await ws.run(['connections', '--json', '--lang', 'en']);
    expect(code).toBe(0);
    const listed = io.json<{ ok: boolean; connections: Record<string, unknown>[] }>();
    expect(listed.ok).toBe(true);
    expect(listed.connections.map((c) => c['connection'])).toEqual(['acme', 'gone', 'lc', 'new']);
    for (const id of ['acme', 'lc', 'new']) {
      const status = (await ws.run(['status', id, '--json'])).io.json();
      expect(listed.connections.find((c) => c['connection'] === id)).toEqual(status);
    }
    expect(listed.connections[1]).toEqual({
      ok: false,
      connection: 'gone',
      connector: 'fixture-code',
      error: {
        code: 'ERR_CREDENTIALS_FILE',
        message: {
          es: `No se pudo leer el archivo de credenciales ${join(ws.dir, 'gone.json')} (ENOENT).`,
          en: `Could not read the credentials file ${join(ws.dir, 'gone.json')} (ENOENT).`,
        },
      },
    });
    expect(listed.connections[0]).toMatchObject({
      state: 'active',
      nextDeadline: { kind: 'client_secret', at: '2026-06-15T00:00:00.000Z' },
    });
    expectNoSecrets(io.all);
  });

  it('one connection reads “1 conexión”; none says how to create one', async () => {
    const empty = await ws.run(['connections', '--lang', 'en']);
    expect(empty.code).toBe(0);
    expect(empty.io.out).toBe(
      `No connections are registered in ${join(ws.dir, '.aic', 'connections.json')}: create one with “aic connect <connector> --connection <id> --credentials <file>”.\n`,
    );
    expect((await ws.run(['connections', '--json'])).io.json()).toEqual({ ok: true, connections: [] });
    await connectCode('acme');
    const one = await ws.run(['connections']);
    expect(one.io.out.split('\n').at(-2)).toBe(`1 conexión (${join(ws.dir, '.aic', 'connections.json')})`);
  });

  it('a store that cannot be read fails the whole list (exit 1), not each row', async () => {
    await connectCode('acme');
    ws.env = { ...ws.env, AIC_STORE_KEY: Buffer.alloc(32, 9).toString('hex') };
    const { code, io } = await ws.run(['connections', '--json']);
    expect(code).toBe(1);
    expect(io.json<{ error: { code: string } }>().error.code).toBe('ERR_STORE_FAILURE');
  });
});
