import { text } from '@aic/connector-core';
import { html, type SafeHtml } from '../html/html.js';
import { consolePath, t, type PageContext } from './page-context.js';

const appName = text('AIC · Consola de conexiones', 'AIC · Connections console');

/** The hidden CSRF field every form carries. */
export const csrfField = (context: PageContext): SafeHtml =>
  html`<input type="hidden" name="_csrf" value="${context.csrfToken ?? ''}">`;

/** A one-button POST form (no script: buttons are forms). */
export function postButton(
  context: PageContext,
  action: string,
  label: string,
  options: {
    readonly kind?: 'primary' | 'danger' | 'plain';
    readonly hidden?: Readonly<Record<string, string>>;
  } = {},
): SafeHtml {
  const hidden = Object.entries(options.hidden ?? {}).map(
    ([name, value]) => html`<input type="hidden" name="${name}" value="${value}">`,
  );
  return html`<form method="post" action="${action}" class="inline">${csrfField(context)}${hidden}<button type="submit" class="${options.kind ?? 'plain'}">${label}</button></form>`;
}

function languageSwitch(context: PageContext): SafeHtml {
  const link = (lang: 'es' | 'en', label: string) =>
    lang === context.lang
      ? html`<strong aria-current="true" lang="${lang}">${label}</strong>`
      : html`<a href="${consolePath(context.base, '/language', { set: lang, next: context.here })}" lang="${lang}" hreflang="${lang}">${label}</a>`;
  return html`<nav class="lang" aria-label="${t(context, text('Idioma', 'Language'))}">${link('es', 'Español')} · ${link('en', 'English')}</nav>`;
}

function operatorBox(context: PageContext): SafeHtml | '' {
  const operator = context.operator;
  if (operator === undefined) return '';
  return html`<div class="operator">
    <span>${t(context, text('Operador', 'Operator'))}: <strong>${operator.username}</strong></span>
    ${context.proxyOnly ? '' : postButton(context, consolePath(context.base, '/sign-out'), t(context, text('Cerrar sesión', 'Sign out')))}
  </div>`;
}

/** The page frame: header (name, language switch, operator), the notice of the last action, the body. */
export function layout(context: PageContext, title: string, body: SafeHtml): SafeHtml {
  const flash = context.flash;
  return html`<!doctype html>
<html lang="${context.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${t(context, appName)}</title>
<link rel="stylesheet" href="${consolePath(context.base, '/assets/console.css')}">
</head>
<body>
<header class="top">
  <a class="brand" href="${consolePath(context.base, '/')}">${t(context, appName)}</a>
  ${languageSwitch(context)}
  ${operatorBox(context)}
</header>
<main>
${flash === undefined ? '' : html`<p class="flash ${flash.kind}" role="status">${t(context, flash.message)}</p>`}
${body}
</main>
</body>
</html>
`;
}
