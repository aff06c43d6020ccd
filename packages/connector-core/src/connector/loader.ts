import { access, readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
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

/** A bare package name (`name` or `@scope/name`), so a specifier cannot walk out of node_modules. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/i;

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

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The package's directory, symlinks resolved (as Node does, so the package's own relative
 * imports work from a pnpm or `npm link` layout): a path or `file:` URL as given, a package name
 * looked up in the `node_modules` folders from `from` up to the root (Node's package lookup).
 */
async function findPackageDirectory(specifier: string, from: string): Promise<string> {
  if (specifier.startsWith('file:')) return realpath(fileURLToPath(specifier));
  if (isPath(specifier)) return realpath(resolve(from, specifier));
  if (!PACKAGE_NAME.test(specifier)) throw new Error('not a package name');
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', specifier);
    if (await exists(join(candidate, 'package.json'))) return realpath(candidate);
    if (dirname(dir) === dir) throw new Error('not installed');
  }
}

/** Conditions an ESM `import` in Node matches, checked in the order the package lists them. */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'default']);

/** The file `import` loads for `entry` (`.` or a subpath) per the package's `exports` or `main`. */
function entryOf(pkg: PackageJson, directory: string, entry: string): string {
  const exportsField = pkg.exports;
  let target: unknown;
  if (exportsField === undefined) {
    target = entry === '.' ? `./${(pkg.main ?? 'index.js').replace(/^\.\//, '')}` : undefined;
  } else if (
    typeof exportsField === 'string' ||
    Object.keys(exportsField as object)[0]?.startsWith('.') !== true
  ) {
    // Sugar: `"exports": "./x.js"` or a conditions object both mean the "." entry.
    target = entry === '.' ? exportsField : undefined;
  } else {
    target = (exportsField as Record<string, unknown>)[entry];
  }
  while (target !== null && typeof target === 'object' && !Array.isArray(target)) {
    const match = Object.entries(target as Record<string, unknown>).find(([condition]) =>
      IMPORT_CONDITIONS.has(condition),
    );
    target = match?.[1];
  }
  if (typeof target !== 'string' || !target.startsWith('./')) throw new Error(`no export "${entry}"`);
  return join(directory, target);
}

/** Duck-typed: a ContainerModule from another copy of inversify is still a module. */
const isContainerModule = (value: unknown): value is ContainerModule =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as { load?: unknown }).load === 'function' &&
  typeof (value as { id?: unknown }).id === 'number';

/**
 * Loads a connector package by name (looked up from `from`, default the working directory), by
 * path or by `file:` URL, finds its ContainerModule through `aicConnector` in its package.json,
 * and loads it into `container` (whose `Connector` multi-binding then includes it). Errors are
 * `ERR_CONFIGURATION` saying what is missing; the underlying failure is the `cause`.
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
