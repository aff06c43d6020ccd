import {
  InvalidCredentialsError,
  isConnectorError,
  secretPointers,
  text,
  type Connector,
  type LocalizedText,
} from '@aic/connector-core';
import { credentialsFromForm } from '../forms/form-values.js';
import { formFields, valueAt } from '../forms/schema-fields.js';
import { CONNECTION_ID_PATTERN, ConnectionExistsError, type StoredConnection } from '../repository.js';
import { chooseConnectorPage, connectionListPage, type ConnectionRow } from '../views/connection-list.js';
import { connectionFormPage } from '../views/connection-form.js';
import { connectionPage } from '../views/connection-page.js';
import { confirmPage } from '../views/action-pages.js';
import { connectionPath, consolePath } from '../views/page-context.js';
import { audit, notice, pageContext, redirectWith, render, type RequestContext } from './context.js';
import {
  authorizeSecurity,
  failurePage,
  importsRefreshToken,
  inputOf,
  issuesByPointer,
  loadConnection,
  notFoundPage,
  type LoadedConnection,
} from './connection-support.js';

const REFRESH_TOKEN = '/refreshToken';

/** GET /: every connection with its state, next deadline and warnings. */
export async function listConnections(context: RequestContext): Promise<void> {
  const { connectors, repository } = context.state.options;
  const stored = await repository.list();
  const rows = await Promise.all(
    stored.map(async (connection): Promise<ConnectionRow> => {
      let connector: Connector | undefined;
      try {
        connector = connectors.get(connection.connectorId);
        return {
          connection,
          connector,
          status: await connector.getStatus(inputOf(connection)),
          problem: undefined,
        };
      } catch (error) {
        const problem: LocalizedText = isConnectorError(error)
          ? error.localized
          : text('No se pudo leer el estado.', 'The status could not be read.');
        return { connection, connector, status: undefined, problem };
      }
    }),
  );
  render(context, 200, connectionListPage(pageContext(context), rows));
}

interface FormInput {
  readonly mode: 'new' | 'edit';
  readonly connector: Connector;
  readonly id: string;
  readonly name: string;
  readonly credentials: Readonly<Record<string, unknown>> | undefined;
  readonly storedSecrets: ReadonlySet<string>;
  readonly issues?: ReadonlyMap<string, readonly LocalizedText[]>;
  readonly problems?: readonly {
    readonly field: 'id' | 'name' | undefined;
    readonly message: LocalizedText;
  }[];
}

function showForm(context: RequestContext, status: number, input: FormInput): void {
  const imports = importsRefreshToken(input.connector);
  render(
    context,
    status,
    connectionFormPage(pageContext(context), {
      mode: input.mode,
      connector: input.connector,
      fields: formFields(input.connector.manifest.credentialSchema, new Set(imports ? [REFRESH_TOKEN] : [])),
      id: input.id,
      name: input.name,
      form: {
        lang: context.lang,
        values: input.credentials,
        storedSecrets: input.storedSecrets,
        issues: input.issues ?? new Map(),
      },
      problems: input.problems ?? [],
      importsRefreshToken: imports,
    }),
  );
}

function connectorFromQuery(context: RequestContext): Connector | undefined {
  const id = context.url.searchParams.get('connector');
  if (id === null) return undefined;
  return context.state.options.connectors.list().find((connector) => connector.manifest.id === id);
}

/** GET /connections/new: choose a connector, then its form. */
export function newConnectionForm(context: RequestContext): void {
  const connector = connectorFromQuery(context);
  if (connector === undefined) {
    render(context, 200, chooseConnectorPage(pageContext(context), context.state.options.connectors.list()));
    return;
  }
  showForm(context, 200, {
    mode: 'new',
    connector,
    id: '',
    name: '',
    credentials: undefined,
    storedSecrets: new Set(),
  });
}

/** Checks name (and id for a new connection) and the credentials against the connector's schema. */
function check(
  connector: Connector,
  fields: { id: string; name: string; credentials: Readonly<Record<string, unknown>>; checkId: boolean },
): { problems: NonNullable<FormInput['problems']>; issues: Map<string, LocalizedText[]> } {
  const problems: { field: 'id' | 'name'; message: LocalizedText }[] = [];
  if (fields.name === '' || fields.name.length > 200 || !fields.name.isWellFormed()) {
    problems.push({
      field: 'name',
      message: text('Escriba un nombre (hasta 200 caracteres).', 'Type a name (up to 200 characters).'),
    });
  }
  if (fields.checkId && !CONNECTION_ID_PATTERN.test(fields.id)) {
    problems.push({
      field: 'id',
      message: text(
        'El identificador admite letras, números, «.», «_» y «-» (hasta 64, sin espacios).',
        'The identifier takes letters, digits, “.”, “_” and “-” (up to 64, no spaces).',
      ),
    });
  }
  let issues = new Map<string, LocalizedText[]>();
  try {
    connector.validateCredentials(fields.credentials);
  } catch (error) {
    if (!(error instanceof InvalidCredentialsError)) throw error;
    issues = issuesByPointer(error);
  }
  return { problems, issues };
}

/** POST /connections?connector=…: creates a connection (credentials checked by the connector first). */
export async function createConnection(context: RequestContext): Promise<void> {
  const connector = connectorFromQuery(context);
  if (connector === undefined) {
    notFoundPage(context);
    return;
  }
  const fields = formFields(
    connector.manifest.credentialSchema,
    new Set(importsRefreshToken(connector) ? [REFRESH_TOKEN] : []),
  );
  const id = (context.form.get('id') ?? '').trim();
  const name = (context.form.get('name') ?? '').trim();
  const credentials = credentialsFromForm(fields, context.form, undefined);
  const { problems, issues } = check(connector, { id, name, credentials, checkId: true });
  const retry = { mode: 'new' as const, connector, id, name, credentials, storedSecrets: new Set<string>() };
  if (problems.length > 0 || issues.size > 0) {
    showForm(context, 422, { ...retry, problems, issues });
    return;
  }
  const now = context.state.options.clock.now();
  const connection: StoredConnection = {
    id,
    connectorId: connector.manifest.id,
    name,
    credentials,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await context.state.options.repository.save(connection, { create: true });
  } catch (error) {
    if (!(error instanceof ConnectionExistsError)) throw error;
    showForm(context, 409, { ...retry, problems: [{ field: 'id', message: error.localized }] });
    return;
  }
  audit(context, 'connection.create', {
    connectionId: id,
    connectorId: connector.manifest.id,
    outcome: 'ok',
  });
  redirectWith(
    context,
    connectionPath(context.state.options.base, id),
    notice(
      'ok',
      connector.manifest.capabilities.authorizationCode
        ? text('Conexión creada. Ahora pulse «Autorizar».', 'Connection created. Now press “Authorize”.')
        : text(
            'Conexión creada. Pulse «Validar conexión».',
            'Connection created. Press “Validate connection”.',
          ),
    ),
  );
}

/** GET /connections/:id: status with local and relative times, actions, settings. */
export async function showConnection(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored, connector, input } = loaded;
  let status;
  let problem: LocalizedText | undefined;
  try {
    status = await connector.getStatus(input);
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    problem = error.localized;
  }
  render(
    context,
    200,
    connectionPage(pageContext(context), {
      connection: stored,
      connector,
      status,
      problem,
      pendingAuthorizations: context.state.pending.pendingFor(stored.id),
      importsRefreshToken: importsRefreshToken(connector),
    }),
    { security: authorizeSecurity(connector, stored.credentials) },
  );
}

const storedSecretsOf = (connector: Connector, credentials: Readonly<Record<string, unknown>>): Set<string> =>
  new Set(
    secretPointers(connector.manifest.credentialSchema).filter(
      (pointer) => valueAt(credentials, pointer) !== undefined,
    ),
  );

/** GET /connections/:id/edit: the form with stored values, secrets never included. */
export async function editConnectionForm(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored, connector } = loaded;
  showForm(context, 200, {
    mode: 'edit',
    connector,
    id: stored.id,
    name: stored.name,
    credentials: stored.credentials,
    storedSecrets: storedSecretsOf(connector, stored.credentials),
  });
}

/** Pointers whose values differ (for the audit log: names of fields, never values). */
function changedPointers(
  connector: Connector,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string[] {
  const pointers = formFields(connector.manifest.credentialSchema).flatMap((field) =>
    field.kind === 'group' ? field.children.map((child) => child.pointer) : [field.pointer],
  );
  return pointers.filter(
    (pointer) => JSON.stringify(valueAt(before, pointer)) !== JSON.stringify(valueAt(after, pointer)),
  );
}

/** POST /connections/:id/edit: saves changes; a blank secret keeps the stored one. */
export async function updateConnection(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored, connector } = loaded;
  const imports = importsRefreshToken(connector);
  const fields = formFields(connector.manifest.credentialSchema, new Set(imports ? [REFRESH_TOKEN] : []));
  const name = (context.form.get('name') ?? '').trim();
  const credentials = credentialsFromForm(
    fields,
    context.form,
    stored.credentials,
    imports ? [REFRESH_TOKEN] : [],
  );
  const { problems, issues } = check(connector, { id: stored.id, name, credentials, checkId: false });
  if (problems.length > 0 || issues.size > 0) {
    showForm(context, 422, {
      mode: 'edit',
      connector,
      id: stored.id,
      name,
      credentials,
      storedSecrets: storedSecretsOf(connector, stored.credentials),
      problems,
      issues,
    });
    return;
  }
  const changed = changedPointers(connector, stored.credentials, credentials);
  await context.state.options.repository.save({
    ...stored,
    name,
    credentials,
    updatedAt: context.state.options.clock.now(),
  });
  audit(context, 'connection.update', {
    connectionId: stored.id,
    connectorId: stored.connectorId,
    changed,
    renamed: name !== stored.name,
    outcome: 'ok',
  });
  redirectWith(
    context,
    connectionPath(context.state.options.base, stored.id),
    notice('ok', text('Cambios guardados.', 'Changes saved.')),
  );
}

/** GET /connections/:id/disconnect or /delete: the confirmation step. */
export async function confirmAction(context: RequestContext, action: 'disconnect' | 'delete'): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  render(context, 200, confirmPage(pageContext(context), loaded.stored, action));
}

/** Credentials without the imported refresh token (the grant now lives in the token store). */
export function withoutImportedToken(stored: StoredConnection): Readonly<Record<string, unknown>> {
  const { refreshToken: _dropped, ...rest } = stored.credentials;
  return rest;
}

/**
 * Forgets the connection's tokens and pending authorizations; when the store fails, audits the
 * failed `action`, answers 409 with what to do and returns `false` (the caller changes nothing).
 */
async function forgetTokens(
  context: RequestContext,
  { stored, connector, input }: LoadedConnection,
  action: 'disconnect' | 'connection.delete',
): Promise<boolean> {
  try {
    await connector.disconnect(input);
    return true;
  } catch (error) {
    audit(context, action, {
      connectionId: stored.id,
      connectorId: stored.connectorId,
      outcome: 'failed',
      code: (error as { code?: string }).code,
    });
    failurePage(context, 409, stored, error);
    return false;
  }
}

/** POST /connections/:id/disconnect: forgets the tokens (and an imported refresh token). */
export async function disconnectConnection(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored } = loaded;
  if (!(await forgetTokens(context, loaded, 'disconnect'))) return;
  if (stored.credentials['refreshToken'] !== undefined) {
    // Otherwise the old imported token would be used again on the next call.
    await context.state.options.repository.save({
      ...stored,
      credentials: withoutImportedToken(stored),
      updatedAt: context.state.options.clock.now(),
    });
  }
  audit(context, 'disconnect', { connectionId: stored.id, connectorId: stored.connectorId, outcome: 'ok' });
  redirectWith(
    context,
    connectionPath(context.state.options.base, stored.id),
    notice('ok', text('Desconectada: se olvidaron sus tokens.', 'Disconnected: its tokens were forgotten.')),
  );
}

/**
 * POST /connections/:id/delete: forgets the tokens and pending authorizations, then the connection.
 * A connection whose tokens could not be forgotten (the store failed) is kept, so that nothing is
 * left behind in the token store without a connection to reach it by; `disconnect` needs only the
 * connection's id, so invalid credentials never stand in the way.
 */
export async function deleteConnection(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored } = loaded;
  if (!(await forgetTokens(context, loaded, 'connection.delete'))) return;
  await context.state.options.repository.delete(stored.id);
  audit(context, 'connection.delete', {
    connectionId: stored.id,
    connectorId: stored.connectorId,
    outcome: 'ok',
  });
  redirectWith(
    context,
    consolePath(context.state.options.base, '/'),
    notice('ok', text(`Se eliminó «${stored.name}».`, `“${stored.name}” was deleted.`)),
  );
}
