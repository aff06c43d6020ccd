import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ConnectorRegistryId,
  MemoryLogger,
  endpointPolicy,
  type MemoryTokenStore,
} from '@aic/connector-core';
import { createTestHost, type TestHost } from '@aic/connector-core/testing';
import { connectorModule } from '@aic/provider-hp-techpulse';
import {
  MemoryConnectionRepository,
  createConsole,
  hashPassword,
  type ConsoleOptions,
  type OperatorConsole,
  type StoredConnection,
} from '@aic/console';

export const OPERATOR = { username: 'ana', password: 'contraseña-de-ana-1' } as const;
export const HP_SECRET = 'hp-console-secret-Ñ-0123456789';

let operatorHash: Promise<string> | undefined;
/** One cheap hash per test file (the default cost is for production). */
export const anaHash = (): Promise<string> =>
  (operatorHash ??= hashPassword(OPERATOR.password, { logN: 10 }));

/** A minimal host: HP's connector on test ports, the console mounted at `basePath`, one host route. */
export interface ConsoleHost {
  readonly url: string;
  readonly console: OperatorConsole;
  readonly ports: TestHost;
  readonly repository: MemoryConnectionRepository;
  /** The console's audit log and errors (the connector logs to `ports.logger`). */
  readonly audit: MemoryLogger;
  close(): Promise<void>;
}

export async function startConsoleHost(
  options: Partial<ConsoleOptions> & {
    readonly connections?: readonly StoredConnection[];
    readonly listen?: string;
    /** No endpoint policy: loopback endpoints are refused, as on a production host. */
    readonly strictEndpoints?: boolean;
    /** The token store the connector uses. Default: a memory store. */
    readonly tokenStore?: MemoryTokenStore;
  } = {},
): Promise<ConsoleHost> {
  const ports = createTestHost({
    connectorId: 'hp-techpulse',
    modules: connectorModule,
    ...(options.tokenStore === undefined ? {} : { tokenStore: options.tokenStore }),
    start: Date.UTC(2026, 11, 18, 19, 5),
    // The scripted HP listens on loopback: the host opts in to development endpoints.
    ...(options.strictEndpoints === true ? {} : { endpointPolicy: endpointPolicy({ development: true }) }),
  });
  const registry = ports.container.get(ConnectorRegistryId);
  const repository = new MemoryConnectionRepository(options.connections ?? []);
  const audit = new MemoryLogger();
  const operatorConsole = createConsole({
    connectors: registry,
    connections: repository,
    operators: [{ username: OPERATOR.username, passwordHash: await anaHash() }],
    secureCookies: false,
    clock: ports.clock,
    logger: audit,
    timeZone: 'America/Bogota',
    ...options,
  });
  const server: Server = createServer((request, response) => {
    void operatorConsole.handle(request, response).then((handled) => {
      if (handled) return;
      if (request.url === '/host/health') {
        response.writeHead(200, { 'content-type': 'text/plain' });
        response.end('host route');
        return;
      }
      operatorConsole.notFound(request, response);
    });
  });
  const host = options.listen ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    console: operatorConsole,
    ports,
    repository,
    audit,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await ports.close();
    },
  };
}

/** An HP connection whose endpoints point at a fake provider. */
export function hpConnection(
  host: { url: string },
  endpoints: { authorization: string; token: string; apiBase: string },
  overrides: Partial<StoredConnection> = {},
): StoredConnection {
  return {
    id: 'hp-acme',
    connectorId: 'hp-techpulse',
    name: 'HP – Acme',
    credentials: {
      clientId: 'acme-api-key',
      clientSecret: HP_SECRET,
      clientSecretCreatedAt: '2026-11-01',
      redirectUri: `${host.url}/oauth/callback`,
      region: 'us',
      endpoints,
    },
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
}
