import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Container } from 'inversify';
import {
  Clock,
  ConnectorRegistry,
  ConnectorRegistryId,
  EndpointPolicy,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  TokenStore,
  connectorCoreModule,
  endpointPolicy,
  loadConnectorPackage,
  silentLogger,
  systemClock,
  type Clock as ClockPort,
  type Logger as LoggerPort,
  type PendingAuthorizationStore as PendingStorePort,
  type TokenStore as TokenStorePort,
} from '@aic/connector-core';
import {
  MemoryConnectionRepository,
  createConsole,
  type ConnectionRepository,
  type ConsoleOptions,
  type OperatorConsole,
} from '@aic/console';
import { serveApi } from './api.js';

/** A connection from the configuration file: added to the console's connections when absent. */
export interface ConnectionConfig {
  readonly id: string;
  readonly connector: string;
  readonly credentials: Readonly<Record<string, unknown>>;
}

/** The console's settings a host gives (connectors, connections, clock and logger come from the host). */
export type HostConsoleOptions = Omit<ConsoleOptions, 'connectors' | 'connections' | 'clock' | 'logger'>;

export interface ReferenceHostOptions {
  /** Connector packages to load: package names (resolved from `resolveFrom`) or paths. */
  readonly connectorPackages: readonly string[];
  /** The operator console: operators (or a trusted proxy), cookies, time zone. */
  readonly console: HostConsoleOptions;
  /** Where the console keeps connections. Default: in memory (lost on restart). */
  readonly connectionRepository?: ConnectionRepository | undefined;
  /** Connections from the configuration file, added at start-up when no connection has their id. */
  readonly connections?: readonly ConnectionConfig[] | undefined;
  /**
   * The endpoint policy (core's `EndpointPolicy`): extra origins connections may use, and
   * `development` (loopback and private addresses: local test servers only, never production).
   * Default: each connector's own origins only.
   */
  readonly endpoints?:
    { readonly development?: boolean; readonly allowedOrigins?: readonly string[] } | undefined;
  /** Where tokens live. Default: in memory (lost on restart). */
  readonly tokenStore?: TokenStorePort | undefined;
  /** Where started authorizations wait for their callback. Default: in memory. */
  readonly pendingStore?: PendingStorePort | undefined;
  readonly clock?: ClockPort | undefined;
  /** Receives the request log (method, path without query, status) and the audit log. */
  readonly logger?: LoggerPort | undefined;
  /** Directory package names resolve from. Default: this package's directory. */
  readonly resolveFrom?: string | undefined;
}

export interface ReferenceHost {
  /** The container AIC would keep: stores, core ports, every connector. */
  readonly container: Container;
  readonly registry: ConnectorRegistry;
  readonly console: OperatorConsole;
  readonly connections: ConnectionRepository;
  readonly server: Server;
  /** Starts listening; resolves with the base URL. */
  listen(port: number, host?: string): Promise<URL>;
  close(): Promise<void>;
}

const PACKAGE_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));

/**
 * The reference host: how Aranda Integration Center wires connectors. It builds an inversify
 * container (stores, the endpoint policy, `connectorCoreModule()`, every connector package
 * through its `aicConnector` declaration), mounts the operator console (every page behind
 * sign-in; the OAuth callback only for the session that started the flow) and serves a small
 * read-only JSON API for signed-in operators:
 *
 * - `GET /api/connections` — every connection with its status (the CLI's `--json` keys);
 * - `GET /api/connections/:id/status` — one connection's status.
 */
export async function createReferenceHost(options: ReferenceHostOptions): Promise<ReferenceHost> {
  const container = new Container();
  if (options.tokenStore !== undefined) container.bind(TokenStore).toConstantValue(options.tokenStore);
  if (options.pendingStore !== undefined) {
    container.bind(PendingAuthorizationStore).toConstantValue(options.pendingStore);
  }
  const clock = options.clock ?? systemClock;
  container.bind(Clock).toConstantValue(clock);
  const logger = options.logger ?? silentLogger;
  container.bind(Logger).toConstantValue(logger);
  // Only the host widens where connections may point; a credential payload never does.
  container.bind(EndpointPolicy).toConstantValue(endpointPolicy(options.endpoints ?? {}));
  container.bind(ConnectorRegistryId).to(ConnectorRegistry).inSingletonScope();
  container.load(connectorCoreModule());
  for (const specifier of options.connectorPackages) {
    await loadConnectorPackage(container, specifier, { from: options.resolveFrom ?? PACKAGE_DIRECTORY });
  }
  const registry = container.get<ConnectorRegistry>(ConnectorRegistryId);

  const connections = options.connectionRepository ?? new MemoryConnectionRepository();
  // Seeds fail at start-up, not at the first request: unknown connector or bad credentials.
  for (const seed of options.connections ?? []) {
    registry.get(seed.connector).validateCredentials(seed.credentials);
    if ((await connections.get(seed.id)) === undefined) {
      const now = clock.now();
      await connections.save(
        {
          id: seed.id,
          connectorId: seed.connector,
          name: seed.id,
          credentials: seed.credentials,
          createdAt: now,
          updatedAt: now,
        },
        { create: true },
      );
    }
  }

  const operatorConsole = createConsole({
    ...options.console,
    connectors: registry,
    connections,
    clock,
    logger,
  });

  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host.invalid').pathname;
    const served = (async () => {
      if (await operatorConsole.handle(request, response)) return;
      if (await serveApi(request, response, { console: operatorConsole, registry, connections })) return;
      operatorConsole.notFound(request, response);
    })();
    served
      .catch((error: unknown) => {
        logger.log('error', 'request failed', { path, error: (error as { name?: string })?.name });
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          response.end('internal error\n');
        }
      })
      .finally(() => {
        // Never the query: on the callback it holds the authorization code.
        logger.log('info', 'request', { method: request.method, path, status: response.statusCode });
      });
  });

  return {
    container,
    registry,
    console: operatorConsole,
    connections,
    server,
    listen: (port, host = '127.0.0.1') =>
      new Promise<URL>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          resolve(new URL(`http://${host.includes(':') ? `[${host}]` : host}:${address.port}`));
        });
      }),
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await container.get(HttpDispatcher).close();
    },
  };
}
