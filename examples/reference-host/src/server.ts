import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Container } from 'inversify';
import {
  Clock,
  ConnectorRegistry,
  ConnectorRegistryId,
  ErrorCode,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  StateMismatchError,
  TokenRequestLimiter,
  TokenStore,
  connectorCoreModule,
  loadConnectorPackage,
  silentLogger,
  text,
  type Clock as ClockPort,
  type ConnectionInput,
  type Connector,
  type Logger as LoggerPort,
  type PendingAuthorizationStore as PendingStorePort,
  type TokenRequestLimiter as TokenRequestLimiterPort,
  type TokenStore as TokenStorePort,
} from '@aic/connector-core';
import {
  CALLBACK_PATH,
  callbackConnection,
  clearedSessionCookie,
  sessionCookie,
} from './callback-session.js';
import { errorBody, httpStatusFor, langOf, sendJson, sendPage } from './responses.js';

/** One configured integration: which connector and its credentials (validated at start-up). */
export interface ConnectionConfig {
  readonly id: string;
  readonly connector: string;
  readonly credentials: Readonly<Record<string, unknown>>;
}

export interface ReferenceHostOptions {
  /** Connector packages to load: package names (resolved from `resolveFrom`) or paths. */
  readonly connectorPackages: readonly string[];
  readonly connections: readonly ConnectionConfig[];
  /** Where tokens live. Default: in memory (lost on restart). */
  readonly tokenStore?: TokenStorePort | undefined;
  /** Where started authorizations wait for their callback. Default: in memory. */
  readonly pendingStore?: PendingStorePort | undefined;
  /**
   * Bounds token requests in flight per token endpoint origin; a store-backed one (SQLite) shares
   * the bound with the other processes on the store. Default: core's, for this process.
   */
  readonly tokenLimiter?: TokenRequestLimiterPort | undefined;
  readonly clock?: ClockPort | undefined;
  /** Receives one line per request (method, path without query, status). Default: silent. */
  readonly logger?: LoggerPort | undefined;
  /** Directory package names resolve from. Default: this package's directory. */
  readonly resolveFrom?: string | undefined;
}

export interface ReferenceHost {
  /** The container AIC would keep: stores, core ports, every connector. */
  readonly container: Container;
  readonly registry: ConnectorRegistry;
  readonly server: Server;
  /** Starts listening; resolves with the base URL. */
  listen(port: number, host?: string): Promise<URL>;
  close(): Promise<void>;
}

const PACKAGE_DIRECTORY = fileURLToPath(new URL('..', import.meta.url));

class NotFound extends Error {}

/**
 * The reference host: how Aranda Integration Center wires connectors. It builds an inversify
 * container (stores, `connectorCoreModule()`, every connector package through its
 * `aicConnector` declaration), validates every configured connection at start-up, and serves:
 *
 * - `GET  /connections` — the configured connections;
 * - `GET  /connections/:id/authorize` — 302 to the provider's authorization URL;
 * - `GET  /oauth/callback` — checks the browser binding and completes the authorization;
 * - `GET  /connections/:id/status` — state, deadlines and warnings;
 * - `POST /connections/:id/check` — "Validar conexión".
 */
export async function createReferenceHost(options: ReferenceHostOptions): Promise<ReferenceHost> {
  const container = new Container();
  if (options.tokenStore !== undefined) container.bind(TokenStore).toConstantValue(options.tokenStore);
  if (options.pendingStore !== undefined) {
    container.bind(PendingAuthorizationStore).toConstantValue(options.pendingStore);
  }
  if (options.tokenLimiter !== undefined) {
    container.bind(TokenRequestLimiter).toConstantValue(options.tokenLimiter);
  }
  if (options.clock !== undefined) container.bind(Clock).toConstantValue(options.clock);
  if (options.logger !== undefined) container.bind(Logger).toConstantValue(options.logger);
  container.bind(ConnectorRegistryId).to(ConnectorRegistry).inSingletonScope();
  container.load(connectorCoreModule());
  for (const specifier of options.connectorPackages) {
    await loadConnectorPackage(container, specifier, { from: options.resolveFrom ?? PACKAGE_DIRECTORY });
  }
  const registry = container.get<ConnectorRegistry>(ConnectorRegistryId);
  const logger = options.logger ?? silentLogger;

  // Fail at start-up, not at the first request: unknown connector or bad credentials.
  const connections = new Map<string, { connector: Connector; input: ConnectionInput }>();
  for (const config of options.connections) {
    const connector = registry.get(config.connector);
    connector.validateCredentials(config.credentials);
    connections.set(config.id, { connector, input: { id: config.id, credentials: config.credentials } });
  }
  const connection = (id: string) => {
    const found = connections.get(id);
    if (found === undefined) throw new NotFound();
    return found;
  };

  async function authorize(
    request: IncomingMessage,
    response: ServerResponse,
    id: string,
    signal: AbortSignal,
  ) {
    const { connector, input } = connection(id);
    const start = await connector.startAuthorization(input, { signal });
    const now = container.get(Clock).now();
    const secure = request.headers['x-forwarded-proto'] === 'https';
    response.writeHead(302, {
      location: start.url,
      'set-cookie': sessionCookie(id, start.state, (start.expiresAt - now) / 1000, secure),
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
    });
    response.end();
  }

  async function callback(request: IncomingMessage, response: ServerResponse, url: URL, signal: AbortSignal) {
    const lang = langOf(request);
    const secure = request.headers['x-forwarded-proto'] === 'https';
    const clear = { 'set-cookie': clearedSessionCookie(secure) };
    try {
      const id = callbackConnection(request, url.searchParams.get('state'));
      if (id === undefined || !connections.has(id)) {
        throw new StateMismatchError(
          ErrorCode.StateMismatch,
          text(
            'Esta respuesta de autorización no corresponde a una autorización iniciada en este navegador (posible CSRF): iníciela de nuevo.',
            'This authorization response does not match an authorization started in this browser (possible CSRF): start it again.',
          ),
        );
      }
      const { connector, input } = connection(id);
      const result = await connector.completeAuthorization(input, url.searchParams, { signal });
      sendPage(
        response,
        200,
        lang,
        text('Conexión autorizada', 'Connection authorized'),
        [
          text(`La conexión «${id}» quedó autorizada.`, `Connection “${id}” is authorized.`)[lang],
          ...result.warnings.map((warning) => warning.message[lang]),
        ],
        clear,
      );
    } catch (error) {
      const body = errorBody(error);
      sendPage(
        response,
        httpStatusFor(error),
        lang,
        text('La autorización falló', 'Authorization failed'),
        [`${body.message[lang]} (${body.code})`],
        clear,
      );
    }
  }

  async function route(
    request: IncomingMessage,
    response: ServerResponse,
    signal: AbortSignal,
  ): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://host.invalid');
    const method = request.method ?? 'GET';
    const allow = (methods: string): boolean => {
      if (methods.split(', ').includes(method)) return true;
      sendJson(response, 405, { error: { code: 'ERR_METHOD_NOT_ALLOWED' } }, { allow: methods });
      return false;
    };
    if (url.pathname === CALLBACK_PATH) {
      if (allow('GET')) await callback(request, response, url, signal);
      return;
    }
    if (url.pathname === '/connections') {
      if (allow('GET')) {
        sendJson(response, 200, {
          connections: [...connections].map(([id, { connector }]) => ({
            id,
            connector: connector.manifest.id,
            grant: connector.manifest.grant,
          })),
        });
      }
      return;
    }
    const match = /^\/connections\/([^/]+)\/(authorize|status|check)$/.exec(url.pathname);
    if (match === null) throw new NotFound();
    const id = decodeURIComponent(match[1]!);
    switch (match[2]) {
      case 'authorize':
        if (allow('GET')) await authorize(request, response, id, signal);
        return;
      case 'status': {
        if (!allow('GET')) return;
        const { connector, input } = connection(id);
        sendJson(response, 200, await connector.getStatus(input));
        return;
      }
      default: {
        if (!allow('POST')) return;
        const { connector, input } = connection(id);
        sendJson(response, 200, await connector.validateConnection(input, { signal }));
      }
    }
  }

  const server = createServer((request, response) => {
    // A client that goes away cancels the connector calls made for it.
    const controller = new AbortController();
    response.on('close', () => {
      if (!response.writableFinished) controller.abort(new Error('client closed the connection'));
    });
    const path = new URL(request.url ?? '/', 'http://host.invalid').pathname;
    route(request, response, controller.signal)
      .catch((error: unknown) => {
        if (response.headersSent) return;
        if (error instanceof NotFound) sendJson(response, 404, { error: { code: 'ERR_NOT_FOUND' } });
        else sendJson(response, httpStatusFor(error), { error: errorBody(error) });
      })
      .finally(() => {
        // Never the query: on the callback it holds the authorization code.
        logger.log('info', 'request', { method: request.method, path, status: response.statusCode });
      });
  });

  return {
    container,
    registry,
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
