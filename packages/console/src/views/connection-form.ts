import { text, type Connector, type LocalizedText } from '@aic/connector-core';
import { credentialFields, fieldId, pointersOf, type CredentialFormState } from '../forms/credential-form.js';
import type { FormField } from '../forms/schema-fields.js';
import { attributes, html, type SafeHtml } from '../html/html.js';
import { csrfField, layout } from './layout.js';
import { connectionPath, consolePath, t, type PageContext } from './page-context.js';

export interface ConnectionFormView {
  readonly mode: 'new' | 'edit';
  readonly connector: Connector;
  readonly fields: readonly FormField[];
  readonly id: string;
  readonly name: string;
  readonly form: CredentialFormState;
  /** A problem not tied to a credential field (id taken, name missing…). */
  readonly problems: readonly {
    readonly field: 'id' | 'name' | undefined;
    readonly message: LocalizedText;
  }[];
  /** Where the imported refresh token is set instead (connectors whose schema has one). */
  readonly importsRefreshToken: boolean;
}

const retypeSecrets = text(
  'Por seguridad los secretos no se devuelven al navegador: si no estaban guardados, escríbalos de nuevo.',
  'For safety secrets are never sent back to the browser: if they were not stored yet, type them again.',
);

/** The new / edit connection form: id and name, then the connector's credential fields from its schema. */
export function connectionFormPage(context: PageContext, view: ConnectionFormView): SafeHtml {
  const { connector, mode } = view;
  const connectorName = t(context, connector.manifest.displayName);
  const title =
    mode === 'new'
      ? t(context, text(`Nueva conexión de ${connectorName}`, `New ${connectorName} connection`))
      : t(context, text(`Editar «${view.name}»`, `Edit “${view.name}”`));
  const shown = pointersOf(view.fields);
  const issues = [...view.form.issues].flatMap(([pointer, messages]) =>
    messages.map((message) => ({ pointer, message })),
  );
  const unplaced = issues.filter((issue) => !shown.has(issue.pointer));
  const problemFor = (field: 'id' | 'name') => view.problems.filter((p) => p.field === field);
  const general = view.problems.filter((p) => p.field === undefined);
  const total = issues.length + view.problems.length;
  const action =
    mode === 'new'
      ? consolePath(context.base, '/connections', { connector: connector.manifest.id })
      : connectionPath(context.base, view.id, '/edit');
  const identity = (
    field: 'id' | 'name',
    label: LocalizedText,
    help: LocalizedText,
    value: string,
    readOnly: boolean,
  ) => {
    const problems = problemFor(field);
    return html`<div class="${problems.length > 0 ? 'field invalid' : 'field'}">
  <label for="connection-${field}">${t(context, label)}</label>
  <input${attributes({
    id: `connection-${field}`,
    name: field,
    value,
    required: true,
    readonly: readOnly,
    maxlength: field === 'id' ? 64 : 200,
    autocomplete: 'off',
    'aria-describedby': `connection-${field}-help`,
  })}>
  ${problems.map((p) => html`<p class="error">${t(context, p.message)}</p>`)}
  <p class="help" id="connection-${field}-help">${t(context, help)}</p>
</div>`;
  };
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
<p class="muted">${t(context, connector.manifest.credentialSchema['x-description'])}</p>
${
  total === 0
    ? ''
    : html`<div class="problem" role="alert"><p><strong>${context.time.plural(
        total,
        context.lang === 'es'
          ? { one: 'Hay # problema en el formulario:', other: 'Hay # problemas en el formulario:' }
          : { one: 'There is # problem in the form:', other: 'There are # problems in the form:' },
      )}</strong></p><ul>${[
        ...general.map((p) => html`<li>${t(context, p.message)}</li>`),
        ...issues.map((issue) =>
          shown.has(issue.pointer)
            ? html`<li><a href="#${fieldId(issue.pointer)}">${t(context, issue.message)}</a></li>`
            : html`<li>${t(context, issue.message)} <code>${issue.pointer || '/'}</code></li>`,
        ),
      ]}</ul>${unplaced.length > 0 || issues.length > 0 ? html`<p class="help">${t(context, retypeSecrets)}</p>` : ''}</div>`
}
<form method="post" action="${action}" class="card" novalidate>
  ${csrfField(context)}
  ${identity(
    'name',
    text('Nombre', 'Name'),
    text(
      'Cómo la llaman los operadores (p. ej., «HP – Acme Colombia»).',
      'What operators call it (e.g. “HP – Acme Colombia”).',
    ),
    view.name,
    false,
  )}
  ${identity(
    'id',
    text('Identificador', 'Identifier'),
    mode === 'new'
      ? text(
          'Letras, números, «.», «_» o «-»; hasta 64. No se puede cambiar después.',
          'Letters, digits, “.”, “_” or “-”; up to 64. It cannot be changed later.',
        )
      : text('No se puede cambiar.', 'It cannot be changed.'),
    view.id,
    mode === 'edit',
  )}
  <h2>${t(context, text('Credenciales', 'Credentials'))}</h2>
  ${credentialFields(view.fields, view.form)}
  ${
    view.importsRefreshToken
      ? html`<p class="help">${t(
          context,
          text(
            'El token de actualización obtenido a mano (procedimiento anterior) se importa desde la página de la conexión, no aquí.',
            'A refresh token obtained by hand (the old procedure) is imported from the connection page, not here.',
          ),
        )}</p>`
      : ''
  }
  <div class="actions">
    <button type="submit" class="primary">${t(context, mode === 'new' ? text('Crear conexión', 'Create connection') : text('Guardar cambios', 'Save changes'))}</button>
    <a class="button" href="${mode === 'new' ? consolePath(context.base, '/') : connectionPath(context.base, view.id)}">${t(context, text('Cancelar', 'Cancel'))}</a>
  </div>
</form>`,
  );
}
