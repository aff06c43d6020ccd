import {
  InvalidCredentialsError,
  isConnectorError,
  text,
  type ConnectionInput,
  type Connector,
  type LocalizedText,
} from '@aic/connector-core';
import type { PageSecurity } from '../http/respond.js';
import type { StoredConnection } from '../repository.js';
import { messagePage } from '../views/auth-pages.js';
import { connectionPath, consolePath } from '../views/page-context.js';
import { pageContext, render, type RequestContext } from './context.js';

/** A stored connection with its connector. */
export interface LoadedConnection {
  readonly stored: StoredConnection;
  readonly connector: Connector;
  readonly input: ConnectionInput;
}

export const inputOf = (stored: StoredConnection, credentials = stored.credentials): ConnectionInput => ({
  id: stored.id,
  credentials,
});

/** The connection named by the route, or a 404 page (and `undefined`). */
export async function loadConnection(context: RequestContext): Promise<LoadedConnection | undefined> {
  const id = context.params[0] ?? '';
  const stored = await context.state.options.repository.get(id);
  if (stored === undefined) {
    notFoundPage(context);
    return undefined;
  }
  let connector: Connector;
  try {
    connector = context.state.options.connectors.get(stored.connectorId);
  } catch {
    render(
      context,
      500,
      messagePage(pageContext(context), {
        title: text('Conector no disponible', 'Connector not available'),
        message: text(
          `Este host no tiene cargado el conector «${stored.connectorId}» de la conexión: pida al administrador que lo agregue.`,
          `This host has not loaded the connection's connector “${stored.connectorId}”: ask the administrator to add it.`,
        ),
        code: 'ERR_CONFIGURATION',
      }),
    );
    return undefined;
  }
  return { stored, connector, input: inputOf(stored) };
}

export function notFoundPage(context: RequestContext): void {
  render(
    context,
    404,
    messagePage(pageContext(context), {
      title: text('No encontrada', 'Not found'),
      message: text('Esa página o conexión no existe.', 'That page or connection does not exist.'),
      code: 'ERR_NOT_FOUND',
    }),
  );
}

/**
 * The provider origins a page's "Authorize" form may be redirected to: every region's
 * authorization endpoint and the connection's own override. Browsers check `form-action` on
 * the redirect that answers a form submission.
 */
export function authorizeSecurity(
  connector: Connector,
  credentials: Readonly<Record<string, unknown>>,
): PageSecurity {
  if (!connector.manifest.capabilities.authorizationCode) return {};
  const urls: unknown[] = Object.values(connector.manifest.endpoints).map(
    (endpoints) => endpoints.authorization,
  );
  const overrides = credentials['endpoints'];
  if (overrides !== null && typeof overrides === 'object')
    urls.push((overrides as Record<string, unknown>)['authorization']);
  const origins = new Set<string>();
  for (const url of urls) {
    if (typeof url !== 'string' || !URL.canParse(url)) continue;
    const parsed = new URL(url);
    if (parsed.protocol === 'https:' || parsed.protocol === 'http:') origins.add(parsed.origin);
  }
  return { formActionOrigins: [...origins] };
}

/** What a failure says to a person: typed errors keep their code and text; anything else is generic. */
export function describeFailure(error: unknown): { readonly code: string; readonly message: LocalizedText } {
  if (isConnectorError(error)) return { code: error.code, message: error.localized };
  const typed = error as { code?: unknown; localized?: unknown };
  if (typeof typed?.code === 'string' && typeof typed.localized === 'object' && typed.localized !== null) {
    return { code: typed.code, message: typed.localized as LocalizedText };
  }
  return {
    code: 'ERR_INTERNAL',
    message: text(
      'Error interno de la consola: quedó registrado; intente de nuevo o avise al administrador.',
      'Internal console error: it was logged; try again or tell the administrator.',
    ),
  };
}

/** An error page for a failed action on a connection, with the way back. */
export function failurePage(
  context: RequestContext,
  status: number,
  stored: StoredConnection,
  error: unknown,
): void {
  const { code, message } = describeFailure(error);
  const base = context.state.options.base;
  const links = [
    { href: connectionPath(base, stored.id), label: text('Volver a la conexión', 'Back to the connection') },
  ];
  if (error instanceof InvalidCredentialsError) {
    links.unshift({
      href: connectionPath(base, stored.id, '/edit'),
      label: text('Editar la conexión', 'Edit the connection'),
    });
  }
  render(
    context,
    status,
    messagePage(pageContext(context), {
      title: text('No se pudo completar', 'It could not be done'),
      message,
      code,
      links: [...links, { href: consolePath(base, '/'), label: text('Conexiones', 'Connections') }],
    }),
  );
}

/** The issues of an `InvalidCredentialsError`, by pointer. */
export function issuesByPointer(error: InvalidCredentialsError): Map<string, LocalizedText[]> {
  const issues = new Map<string, LocalizedText[]>();
  for (const issue of error.issues)
    issues.set(issue.pointer, [...(issues.get(issue.pointer) ?? []), issue.message]);
  return issues;
}

/** True when the connector's schema has a top-level secret `refreshToken` (an imported one). */
export function importsRefreshToken(connector: Connector): boolean {
  const field = connector.manifest.credentialSchema.properties['refreshToken'] as
    Record<string, unknown> | undefined;
  return field !== undefined && field['x-secret'] === true;
}
