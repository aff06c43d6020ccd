import { Workspace } from './helpers.js';
import { cliVersion } from '../src/version.js';

let ws: Workspace;
beforeEach(async () => (ws = await Workspace.create()));
afterEach(async () => ws.dispose());

describe('usage, help and languages', () => {
  it('without a command prints the help and exits 2; --help exits 0', async () => {
    const bare = await ws.run([]);
    expect(bare.code).toBe(2);
    expect(bare.io.out).toContain('Comandos:\n  aic connectors');
    expect(bare.io.out).toContain(
      '4 hay que autorizar de nuevo; 5 proveedor no disponible; 6 configuración incorrecta',
    );
    const help = await ws.run(['--help', '--lang', 'en']);
    expect(help.code).toBe(0);
    expect(help.io.out).toContain('  aic credentials check <connector> <file>');
    expect(help.io.out).toContain(
      'Exit codes: 0 ok; 1 operation failed; 2 usage error; 3 invalid credentials;',
    );
  });

  it('a command’s --help shows its options; --json help lists the commands', async () => {
    const connect = await ws.run(['connect', '--help', '--lang', 'en']);
    expect(connect.code).toBe(0);
    expect(connect.io.out.split('\n')[0]).toBe('aic connect <connector> [options]');
    expect(connect.io.out).toContain('--paste                  paste the callback URL');
    const topic = await ws.run(['help', 'token']);
    expect(topic.io.out.split('\n')[0]).toBe('aic token <connection> [options]');
    const json = await ws.run(['--help', '--json']);
    const names = json.io.json<{ commands: { name: string }[] }>().commands.map((c) => c.name);
    expect(names).toEqual([
      'connectors',
      'schema',
      'credentials check',
      'connect',
      'connections',
      'status',
      'check',
      'token',
      'request',
      'disconnect',
      'key generate',
      'key rotate',
    ]);
  });

  it('--version and -v print the package version', async () => {
    const { name, version } = await cliVersion();
    expect(name).toBe('@aic/cli');
    expect((await ws.run(['--version'])).io.out).toBe(`aic ${version}\n`);
    const short = await ws.run(['-v']);
    expect(short.code).toBe(0);
    expect(short.io.out).toBe(`aic ${version}\n`);
    expect((await ws.run(['-v', '--json'])).io.json()).toEqual({ ok: true, name, version });
  });

  it.each([
    [['frobnicate'], 'Error [ERR_USAGE]: Comando desconocido «frobnicate»: vea aic --help.\n'],
    [['connectors', '--frob'], 'Error [ERR_USAGE]: Opción desconocida: --frob.\n'],
    [
      ['status', '--connection'],
      'Error [ERR_USAGE]: La opción --connection necesita un valor (o no lo admite).\n',
    ],
    [
      ['status', 'acme', '--reveal'],
      'Error [ERR_USAGE]: La opción --reveal no se aplica a «aic status». Uso: aic status <connection>\n',
    ],
    [
      ['schema'],
      'Error [ERR_USAGE]: «aic schema» espera 1 argumento y recibió 0. Uso: aic schema <connector>\n',
    ],
    [
      ['request', 'acme', 'GET'],
      'Error [ERR_USAGE]: «aic request» espera 3 argumentos y recibió 2. Uso: aic request <connection> <METHOD> <path> [options]\n',
    ],
    [
      ['connections', 'acme', '--lang', 'en'],
      'Error [ERR_USAGE]: “aic connections” expects 0 arguments and got 1. Usage: aic connections\n',
    ],
    [
      ['schema', 'a', 'b', '--lang', 'en'],
      'Error [ERR_USAGE]: “aic schema” expects 1 argument and got 2. Usage: aic schema <connector>\n',
    ],
    [['connectors', '--lang', 'fr'], 'Error [ERR_USAGE]: --lang acepta es o en, no «fr».\n'],
    [
      ['status', 'acme', '--store', 'sqlite'],
      'Error [ERR_USAGE]: Almacén desconocido «sqlite»: use file, redis o memory.\n',
    ],
    [
      ['status', 'acme', '--store', 'redis'],
      'Error [ERR_USAGE]: El almacén Redis necesita --redis-url o AIC_REDIS_URL (p. ej. redis://127.0.0.1:6379).\n',
    ],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const { code, io } = await ws.run(argv);
    expect(code).toBe(2);
    expect(io.err).toBe(message);
    expect(io.out).toBe('');
  });

  it('usage errors in --json mode are one JSON document on stdout', async () => {
    const { code, io } = await ws.run(['frobnicate', '--json', '--lang', 'en']);
    expect(code).toBe(2);
    expect(io.err).toBe('');
    expect(io.json()).toEqual({
      ok: false,
      error: {
        code: 'ERR_USAGE',
        message: {
          es: 'Comando desconocido «frobnicate»: vea aic --help.',
          en: 'Unknown command “frobnicate”: see aic --help.',
        },
      },
    });
  });

  it('the language comes from --lang, then AIC_LANG, then LANG; Spanish by default', async () => {
    const message = async (env: Record<string, string>, argv: string[] = []) => {
      ws.env = env;
      return (await ws.run(['schema', 'nope', ...argv])).io.err;
    };
    expect(await message({})).toMatch(/^Error \[ERR_UNKNOWN_CONNECTOR\]: No hay un conector/);
    expect(await message({ LANG: 'en_US.UTF-8' })).toMatch(/: No connector “nope”/);
    expect(await message({ LANG: 'en_US.UTF-8', AIC_LANG: 'es' })).toMatch(/: No hay un conector/);
    expect(await message({ AIC_LANG: 'es' }, ['--lang', 'en'])).toMatch(/: No connector/);
    expect(await message({}, ['--lang=en'])).toMatch(/: No connector/);
  });

  it('an invalid store key is refused without echoing it', async () => {
    ws.env = { AIC_STORE: 'file', AIC_STORE_KEY: 'c2hvcnQta2V5LXNlY3JldC12YWx1ZQ==' };
    const { code, io } = await ws.run(['status', 'acme', '--lang', 'en']);
    expect(code).toBe(2);
    expect(io.err).toBe(
      'Error [ERR_STORE_KEY]: The key from AIC_STORE_KEY is invalid: it must be 32 bytes in base64 or 64 hex digits. Create one with “aic key generate --out .aic/store.key” and pass it with --key-file, or set AIC_STORE_KEY (32 bytes, base64 or hex).\n',
    );
  });

  it('warns when the key file is readable by others', async () => {
    await ws.run(['key', 'generate', '--out', 'store.key']);
    const { chmod } = await import('node:fs/promises');
    await chmod(`${ws.dir}/store.key`, 0o644);
    const { io } = await ws.run(['status', 'acme', '--store', 'file', '--key-file', 'store.key']);
    expect(io.err).toContain('Aviso: otros usuarios pueden leer el archivo de clave store.key');
  });

  it('a damaged connections file is ERR_STATE_FILE (exit 1)', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(`${ws.dir}/.aic`);
    await writeFile(`${ws.dir}/.aic/connections.json`, '{"acme": {"connector": 1}}');
    const { code, io } = await ws.run(['status', 'acme', '--lang', 'en']);
    expect(code).toBe(1);
    expect(io.err.split('\n')[1]).toBe(
      `Error [ERR_STATE_FILE]: Could not read the connections file ${ws.dir}/.aic/connections.json (JSON shaped { "<connection>": { "connector", "credentialsFile" } }).`,
    );
  });

  it('a memory store says tokens do not outlive the command', async () => {
    const { io } = await ws.run(['status', 'acme', '--store', 'memory']);
    expect(io.err.split('\n')[0]).toBe(
      'Aviso: almacén en memoria; los tokens se pierden al terminar este comando.',
    );
  });
});
