import { text, type ConnectionStatus, type Connector, type LocalizedText } from '@aic/connector-core';
import { formFields, valueAt, type FormField } from '../forms/schema-fields.js';
import { html, type SafeHtml } from '../html/html.js';
import type { StoredConnection } from '../repository.js';
import { layout, postButton } from './layout.js';
import { connectionPath, consolePath, t, type PageContext } from './page-context.js';
import {
  accessTokenPhrase,
  clientSecretPhrase,
  reasonText,
  reauthorizeBeforePhrase,
  stateLabel,
  warningPhrase,
} from './status-text.js';

/** The facts of a connection's status, as sentences with local and relative times. */
export function statusFacts(context: PageContext, status: ConnectionStatus): SafeHtml {
  const { time } = context;
  const facts: [LocalizedText, SafeHtml | string][] = [
    [
      text('Estado', 'State'),
      html`<span class="badge ${status.state}">${t(context, stateLabel(status.state))}</span>${
        status.reauthorizationReason === undefined
          ? ''
          : html` — ${t(context, reasonText(status.reauthorizationReason))}`
      }`,
    ],
  ];
  const access = accessTokenPhrase(status, time);
  if (access !== undefined) facts.push([text('Token de acceso', 'Access token'), access]);
  if (status.state !== 'not_authorized') {
    facts.push([
      text('Token de actualización', 'Refresh token'),
      t(context, status.hasRefreshToken ? text('Sí', 'Yes') : text('No', 'No')),
    ]);
  }
  if (status.reauthorizationRequiredAt !== undefined) {
    facts.push([
      text('Nueva autorización', 'Re-authorization'),
      reauthorizeBeforePhrase(status.reauthorizationRequiredAt)(time),
    ]);
  }
  if (status.clientSecretExpiresAt !== undefined) {
    facts.push([
      text('Secreto de cliente', 'Client secret'),
      clientSecretPhrase(status.clientSecretExpiresAt)(time),
    ]);
  }
  return html`<dl class="facts">${facts.map(([label, value]) => html`<dt>${t(context, label)}</dt><dd>${value}</dd>`)}</dl>
${
  status.warnings.length === 0
    ? ''
    : html`<h2>${t(context, text('Avisos', 'Warnings'))}</h2><ul class="warnings">${status.warnings.map(
        (warning) => html`<li>${warningPhrase(warning, time)}</li>`,
      )}</ul>`
}`;
}

function settingValue(
  context: PageContext,
  field: FormField,
  credentials: Readonly<Record<string, unknown>>,
): SafeHtml | string {
  const value = valueAt(credentials, field.pointer);
  if (field.kind === 'secret') {
    return value === undefined
      ? html`<span class="muted">${t(context, text('no configurado', 'not set'))}</span>`
      : t(context, text('guardado (nunca se muestra)', 'stored (never shown)'));
  }
  if (value === undefined) return html`<span class="muted">—</span>`;
  if (field.kind === 'select') {
    const option = field.options.find((o) => o.value === String(value as string));
    return option?.label === undefined ? String(value as string) : t(context, option.label);
  }
  if (field.kind === 'date' && typeof value === 'string') {
    const at = Date.parse(`${value}T00:00:00Z`);
    return Number.isNaN(at) ? value : context.time.calendarDate(at);
  }
  if (field.kind === 'boolean') return t(context, value === true ? text('Sí', 'Yes') : text('No', 'No'));
  return html`<code>${String(value as string)}</code>`;
}

/** The settings of a connection, secrets as "stored" only; an unset import field is left out. */
function settings(context: PageContext, connector: Connector, connection: StoredConnection): SafeHtml {
  const rows = (fields: readonly FormField[]): SafeHtml[] =>
    fields.flatMap((field) => {
      const value = valueAt(connection.credentials, field.pointer);
      if (field.kind === 'group') return value === undefined ? [] : rows(field.children);
      if (field.pointer === '/refreshToken' && value === undefined) return [];
      return [
        html`<dt>${t(context, field.title)}</dt><dd>${settingValue(context, field, connection.credentials)}</dd>`,
      ];
    });
  return html`<dl class="facts">${rows(formFields(connector.manifest.credentialSchema))}</dl>`;
}

export interface ConnectionPageView {
  readonly connection: StoredConnection;
  readonly connector: Connector;
  readonly status: ConnectionStatus | undefined;
  /** Why no status could be read (credentials no longer valid, store down). */
  readonly problem: LocalizedText | undefined;
  readonly pendingAuthorizations: number;
  readonly importsRefreshToken: boolean;
}

/** A connection's page: status with local and relative times, actions, settings. */
export function connectionPage(context: PageContext, view: ConnectionPageView): SafeHtml {
  const { connection, connector, status } = view;
  const base = context.base;
  const authorizes = connector.manifest.capabilities.authorizationCode;
  const state = status?.state;
  const actions: SafeHtml[] = [];
  if (authorizes) {
    actions.push(
      postButton(
        context,
        connectionPath(base, connection.id, '/authorize'),
        t(
          context,
          state === 'not_authorized' || state === undefined
            ? text('Autorizar', 'Authorize')
            : text('Autorizar de nuevo', 'Authorize again'),
        ),
        { kind: state === 'active' ? 'plain' : 'primary' },
      ),
    );
  }
  actions.push(
    postButton(
      context,
      connectionPath(base, connection.id, '/validate'),
      t(context, text('Validar conexión', 'Validate connection')),
      {
        kind: state === 'active' ? 'primary' : 'plain',
      },
    ),
    html`<a class="button" href="${connectionPath(base, connection.id, '/edit')}">${t(context, text('Editar', 'Edit'))}</a>`,
  );
  if (view.importsRefreshToken) {
    actions.push(
      html`<a class="button" href="${connectionPath(base, connection.id, '/import')}">${t(
        context,
        text('Importar token de actualización', 'Import a refresh token'),
      )}</a>`,
    );
  }
  if (state !== undefined && state !== 'not_authorized') {
    actions.push(
      html`<a class="button" href="${connectionPath(base, connection.id, '/disconnect')}">${t(context, text('Desconectar', 'Disconnect'))}</a>`,
    );
  }
  actions.push(
    html`<a class="button" href="${connectionPath(base, connection.id, '/delete')}">${t(context, text('Eliminar', 'Delete'))}</a>`,
  );
  return layout(
    context,
    connection.name,
    html`<p><a href="${consolePath(base, '/')}">← ${t(context, text('Conexiones', 'Connections'))}</a></p>
<h1>${connection.name}</h1>
<p class="muted">${t(context, connector.manifest.displayName)} · <code>${connection.id}</code></p>
<section class="card" aria-labelledby="status-heading">
<h2 id="status-heading">${t(context, text('Estado', 'Status'))}</h2>
${status === undefined ? html`<p class="problem">${t(context, view.problem ?? text('Sin estado.', 'No status.'))}</p>` : statusFacts(context, status)}
${
  view.pendingAuthorizations === 0
    ? ''
    : html`<p class="muted">${context.time.plural(
        view.pendingAuthorizations,
        context.lang === 'es'
          ? {
              one: '# autorización iniciada espera la vuelta del proveedor.',
              other: '# autorizaciones iniciadas esperan la vuelta del proveedor.',
            }
          : {
              one: '# started authorization is waiting for the provider.',
              other: '# started authorizations are waiting for the provider.',
            },
      )}</p>`
}
</section>
<div class="actions">${actions}</div>
<section class="card" aria-labelledby="settings-heading">
<h2 id="settings-heading">${t(context, text('Configuración', 'Settings'))}</h2>
${settings(context, connector, connection)}
</section>`,
  );
}
