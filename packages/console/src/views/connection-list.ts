import { text, type ConnectionStatus, type Connector, type LocalizedText } from '@aic/connector-core';
import { html, type SafeHtml } from '../html/html.js';
import type { StoredConnection } from '../repository.js';
import { layout } from './layout.js';
import { connectionPath, consolePath, t, type PageContext } from './page-context.js';
import { deadlinePhrase, nextDeadline, stateLabel, warningPhrase } from './status-text.js';

/** One row of the list: the connection and what its connector says about it. */
export interface ConnectionRow {
  readonly connection: StoredConnection;
  readonly connector: Connector | undefined;
  readonly status: ConnectionStatus | undefined;
  /** Why there is no status (unknown connector, credentials no longer valid, store down). */
  readonly problem: LocalizedText | undefined;
}

function row(context: PageContext, item: ConnectionRow): SafeHtml {
  const { connection, connector, status, problem } = item;
  const deadline = status === undefined ? undefined : nextDeadline(status);
  const warnings = status?.warnings ?? [];
  return html`<tr>
  <td><a href="${connectionPath(context.base, connection.id)}">${connection.name}</a><br><span class="muted"><code>${connection.id}</code></span></td>
  <td>${connector === undefined ? connection.connectorId : t(context, connector.manifest.displayName)}</td>
  <td>${
    status === undefined
      ? html`<span class="badge error">${t(context, text('Error', 'Error'))}</span>`
      : html`<span class="badge ${status.state}">${t(context, stateLabel(status.state))}</span>`
  }</td>
  <td>${deadline === undefined ? html`<span class="muted">—</span>` : deadlinePhrase(deadline, context.time)}</td>
  <td>${
    problem !== undefined
      ? html`<span class="error">${t(context, problem)}</span>`
      : warnings.length === 0
        ? html`<span class="muted">—</span>`
        : html`<ul class="warnings">${warnings.map((w) => html`<li>${warningPhrase(w, context.time)}</li>`)}</ul>`
  }</td>
</tr>`;
}

/** The connection list: connector, state, next deadline, warnings. */
export function connectionListPage(context: PageContext, rows: readonly ConnectionRow[]): SafeHtml {
  const title = t(context, text('Conexiones', 'Connections'));
  const newLink = html`<a class="button primary" href="${consolePath(context.base, '/connections/new')}">${t(
    context,
    text('Nueva conexión', 'New connection'),
  )}</a>`;
  if (rows.length === 0) {
    return layout(
      context,
      title,
      html`<h1>${title}</h1><p>${t(context, text('Aún no hay conexiones.', 'There are no connections yet.'))}</p><div class="actions">${newLink}</div>`,
    );
  }
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
<div class="actions">${newLink}</div>
<table>
<thead><tr>
  <th scope="col">${t(context, text('Conexión', 'Connection'))}</th>
  <th scope="col">${t(context, text('Conector', 'Connector'))}</th>
  <th scope="col">${t(context, text('Estado', 'State'))}</th>
  <th scope="col">${t(context, text('Próximo vencimiento', 'Next deadline'))}</th>
  <th scope="col">${t(context, text('Avisos', 'Warnings'))}</th>
</tr></thead>
<tbody>${rows.map((item) => row(context, item))}</tbody>
</table>`,
  );
}

/** Step one of a new connection: which connector. */
export function chooseConnectorPage(context: PageContext, connectors: readonly Connector[]): SafeHtml {
  const title = t(context, text('Nueva conexión', 'New connection'));
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
<p>${t(context, text('Elija el conector:', 'Choose the connector:'))}</p>
<ul>${connectors.map(
      (connector) =>
        html`<li><a href="${consolePath(context.base, '/connections/new', { connector: connector.manifest.id })}">${t(
          context,
          connector.manifest.displayName,
        )}</a> — <span class="muted">${t(context, connector.manifest.description)}</span></li>`,
    )}</ul>`,
  );
}
