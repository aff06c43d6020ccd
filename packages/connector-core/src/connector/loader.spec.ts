import { Container } from 'inversify';
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ErrorCode } from '../errors/codes.js';
import { connectorCoreModule } from './container-modules.js';
import { loadConnectorPackage } from './loader.js';
import { ConnectorRegistryId } from './registry.js';
import { Connector } from './service-identifiers.js';

const here = dirname(fileURLToPath(import.meta.url));
const ACME = join(here, '..', '__fixtures__', 'acme-connector');

let temp: string;
beforeEach(async () => {
  temp = await realpath(await mkdtemp(join(tmpdir(), 'aic-loader-')));
});
afterEach(async () => {
  await rm(temp, { recursive: true, force: true });
});

/** A package directory written on the fly; its module binds a duck-typed ContainerModule. */
async function writePackage(
  dir: string,
  pkg: Record<string, unknown>,
  files: Record<string, string>,
): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module', version: '0.0.1', ...pkg }));
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, name)), { recursive: true });
    await writeFile(join(dir, name), content);
  }
  return dir;
}

/** A module object from "another copy of inversify": only `id` and `load`. */
const duckModule = (exportName: string, connectorId: string): string => `
export const ${exportName} = {
  id: ${Math.floor(Math.random() * 1e9) + 1e6},
  load({ bind }) {
    bind(Symbol.for('@aic/connector-core/Connector')).toConstantValue({ manifest: { id: '${connectorId}' } });
  },
};
`;

const ids = (container: Container): string[] => container.getAll(Connector).map((c) => c.manifest.id);

describe('loadConnectorPackage', () => {
  it('loads a connector package by absolute path and registers its connector', async () => {
    const container = new Container();
    container.load(connectorCoreModule());
    const loaded = await loadConnectorPackage(container, ACME);
    expect(loaded).toMatchObject({
      packageName: '@fixture/acme-connector',
      version: '1.2.3',
      directory: await realpath(ACME),
    });
    expect(container.get(ConnectorRegistryId).get('acme').manifest.displayName).toEqual({
      es: 'Acme',
      en: 'Acme',
    });
  });

  it('loads by a path relative to `from`, and by file: URL', async () => {
    const byRelative = new Container();
    await loadConnectorPackage(byRelative, `./${relative(here, ACME)}`, { from: here });
    expect(ids(byRelative)).toEqual(['acme']);
    const byUrl = new Container();
    await loadConnectorPackage(byUrl, pathToFileURL(ACME).href);
    expect(ids(byUrl)).toEqual(['acme']);
  });

  it('loads by package name from node_modules, walking up from `from` and following symlinks', async () => {
    await mkdir(join(temp, 'node_modules', '@fixture'), { recursive: true });
    await symlink(ACME, join(temp, 'node_modules', '@fixture', 'acme-connector'), 'dir');
    const nested = join(temp, 'apps', 'host');
    await mkdir(nested, { recursive: true });
    const container = new Container();
    const loaded = await loadConnectorPackage(container, '@fixture/acme-connector', { from: nested });
    expect(loaded.directory).toBe(await realpath(ACME));
    expect(ids(container)).toEqual(['acme']);
  });

  it('loads a module from another copy of inversify (duck-typed) through a declared subpath entry', async () => {
    await writePackage(
      join(temp, 'node_modules', 'duck-connector'),
      {
        name: 'duck-connector',
        exports: {
          '.': './main.js',
          './connector': { node: { import: './lib/connector.js' }, default: './x.js' },
        },
        aicConnector: { module: 'duckModule', entry: './connector' },
      },
      { 'lib/connector.js': duckModule('duckModule', 'duck') },
    );
    const container = new Container();
    expect(await loadConnectorPackage(container, 'duck-connector', { from: temp })).toMatchObject({
      packageName: 'duck-connector',
      version: '0.0.1',
    });
    expect(ids(container)).toEqual(['duck']);
  });

  it.each([
    ['a string exports', { exports: './entry.js' }, 'entry.js'],
    ['a conditions-only exports', { exports: { import: './entry.js', require: './nope.cjs' } }, 'entry.js'],
    ['main without exports', { main: 'lib/entry.js' }, 'lib/entry.js'],
    ['neither exports nor main', {}, 'index.js'],
  ])('resolves the entry from %s', async (_, fields, file) => {
    const dir = await writePackage(
      join(temp, 'pkg'),
      { name: 'pkg', aicConnector: {}, ...fields },
      {
        [file]: duckModule('connectorModule', 'entry'),
      },
    );
    const container = new Container();
    await loadConnectorPackage(container, dir);
    expect(ids(container)).toEqual(['entry']);
  });

  const configurationError = (en: string) =>
    expect.objectContaining({ code: ErrorCode.Configuration, message: expect.stringContaining(en) });

  it('says a package that is not installed cannot be found', async () => {
    await expect(loadConnectorPackage(new Container(), '@nobody/missing', { from: temp })).rejects.toEqual(
      configurationError('Could not load connector “@nobody/missing”: the package cannot be found.'),
    );
    await expect(loadConnectorPackage(new Container(), join(temp, 'nowhere'))).rejects.toEqual(
      configurationError('the package cannot be found.'),
    );
  });

  it('refuses a specifier that is neither a path nor a package name', async () => {
    await expect(loadConnectorPackage(new Container(), '@scope/../../etc', { from: temp })).rejects.toEqual(
      configurationError('the package cannot be found.'),
    );
  });

  it('needs the aicConnector declaration', async () => {
    const dir = await writePackage(join(temp, 'plain'), { name: 'plain' }, { 'index.js': 'export {};' });
    await expect(loadConnectorPackage(new Container(), dir)).rejects.toEqual(
      configurationError('its package.json has no "aicConnector" declaration.'),
    );
  });

  it('needs the declared export to be a ContainerModule', async () => {
    const dir = await writePackage(
      join(temp, 'wrong'),
      { name: 'wrong', aicConnector: { module: 'mod' } },
      {
        'index.js': 'export const mod = { load: "no" };',
      },
    );
    await expect(loadConnectorPackage(new Container(), dir)).rejects.toEqual(
      configurationError('it does not export a ContainerModule "mod".'),
    );
  });

  it('reports a module that cannot be imported, keeping the failure as cause', async () => {
    const dir = await writePackage(
      join(temp, 'broken'),
      { name: 'broken', aicConnector: {} },
      {
        'index.js': 'throw new Error("broken at import");',
      },
    );
    const error: unknown = await loadConnectorPackage(new Container(), dir).catch((e: unknown) => e);
    expect(error).toEqual(configurationError('its module could not be imported.'));
    expect((error as Error).cause).toEqual(expect.objectContaining({ message: 'broken at import' }));
    const missing = await writePackage(
      join(temp, 'no-entry'),
      { name: 'no-entry', aicConnector: { entry: './nope' } },
      {},
    );
    await expect(loadConnectorPackage(new Container(), missing)).rejects.toEqual(
      configurationError('its module could not be imported.'),
    );
  });
});
