import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  isConnectorError,
  statusDocument,
  text,
  type ConnectorRegistry,
  type LocalizedText,
} from '@aic/connector-core';
import type { ConnectionRepository, OperatorConsole, StoredConnection } from '@aic/console';

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}

const failure = (code: string, message: LocalizedText) => ({ ok: false, error: { code, message } });

async function describe(
  registry: ConnectorRegistry,
  stored: StoredConnection,
): Promise<Record<string, unknown>> {
  try {
    const connector = registry.get(stored.connectorId);
    const status = await connector.getStatus({ id: stored.id, credentials: stored.credentials });
    return { ...statusDocument(status), name: stored.name };
  } catch (error) {
    const code = isConnectorError(error) ? error.code : 'ERR_INTERNAL';
    const message = isConnectorError(error) ? error.localized : text('Error interno.', 'Internal error.');
    return {
      connection: stored.id,
      connector: stored.connectorId,
      name: stored.name,
      error: { code, message },
    };
  }
}

/**
 * The read-only JSON API for signed-in operators (the console's session, or the trusted proxy).
 * Resolves `false` for paths that are not the API's.
 */
export async function serveApi(
  request: IncomingMessage,
  response: ServerResponse,
  host: { console: OperatorConsole; registry: ConnectorRegistry; connections: ConnectionRepository },
): Promise<boolean> {
  const path = new URL(request.url ?? '/', 'http://host.invalid').pathname;
  if (!path.startsWith('/api/')) return false;
  if (host.console.operatorOf(request) === undefined) {
    sendJson(
      response,
      401,
      failure('ERR_NOT_SIGNED_IN', text('Inicie sesión en la consola.', 'Sign in to the console.')),
    );
    return true;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('allow', 'GET');
    sendJson(
      response,
      405,
      failure('ERR_METHOD_NOT_ALLOWED', text('Solo lectura (GET).', 'Read only (GET).')),
    );
    return true;
  }
  if (path === '/api/connections') {
    const all = await host.connections.list();
    sendJson(response, 200, {
      ok: true,
      connections: await Promise.all(all.map((c) => describe(host.registry, c))),
    });
    return true;
  }
  const match = /^\/api\/connections\/([^/]+)\/status$/.exec(path);
  let id: string | undefined;
  try {
    id = match === null ? undefined : decodeURIComponent(match[1]!);
  } catch {
    id = undefined;
  }
  const stored = id === undefined ? undefined : await host.connections.get(id);
  if (stored === undefined) {
    sendJson(response, 404, failure('ERR_NOT_FOUND', text('No existe.', 'Not found.')));
    return true;
  }
  const document = await describe(host.registry, stored);
  sendJson(
    response,
    'error' in document ? 409 : 200,
    'error' in document ? { ok: false, ...document } : { ok: true, ...document },
  );
  return true;
}
