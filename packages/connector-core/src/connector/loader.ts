import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Container, ContainerModule } from 'inversify';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';

/**
 * How a connector package tells hosts where its ContainerModule is, in its `package.json`:
 *
 * ```json
 * "aicConnector": { "module": "connectorModule" }
 * ```
 *
 * `module` names an export of the package's main entry (default `connectorModule`); `entry`
 * optionally names another subpath export (default `.`).
 */
export interface ConnectorPackageDeclaration {
  readonly module?: string;
  readonly entry?: string;
}

export interface LoadedConnectorPackage {
  readonly packageName: string;
  readonly version: string;
  readonly directory: string;
  readonly module: ContainerModule;
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  aicConnector?: ConnectorPackageDeclaration;
}

const isPath = (specifier: string): boolean =>
  specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('file:');

function loaderError(specifier: string, es: string, en: string, cause?: unknown): ConnectorError {
  return new ConnectorError(
    ErrorCode.Configuration,
    text(
      `No se pudo cargar el conector «${specifier}»: ${es}`,
      `Could not load connector “${specifier}”: ${en}`,
    ),
    cause === undefined ? {} : { cause },
  );
}

async function findPackageDirectory(specifier: string, from: string): Promise<string> {
  if (isPath(specifier)) {
    return specifier.startsWith('file:') ? new URL(specifier).pathname : resolve(from, specifier);
  }
  const require = createRequire(join(from, 'noop.js'));
  try {
    return dirname(require.resolve(`${specifier}/package.json`));
  } catch {
    // The package may not export ./package.json: walk up from its resolved entry.
    let dir = dirname(require.resolve(specifier));
    for (;;) {
      try {
        const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as PackageJson;
        if (pkg.name === specifier) return dir;
      } catch {
        // no package.json here
      }
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`package.json of ${specifier} not found`);
      dir = parent;
    }
  }
}

function entryOf(pkg: PackageJson, directory: string, entry: string): string {
  const exportsField = pkg.exports;
  let target: unknown =
    typeof exportsField === 'string' || exportsField === undefined
      ? entry === '.'
        ? (exportsField ?? pkg.main ?? 'index.js')
        : undefined
      : (exportsField as Record<string, unknown>)[entry];
  while (target !== null && typeof target === 'object') {
    const conditions = target as Record<string, unknown>;
    target = conditions['import'] ?? conditions['node'] ?? conditions['default'];
  }
  if (typeof target !== 'string') throw new Error(`no export "${entry}"`);
  return join(directory, target);
}

/** Duck-typed: a ContainerModule from another copy of inversify is still a module. */
const isContainerModule = (value: unknown): value is ContainerModule =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as { load?: unknown }).load === 'function' &&
  typeof (value as { id?: unknown }).id === 'number';

/**
 * Loads a connector package by name (resolved from `from`, default the working directory) or by
 * path, finds its ContainerModule through `aicConnector` in its package.json, and loads it into
 * `container`. Errors are `ERR_CONFIGURATION` saying what is missing.
 */
export async function loadConnectorPackage(
  container: Container,
  specifier: string,
  options: { from?: string } = {},
): Promise<LoadedConnectorPackage> {
  const from = options.from ?? process.cwd();
  let directory: string;
  let pkg: PackageJson;
  try {
    directory = await findPackageDirectory(specifier, from);
    pkg = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as PackageJson;
  } catch (cause) {
    throw loaderError(specifier, 'el paquete no se encuentra.', 'the package cannot be found.', cause);
  }
  const declaration = pkg.aicConnector;
  if (declaration === undefined) {
    throw loaderError(
      specifier,
      'su package.json no declara «aicConnector».',
      'its package.json has no "aicConnector" declaration.',
    );
  }
  const exportName = declaration.module ?? 'connectorModule';
  let loaded: Record<string, unknown>;
  try {
    const entry = entryOf(pkg, directory, declaration.entry ?? '.');
    loaded = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  } catch (cause) {
    throw loaderError(
      specifier,
      'no se pudo importar su módulo.',
      'its module could not be imported.',
      cause,
    );
  }
  const module = loaded[exportName];
  if (!isContainerModule(module)) {
    throw loaderError(
      specifier,
      `no exporta un ContainerModule «${exportName}».`,
      `it does not export a ContainerModule "${exportName}".`,
    );
  }
  container.load(module);
  return {
    packageName: pkg.name ?? specifier,
    version: pkg.version ?? '0.0.0',
    directory,
    module,
  };
}
