import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContainerModule } from 'inversify';
import {
  Connector as ConnectorId,
  loadConnectorPackage,
  type Connector,
  type ConnectorManifest,
} from '@aic/connector-core';
import { createKitPorts, type KitPorts } from './kit/ports.js';
import { Sequence } from './kit/sequence.js';
import type { TargetKind } from './scenario.js';

/** Builds a connector on the kit's ports (for connectors not shipped as a package). */
export type ConnectorFactory = (ports: KitPorts) => Connector;

/**
 * What the kit tests: a connector package (name or path, as a host loads it), a package
 * directory URL, a ContainerModule, or a factory.
 */
export type ConnectorTarget = string | URL | ContainerModule | ConnectorFactory;

export interface TargetOptions {
  /** Where package names and relative paths resolve from. Default: the working directory. */
  readonly from?: string | undefined;
  /** Name shown in reports. Default: the package name, or `module` / `factory`. */
  readonly label?: string | undefined;
}

/** A target, loaded once; `build` makes its connectors again on fresh ports for each scenario. */
export interface LoadedTarget {
  readonly label: string;
  readonly kind: TargetKind;
  /** The specifier as a host would pass it to `loadConnectorPackage` (packages only). */
  readonly specifier?: string | undefined;
  readonly from: string;
  readonly packageName?: string | undefined;
  readonly version?: string | undefined;
  /** Manifests of the connectors the target binds, in binding order. */
  readonly manifests: readonly ConnectorManifest[];
  build(ports: KitPorts): Connector[];
}

const isModule = (value: unknown): value is ContainerModule =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as { load?: unknown }).load === 'function' &&
  typeof (value as { id?: unknown }).id === 'number';

function loadModuleInto(module: ContainerModule, ports: KitPorts): Connector[] {
  ports.container.load(module);
  return ports.container.getAll(ConnectorId);
}

function probe(build: (ports: KitPorts) => Connector[]): ConnectorManifest[] {
  const ports = createKitPorts(new Sequence());
  try {
    return build(ports).map((connector) => connector.manifest);
  } finally {
    void ports.dispatcher.destroy();
  }
}

/**
 * Loads a target once. Packages go through core's `loadConnectorPackage`, exactly as a host
 * loads them; the ContainerModule it finds is reused for every scenario's fresh container.
 */
export async function loadTarget(
  target: ConnectorTarget,
  options: TargetOptions = {},
): Promise<LoadedTarget> {
  const from = options.from ?? process.cwd();
  if (typeof target === 'string' || target instanceof URL) {
    const raw = target instanceof URL ? fileURLToPath(target) : target;
    const isPath = raw.startsWith('.') || isAbsolute(raw) || raw.startsWith('file:');
    const specifier = isPath && !raw.startsWith('file:') ? resolve(from, raw) : raw;
    const ports = createKitPorts(new Sequence());
    let loaded;
    try {
      loaded = await loadConnectorPackage(ports.container, specifier, { from });
    } finally {
      void ports.dispatcher.destroy();
    }
    const module = loaded.module;
    const build = (kit: KitPorts): Connector[] => loadModuleInto(module, kit);
    return {
      label: options.label ?? loaded.packageName,
      kind: 'package',
      specifier,
      from,
      packageName: loaded.packageName,
      version: loaded.version,
      manifests: probe(build),
      build,
    };
  }
  if (isModule(target)) {
    const build = (kit: KitPorts): Connector[] => loadModuleInto(target, kit);
    return { label: options.label ?? 'module', kind: 'module', from, manifests: probe(build), build };
  }
  const build = (kit: KitPorts): Connector[] => [target(kit)];
  return { label: options.label ?? 'factory', kind: 'factory', from, manifests: probe(build), build };
}

/**
 * Loads the target's package into `ports.container` the way a host does (by specifier, through
 * `loadConnectorPackage`) and resolves every connector bound under core's `Connector` id.
 */
export async function loadThroughHost(target: LoadedTarget, ports: KitPorts): Promise<Connector[]> {
  if (target.specifier === undefined) throw new Error('not a package target');
  await loadConnectorPackage(ports.container, target.specifier, { from: target.from });
  return ports.container.getAll(ConnectorId);
}
