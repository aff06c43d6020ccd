import {
  text,
  type AuthorizationResult,
  type ConnectionStatus,
  type LocalizedText,
} from '@aic/connector-core';
import { html, type SafeHtml } from '../html/html.js';
import type { StoredConnection } from '../repository.js';
import { statusFacts } from './connection-page.js';
import { layout, postButton } from './layout.js';
import { connectionPath, consolePath, t, type PageContext } from './page-context.js';

/** A "Validar conexión" verdict as the console reads it (`misconfigured` may come from newer cores). */
export interface VerdictLike {
  readonly outcome: string;
  readonly ok: boolean;
  readonly message: LocalizedText;
  readonly errorCode?: string | undefined;
  readonly probeStatus?: number | undefined;
  /** Where the probe call went (newer cores say it). */
  readonly probeUrl?: string | undefined;
  readonly status: ConnectionStatus;
}

interface Advice {
  readonly title: LocalizedText;
  readonly todo: LocalizedText;
  readonly action: 'authorize' | 'edit' | 'retry' | undefined;
}

const ADVICE: Readonly<Record<string, Advice>> = {
  ok: {
    title: text('Conexión válida', 'The connection is valid'),
    todo: text(
      'El proveedor aceptó el token y respondió la llamada de prueba. No hay nada que hacer.',
      'The provider accepted the token and answered the probe call. Nothing to do.',
    ),
    action: undefined,
  },
  reauthorize: {
    title: text('Hay que autorizar de nuevo', 'It must be authorized again'),
    todo: text(
      'Pulse «Autorizar de nuevo» e inicie sesión en el proveedor con un usuario que tenga un rol permitido.',
      'Press “Authorize again” and sign in at the provider with a user that has an allowed role.',
    ),
    action: 'authorize',
  },
  bad_credentials: {
    title: text('Revise la configuración de la conexión', "Check the connection's settings"),
    todo: text(
      'Corrija los datos señalados (ID y secreto de cliente, fechas, región) en «Editar» y valide de nuevo.',
      'Fix what is pointed out (client ID and secret, dates, region) under “Edit” and validate again.',
    ),
    action: 'edit',
  },
  provider_down: {
    title: text('El proveedor no responde', 'The provider is not answering'),
    todo: text(
      'Es un problema temporal del proveedor o de la red: nada que cambiar aquí. Vuelva a validar en unos minutos.',
      'It is a temporary provider or network problem: nothing to change here. Validate again in a few minutes.',
    ),
    action: 'retry',
  },
  misconfigured: {
    title: text('Configuración del host o del proveedor', 'Host or provider configuration'),
    todo: text(
      'La conexión apunta a un destino que este host no permite, o el proveedor no acepta su configuración (p. ej., la URI de redirección registrada). Revise los endpoints y la URI de redirección, o pida al administrador del host que permita el destino.',
      'The connection points somewhere this host does not allow, or the provider does not accept its setup (e.g. the registered redirect URI). Check the endpoints and the redirect URI, or ask the host administrator to allow the destination.',
    ),
    action: 'edit',
  },
};

const unknownAdvice = (outcome: string): Advice => ({
  title: text(`Resultado: ${outcome}`, `Outcome: ${outcome}`),
  todo: text('Lea el mensaje del conector.', "Read the connector's message."),
  action: undefined,
});

function adviceAction(
  context: PageContext,
  connection: StoredConnection,
  action: Advice['action'],
): SafeHtml | '' {
  switch (action) {
    case 'authorize':
      return postButton(
        context,
        connectionPath(context.base, connection.id, '/authorize'),
        t(context, text('Autorizar de nuevo', 'Authorize again')),
        { kind: 'primary' },
      );
    case 'edit':
      return html`<a class="button primary" href="${connectionPath(context.base, connection.id, '/edit')}">${t(context, text('Editar', 'Edit'))}</a>`;
    case 'retry':
      return postButton(
        context,
        connectionPath(context.base, connection.id, '/validate'),
        t(context, text('Validar de nuevo', 'Validate again')),
        { kind: 'primary' },
      );
    default:
      return '';
  }
}

/** The verdict of "Validar conexión" and what to do about it. */
export function verdictPage(
  context: PageContext,
  connection: StoredConnection,
  verdict: VerdictLike,
): SafeHtml {
  const advice = ADVICE[verdict.outcome] ?? unknownAdvice(verdict.outcome);
  const title = t(context, advice.title);
  return layout(
    context,
    title,
    html`<p><a href="${connectionPath(context.base, connection.id)}">← ${connection.name}</a></p>
<h1><span class="badge ${verdict.ok ? 'ok' : verdict.outcome}">${t(context, text('Validar conexión', 'Validate connection'))}</span> ${title}</h1>
<div class="${verdict.ok ? 'flash ok' : 'problem'}" role="status">
  <p>${t(context, verdict.message)}${verdict.errorCode === undefined ? '' : html` <code>${verdict.errorCode}</code>`}</p>
  ${
    verdict.probeStatus === undefined
      ? ''
      : html`<p class="muted">${t(context, text('Llamada de prueba', 'Probe call'))}: HTTP ${verdict.probeStatus}${
          verdict.probeUrl === undefined ? '' : html` (<code>${verdict.probeUrl}</code>)`
        }</p>`
  }
</div>
<h2>${t(context, text('Qué hacer', 'What to do'))}</h2>
<p>${t(context, advice.todo)}</p>
<div class="actions">${adviceAction(context, connection, advice.action)}<a class="button" href="${connectionPath(context.base, connection.id)}">${t(
      context,
      text('Volver a la conexión', 'Back to the connection'),
    )}</a></div>
<section class="card"><h2>${t(context, text('Estado', 'Status'))}</h2>${statusFacts(context, verdict.status)}</section>`,
  );
}

/** Where the provider's redirect lands: the authorization's result and a way back. */
export function callbackPage(
  context: PageContext,
  view: {
    readonly connection: StoredConnection | undefined;
    readonly result?: AuthorizationResult | undefined;
    readonly status?: ConnectionStatus | undefined;
    readonly failure?: { readonly code: string; readonly message: LocalizedText } | undefined;
  },
): SafeHtml {
  const { connection } = view;
  const ok = view.result !== undefined;
  const title = t(
    context,
    ok
      ? text('Conexión autorizada', 'Connection authorized')
      : text('La autorización no se completó', 'The authorization was not completed'),
  );
  const back =
    connection === undefined
      ? html`<a class="button" href="${consolePath(context.base, '/')}">${t(context, text('Ir a las conexiones', 'Go to connections'))}</a>`
      : html`<a class="button primary" href="${connectionPath(context.base, connection.id)}">${t(context, text('Ver la conexión', 'View the connection'))}</a>`;
  const retry =
    connection === undefined || ok
      ? ''
      : postButton(
          context,
          connectionPath(context.base, connection.id, '/authorize'),
          t(context, text('Intentar de nuevo', 'Try again')),
        );
  return layout(
    context,
    title,
    html`<h1>${title}</h1>
${
  ok
    ? html`<p class="flash ok" role="status">${
        connection === undefined
          ? ''
          : t(
              context,
              text(
                `La conexión «${connection.name}» quedó autorizada.`,
                `Connection “${connection.name}” is authorized.`,
              ),
            )
      }</p>`
    : html`<div class="problem" role="alert"><p id="failure-message">${view.failure === undefined ? '' : t(context, view.failure.message)}</p>${
        view.failure === undefined ? '' : html`<p class="muted"><code>${view.failure.code}</code></p>`
      }</div>`
}
${view.status === undefined ? '' : html`<section class="card"><h2>${t(context, text('Estado', 'Status'))}</h2>${statusFacts(context, view.status)}</section>`}
<div class="actions">${back}${retry}</div>`,
  );
}
