import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nock from 'nock';
import { clientSchema, codeSchema } from './fixtures/fixture-connectors/index.js';
import {
  AUTH_CODE,
  CODE_SECRET,
  FIXTURE_PACKAGE,
  Workspace,
  assertNoPendingMocks,
  clientCredentials,
  codeCredentials,
  expectNoSecrets,
  tokenResponse,
} from './helpers.js';

let ws: Workspace;
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
beforeEach(async () => (ws = await Workspace.create()));
afterEach(async () => {
  assertNoPendingMocks();
  await ws.dispose();
});

const fixtureSummary = {
  id: 'fixture-code',
  version: '1.0.0',
  displayName: { es: 'Fixture código', en: 'Fixture code' },
  description: {
    es: 'Conector de prueba con código de autorización',
    en: 'Authorization code test connector',
  },
  grant: 'authorization_code',
  capabilities: {
    authorizationCode: true,
    pkce: true,
    refreshToken: true,
    clientCredentials: false,
    refreshTokenDeadline: false,
    regions: ['main'],
  },
  package: { name: 'aic-cli-fixture-connectors', version: '1.2.3' },
};

describe('aic connectors', () => {
  it('--json lists every loaded connector with its capabilities and package', async () => {
    const { code, io } = await ws.run(['connectors', '--json']);
    expect(code).toBe(0);
    expect(io.err).toBe('');
    expect(io.json()).toEqual({
      ok: true,
      connectors: [
        fixtureSummary,
        {
          id: 'fixture-client',
          version: '2.0.0',
          displayName: { es: 'Fixture cliente', en: 'Fixture client' },
          description: {
            es: 'Conector de prueba con client credentials',
            en: 'Client credentials test connector',
          },
          grant: 'client_credentials',
          capabilities: {
            authorizationCode: false,
            pkce: false,
            refreshToken: false,
            clientCredentials: true,
            refreshTokenDeadline: false,
            regions: ['main'],
          },
          package: { name: 'aic-cli-fixture-connectors', version: '1.2.3' },
        },
      ],
    });
  });

  it('prints a readable list in English or Spanish', async () => {
    const en = await ws.run(['connectors', '--lang', 'en']);
    expect(en.io.out.split('\n').slice(0, 6)).toEqual([
      'fixture-code 1.0.0 — Fixture code',
      '  Authorization code test connector',
      '  Grant: authorization_code · PKCE S256 · refresh token',
      '  Regions: main',
      '  Package: aic-cli-fixture-connectors@1.2.3',
      'fixture-client 2.0.0 — Fixture client',
    ]);
    ws.env = { ...ws.env, LANG: 'es_ES.UTF-8' };
    const es = await ws.run(['connectors']);
    expect(es.io.out).toContain('  Concesión: authorization_code · PKCE S256 · token de actualización\n');
  });

  it('--connector loads an outside package by path (and a broken one is a clear error)', async () => {
    const loaded = await ws.run(['connectors', '--json', '--connector', FIXTURE_PACKAGE], ws.io(), {
      builtinConnectors: [],
    });
    expect(loaded.code).toBe(0);
    expect(loaded.io.json<{ connectors: unknown[] }>().connectors[0]).toEqual(fixtureSummary);

    await writeFile(
      join(ws.dir, 'package.json'),
      JSON.stringify({ name: 'not-a-connector', version: '0.0.1' }),
    );
    const broken = await ws.run(['connectors', '--connector', '.', '--lang', 'en'], ws.io(), {
      builtinConnectors: [],
    });
    expect(broken.code).toBe(1);
    expect(broken.io.err).toBe(
      'Error [ERR_CONFIGURATION]: Could not load connector “.”: its package.json has no "aicConnector" declaration.\n',
    );
  });
});

describe('aic schema', () => {
  it('--json prints the credential JSON Schema', async () => {
    const { code, io } = await ws.run(['schema', 'fixture-client', '--json']);
    expect(code).toBe(0);
    expect(io.json()).toEqual({
      ok: true,
      connector: 'fixture-client',
      schema: JSON.parse(JSON.stringify(clientSchema)),
    });
  });

  it('lists the fields for people, marking required and secret ones', async () => {
    const { io } = await ws.run(['schema', 'fixture-code', '--lang', 'en']);
    const lines = io.out.split('\n');
    expect(lines[0]).toBe('Credentials of Fixture code (fixture-code):');
    expect(lines).toContain('  clientSecret: string [required, secret]');
    expect(lines).toContain('  region: main [default: main]');
    expect(lines).toContain('  clientSecretCreatedAt: string (date)');
    expect(lines).toContain(
      `      ${codeSchema.properties.clientId['x-title'].en} — ${codeSchema.properties.clientId['x-description'].en}`,
    );
    expect(lines.at(-2)).toBe('Use --json to get the full JSON Schema.');
  });

  it('an unknown connector exits 2 naming the loaded ones', async () => {
    const { code, io } = await ws.run(['schema', 'hp', '--json']);
    expect(code).toBe(2);
    expect(io.json()).toEqual({
      ok: false,
      error: {
        code: 'ERR_UNKNOWN_CONNECTOR',
        message: {
          es: 'No hay un conector «hp». Conectores cargados: fixture-code, fixture-client.',
          en: 'No connector “hp”. Loaded connectors: fixture-code, fixture-client.',
        },
      },
    });
  });
});

describe('aic credentials check', () => {
  it('accepts a valid file (exit 0), offline', async () => {
    await ws.file('cc.json', clientCredentials());
    const { code, io } = await ws.run(['credentials', 'check', 'fixture-client', 'cc.json']);
    expect(code).toBe(0);
    expect(io.out).toBe(
      `Las credenciales de ${join(ws.dir, 'cc.json')} son válidas para el conector «fixture-client».\n`,
    );
  });

  it('lists every bad field by JSON pointer, never echoing a value (exit 3)', async () => {
    await ws.file('bad.json', { clientId: '', clientSecret: 42, redirectUri: CODE_SECRET, region: 'mars' });
    const { code, io } = await ws.run(['credentials', 'check', 'fixture-code', 'bad.json', '--json']);
    expect(code).toBe(3);
    const { error } = io.json<{ error: { code: string; issues: { pointer: string }[] } }>();
    expect(error.code).toBe('ERR_INVALID_CREDENTIALS');
    expect(error.issues.map((issue) => issue.pointer).sort()).toEqual([
      '/clientId',
      '/clientSecret',
      '/redirectUri',
      '/region',
    ]);
    const text = await ws.run(['credentials', 'check', 'fixture-code', 'bad.json']);
    expect(text.io.err.split('\n').filter((line) => line.startsWith('  - '))).toHaveLength(4);
    expectNoSecrets(io.all + text.io.all);
  });

  it('an unreadable or non-JSON file is ERR_CREDENTIALS_FILE (exit 3) without quoting its content', async () => {
    await ws.file('broken.json', `{"clientSecret": "${CODE_SECRET}"`);
    const broken = await ws.run(['credentials', 'check', 'fixture-code', 'broken.json', '--lang', 'en']);
    expect(broken.code).toBe(3);
    expect(broken.io.err).toBe(
      `Error [ERR_CREDENTIALS_FILE]: The credentials file ${join(ws.dir, 'broken.json')} is not valid JSON.\n`,
    );
    const missing = await ws.run(['credentials', 'check', 'fixture-code', 'missing.json', '--json']);
    expect(missing.code).toBe(3);
    expect(missing.io.json<{ error: { code: string } }>().error.code).toBe('ERR_CREDENTIALS_FILE');
    await ws.file('array.json', [codeCredentials('https://x.example/cb')]);
    expect((await ws.run(['credentials', 'check', 'fixture-code', 'array.json'])).code).toBe(3);
    expectNoSecrets(broken.io.all);
  });
});

describe('aic key', () => {
  it('generate prints a fresh 32-byte key; --out writes it with mode 0600 and never overwrites', async () => {
    const printed = await ws.run(['key', 'generate', '--json']);
    const key = printed.io.json<{ key: string }>().key;
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect((await ws.run(['key', 'generate'])).io.out).not.toBe(`${key}\n`);

    const written = await ws.run(['key', 'generate', '--out', 'keys/store.key', '--json']);
    const path = join(ws.dir, 'keys', 'store.key');
    expect(written.io.json()).toEqual({ ok: true, keyFile: path });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64')).toHaveLength(32);
    const again = await ws.run(['key', 'generate', '--out', 'keys/store.key']);
    expect(again.code).toBe(2);
    expect(again.io.err).toContain('ya existe: no se sobrescribe una clave');
  });

  it('rotate re-encrypts the store with a new key; the old key alone then no longer opens it', async () => {
    await ws.run(['key', 'generate', '--out', 'old.key']);
    await ws.run(['key', 'generate', '--out', 'new.key']);
    ws.env = { AIC_STORE: 'file', AIC_STORE_KEY_FILE: 'old.key', LANG: 'en' };
    await ws.file('cc.json', clientCredentials());
    const scope = nock('https://auth.cli.test').post('/oauth2/token').reply(200, tokenResponse());
    expect(
      (await ws.run(['connect', 'fixture-client', '--connection', 'lc', '--credentials', 'cc.json'])).code,
    ).toBe(0);
    scope.done();

    const rotated = await ws.run([
      'key',
      'rotate',
      '--key-file',
      'new.key',
      '--previous-key-file',
      'old.key',
      '--json',
    ]);
    expect(rotated.io.json()).toEqual({
      ok: true,
      store: join(ws.dir, '.aic', 'tokens.enc'),
      reencrypted: 1,
    });
    expect((await ws.run(['status', 'lc', '--key-file', 'new.key'])).code).toBe(0);
    const old = await ws.run(['status', 'lc', '--json']);
    expect(old.code).toBe(1);
    expect(old.io.json<{ error: { code: string } }>().error.code).toBe('ERR_STORE_FAILURE');
    expect((await ws.run(['key', 'rotate', '--store', 'memory'])).code).toBe(2);
    expectNoSecrets(rotated.io.all + old.io.all, [AUTH_CODE, CODE_SECRET]);
  });
});
