import { text, type LocalizedText } from '@aic/connector-core';
import { html, type SafeHtml } from '../html/html.js';
import { csrfField, layout } from './layout.js';
import { consolePath, t, type PageContext } from './page-context.js';

/** The sign-in form (or, with operators from a trusted proxy only, where to sign in instead). */
export function signInPage(
  context: PageContext,
  options: { readonly next: string; readonly username?: string; readonly problem?: LocalizedText },
): SafeHtml {
  const title = t(context, text('Iniciar sesión', 'Sign in'));
  if (context.proxyOnly) {
    return layout(
      context,
      title,
      html`<h1>${title}</h1><p class="problem">${t(
        context,
        text(
          'Esta consola recibe a los operadores desde el proxy de autenticación de la organización: entre por él.',
          "This console receives operators from the organization's authentication proxy: go through it.",
        ),
      )}</p>`,
    );
  }
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
<div class="card">
${options.problem === undefined ? '' : html`<p class="problem" role="alert">${t(context, options.problem)}</p>`}
<form method="post" action="${consolePath(context.base, '/sign-in')}">
  ${csrfField(context)}
  <input type="hidden" name="next" value="${options.next}">
  <div class="field">
    <label for="username">${t(context, text('Usuario', 'Username'))}</label>
    <input id="username" name="username" autocomplete="username" required value="${options.username ?? ''}">
  </div>
  <div class="field">
    <label for="password">${t(context, text('Contraseña', 'Password'))}</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required>
  </div>
  <div class="actions"><button type="submit" class="primary">${title}</button></div>
</form>
</div>`,
  );
}

/** A page that explains a refusal or a failure, with ways on. */
export function messagePage(
  context: PageContext,
  options: {
    readonly title: LocalizedText;
    readonly message: LocalizedText | string;
    readonly code?: string | undefined;
    readonly links?: readonly { readonly href: string; readonly label: LocalizedText }[];
  },
): SafeHtml {
  const title = t(context, options.title);
  const message = typeof options.message === 'string' ? options.message : t(context, options.message);
  const links = options.links ?? [
    { href: consolePath(context.base, '/'), label: text('Ir a las conexiones', 'Go to connections') },
  ];
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
<p class="problem" role="alert">${message}${options.code === undefined ? '' : html` <code>${options.code}</code>`}</p>
<div class="actions">${links.map((link) => html`<a class="button" href="${link.href}">${t(context, link.label)}</a>`)}</div>`,
  );
}
