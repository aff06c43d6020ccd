import { fileURLToPath } from 'node:url';
import { isAbsolute, join, resolve } from 'node:path';
import { Container } from 'inversify';
import {
  Clock,
  Connector,
  ConnectorRegistry,
  HttpDispatcher,
  PendingAuthorizationStore,
  TokenRequestLimiter,
  TokenStore,
  connectorCoreModule,
  createDefaultDispatcher,
  loadConnectorPackage,
  text,
  type ConnectionInput,
  type Clock as ClockPort,
} from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';
import { ConnectionsFile, type ConnectionEntry } from './connections-file.js';
import { readCredentialsFile } from './credentials-file.js';
import type { OpenedStores } from './stores.js';

/** The connector packages every `aic` loads: the three providers of this repository. */
export const BUILTIN_CONNECTORS: readonly string[] = [
  '@aic/provider-hp-techpulse',
  '@aic/provider-abbyy-vantage',
  '@aic/provider-leancore',
];

/** The CLI package directory: built-in connector packages are resolved from here. */
const CLI_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));

export interface HostOptions {
  /** Packages loaded first, resolved from the CLI's own installation. */
  readonly builtinConnectors: readonly string[];
  /** `--connector` values: package names (resolved from `cwd`) or paths. */
  readonly extraConnectors: readonly string[];
  readonly cwd: string;
  readonly stateDir: string;
  readonly stores: OpenedStores;
  readonly clock?: ClockPort | undefined;
}

/** A loaded connector and the package it came from. */
export interface LoadedConnector {
  readonly connector: Connector;
  readonly packageName: string;
  readonly packageVersion: string;
}

/** A registered connection, ready for the connector's methods. */
export interface OpenedConnection {
  readonly entry: ConnectionEntry;
  readonly connector: Connector;
  readonly input: ConnectionInput;
}

/**
 * What `aic` runs on: an inversify container with the chosen stores, core's module and every
 * connector package, the registry of connectors, and the connections file.
 */
export class Host {
  readonly #stores: OpenedStores;
  readonly #dispatcher: ReturnType<typeof createDefaultDispatcher>;
  readonly #loaded: readonly LoadedConnector[];
  readonly registry: ConnectorRegistry;
  readonly connections: ConnectionsFile;
  readonly cwd: string;

  private constructor(
    registry: ConnectorRegistry,
    stores: OpenedStores,
    dispatcher: ReturnType<typeof createDefaultDispatcher>,
    loaded: readonly LoadedConnector[],
    options: HostOptions,
  ) {
    this.#stores = stores;
    this.#dispatcher = dispatcher;
    this.#loaded = loaded;
    this.registry = registry;
    this.connections = new ConnectionsFile(join(options.stateDir, 'connections.json'));
    this.cwd = options.cwd;
  }

  /** Builds the container and loads every connector package. */
  static async create(options: HostOptions): Promise<Host> {
    const container = new Container();
    const dispatcher = createDefaultDispatcher();
    container.bind(TokenStore).toConstantValue(options.stores.tokenStore);
    container.bind(PendingAuthorizationStore).toConstantValue(options.stores.pendingStore);
    container.bind(HttpDispatcher).toConstantValue(dispatcher);
    if (options.stores.tokenLimiter !== undefined) {
      container.bind(TokenRequestLimiter).toConstantValue(options.stores.tokenLimiter);
    }
    if (options.clock !== undefined) container.bind(Clock).toConstantValue(options.clock);
    container.load(connectorCoreModule());

    const loaded: LoadedConnector[] = [];
    // Each package goes into its own child container: its connectors are exactly the child's
    // bindings (no guessing which package bound what), and they resolve the host's ports (stores,
    // dispatcher, clock) from the parent.
    const load = async (specifier: string, from: string): Promise<void> => {
      const child = new Container({ parent: container });
      const pkg = await loadConnectorPackage(child, specifier, { from });
      for (const connector of child.getAll(Connector, { optional: true })) {
        loaded.push({ connector, packageName: pkg.packageName, packageVersion: pkg.version });
      }
    };
    try {
      for (const name of options.builtinConnectors) await load(name, CLI_DIRECTORY);
      for (const specifier of options.extraConnectors) {
        if (!options.builtinConnectors.includes(specifier)) await load(specifier, options.cwd);
      }
      // Two packages binding the same connector id is an ERR_CONFIGURATION from the registry.
      const registry = new ConnectorRegistry(loaded.map((entry) => entry.connector));
      return new Host(registry, options.stores, dispatcher, loaded, options);
    } catch (error) {
      await dispatcher.close();
      throw error;
    }
  }

  /** Every loaded connector, in load order. */
  connectors(): readonly LoadedConnector[] {
    return this.#loaded;
  }

  /** The connector with this id; `ERR_UNKNOWN_CONNECTOR` listing the loaded ones otherwise. */
  connector(id: string): Connector {
    if (!this.registry.has(id)) {
      const known = this.registry
        .list()
        .map((c) => c.manifest.id)
        .join(', ');
      throw new CliError(
        CliErrorCode.UnknownConnector,
        text(
          `No hay un conector «${id}». Conectores cargados: ${known || '—'}.`,
          `No connector “${id}”. Loaded connectors: ${known || '—'}.`,
        ),
      );
    }
    return this.registry.get(id);
  }

  /** A path given on the command line, made absolute against the working directory. */
  path(value: string): string {
    return isAbsolute(value) ? value : resolve(this.cwd, value);
  }

  /** The registered connection `id` with its credentials read from its file. */
  async openConnection(id: string): Promise<OpenedConnection> {
    const entry = await this.connections.get(id);
    if (entry === undefined) {
      throw new CliError(
        CliErrorCode.UnknownConnection,
        text(
          `No hay una conexión «${id}» en ${this.connections.path}: créela con «aic connect <conector> --connection ${id} --credentials <archivo>».`,
          `No connection “${id}” in ${this.connections.path}: create it with “aic connect <connector> --connection ${id} --credentials <file>”.`,
        ),
      );
    }
    const connector = this.connector(entry.connector);
    const credentials = await readCredentialsFile(entry.credentialsFile);
    return { entry, connector, input: { id, credentials } };
  }

  /** The stores in use (`aic disconnect` without credentials, `aic key rotate`). */
  get stores(): OpenedStores {
    return this.#stores;
  }

  /** Closes the HTTP dispatcher and the stores. */
  async close(): Promise<void> {
    await Promise.allSettled([this.#dispatcher.close(), this.#stores.close()]);
  }
}
