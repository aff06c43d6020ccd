import { text, type Connector, type LocalizedText } from '@aic/connector-core';
import { html, type SafeHtml } from '../html/html.js';
import type { StoredConnection } from '../repository.js';
import { csrfField, layout } from './layout.js';
import { connectionPath, t, type PageContext } from './page-context.js';

const CONFIRM: Readonly<
  Record<'disconnect' | 'delete', { title: LocalizedText; explain: LocalizedText; button: LocalizedText }>
> = {
  disconnect: {
    title: text('¿Desconectar?', 'Disconnect?'),
    explain: text(
      'Se olvidan los tokens de esta conexión: AIC deja de leer el proveedor hasta que alguien la autorice de nuevo. La configuración se conserva. El permiso concedido en el proveedor no se revoca: hágalo en su portal si corresponde.',
      "This connection's tokens are forgotten: AIC stops reading the provider until someone authorizes it again. The settings are kept. The grant at the provider is not revoked: do that in its portal if needed.",
    ),
    button: text('Sí, desconectar', 'Yes, disconnect'),
  },
  delete: {
    title: text('¿Eliminar la conexión?', 'Delete the connection?'),
    explain: text(
      'Se eliminan la configuración (con sus secretos) y los tokens. No se puede deshacer.',
      'The settings (with their secrets) and the tokens are deleted. This cannot be undone.',
    ),
    button: text('Sí, eliminar', 'Yes, delete'),
  },
};

/** The confirmation step of a destructive action. */
export function confirmPage(
  context: PageContext,
  connection: StoredConnection,
  action: 'disconnect' | 'delete',
): SafeHtml {
  const copy = CONFIRM[action];
  const title = t(context, copy.title);
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
<p><strong>${connection.name}</strong> <code>${connection.id}</code></p>
<p>${t(context, copy.explain)}</p>
<form method="post" action="${connectionPath(context.base, connection.id, `/${action}`)}" class="actions">
  ${csrfField(context)}
  <button type="submit" class="danger">${t(context, copy.button)}</button>
  <a class="button" href="${connectionPath(context.base, connection.id)}">${t(context, text('Cancelar', 'Cancel'))}</a>
</form>`,
  );
}

/** Import of a refresh token obtained by hand (what AIC's operators do today with Postman). */
export function importPage(
  context: PageContext,
  view: {
    readonly connection: StoredConnection;
    readonly connector: Connector;
    readonly problem?: LocalizedText | undefined;
  },
): SafeHtml {
  const title = t(context, text('Importar un token de actualización', 'Import a refresh token'));
  const { connection } = view;
  return layout(
    context,
    title,
    html`<p><a href="${connectionPath(context.base, connection.id)}">← ${connection.name}</a></p>
<h1>${title}</h1>
<p>${t(
      context,
      text(
        'Para conexiones autorizadas con el procedimiento anterior (el token se obtenía a mano, p. ej. con Postman). Lo normal es pulsar «Autorizar»: el conector obtiene y guarda los tokens solo.',
        'For connections authorized with the old procedure (the token was fetched by hand, e.g. with Postman). The usual way is to press “Authorize”: the connector gets and stores the tokens itself.',
      ),
    )}</p>
<p>${t(
      context,
      text(
        'El token se prueba en el acto (se renueva y se hace la llamada de prueba) y se guarda cifrado; nunca se vuelve a mostrar.',
        'The token is tried at once (renewed, then the probe call) and stored encrypted; it is never shown again.',
      ),
    )}</p>
${view.problem === undefined ? '' : html`<p class="problem" role="alert">${t(context, view.problem)}</p>`}
<form method="post" action="${connectionPath(context.base, connection.id, '/import')}" class="card">
  ${csrfField(context)}
  <div class="field">
    <label for="refresh-token">${t(context, text('Token de actualización', 'Refresh token'))}</label>
    <input id="refresh-token" name="refreshToken" type="password" autocomplete="off" spellcheck="false" required maxlength="8192">
  </div>
  <div class="actions"><button type="submit" class="primary">${t(context, text('Importar y validar', 'Import and validate'))}</button>
  <a class="button" href="${connectionPath(context.base, connection.id)}">${t(context, text('Cancelar', 'Cancel'))}</a></div>
</form>`,
  );
}
