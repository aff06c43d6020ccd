import {
  text,
  type ConnectionStatus,
  type ConnectionWarning,
  type LocalizedText,
  type TimeFormatter,
} from '@aic/connector-core';

/** Both languages of a phrase built from a formatter per language. */
type Phrase = (time: TimeFormatter) => string;

/** The state of a connection, for people. */
export const STATE_LABELS: Readonly<Record<string, LocalizedText>> = {
  active: text('Activa', 'Active'),
  not_authorized: text('Sin autorizar', 'Not authorized'),
  reauthorization_required: text('Debe autorizarse de nuevo', 'Must be authorized again'),
};

/** Why a connection must be authorized again (core's `reauthorizationReason` values). */
const REASONS: Readonly<Record<string, LocalizedText>> = {
  invalid_grant: text(
    'el proveedor rechazó el token de actualización',
    'the provider rejected the refresh token',
  ),
  refresh_token_expired: text(
    'el token de actualización alcanzó su vida máxima',
    'the refresh token reached its maximum lifetime',
  ),
  no_refresh_token: text('no hay token de actualización', 'there is no refresh token'),
  not_authorized: text('nunca se autorizó', 'it was never authorized'),
  endpoints_changed: text(
    'cambiaron los endpoints de la conexión: los tokens no se envían al nuevo destino',
    "the connection's endpoints changed: its tokens are not sent to the new destination",
  ),
  api_401: text('la API rechazó el token renovado', 'the API rejected the renewed token'),
};

export const stateLabel = (state: string): LocalizedText => STATE_LABELS[state] ?? text(state, state);

export const reasonText = (reason: string): LocalizedText => REASONS[reason] ?? text(reason, reason);

const DAY = 86_400_000;

/** Minutes and hours read well short ("25 min"); days and months in full ("10 meses", not "10 m."). */
const inOrAgo = (time: TimeFormatter, at: number): { future: boolean; span: string } => ({
  future: at > time.now,
  span: time.duration(at - time.now, Math.abs(at - time.now) >= DAY ? 'long' : 'short'),
});

/** "vence en 25 min (14:30 GMT-5)" and what happens next, or undefined when there is no token. */
export function accessTokenPhrase(status: ConnectionStatus, time: TimeFormatter): string | undefined {
  const at = status.accessTokenExpiresAt;
  if (at === undefined || status.state === 'not_authorized') return undefined;
  const { future, span } = inOrAgo(time, at);
  const when = time.when(at);
  const es = time.lang === 'es';
  const expiry = future
    ? es
      ? `vence en ${span} (${when})`
      : `expires in ${span} (${when})`
    : es
      ? `venció hace ${span} (${when})`
      : `expired ${span} ago (${when})`;
  if (status.state !== 'active') return expiry;
  if (status.hasRefreshToken) {
    return future
      ? es
        ? `${expiry}; se renueva sola: la conexión usa su token de actualización.`
        : `${expiry}; it renews itself: the connection uses its refresh token.`
      : es
        ? `${expiry}; se renueva sola en la próxima llamada (token de actualización).`
        : `${expiry}; it renews itself on the next call (refresh token).`;
  }
  return future
    ? es
      ? `${expiry}; después habrá que autorizar de nuevo (no hay token de actualización).`
      : `${expiry}; after that it must be authorized again (no refresh token).`
    : es
      ? `${expiry}; autorice de nuevo (no hay token de actualización).`
      : `${expiry}; authorize again (no refresh token).`;
}

/** "autorice de nuevo antes del 30 de diciembre de 2026 (en 12 días)". */
export const reauthorizeBeforePhrase: (at: number) => Phrase = (at) => (time) => {
  const { future, span } = inOrAgo(time, at);
  if (time.lang === 'es') {
    return future
      ? `Autorice de nuevo antes del ${time.date(at)} (en ${span}): el token de actualización no se puede extender.`
      : `El token de actualización venció el ${time.date(at)} (hace ${span}): autorice de nuevo.`;
  }
  return future
    ? `Authorize again before ${time.date(at)} (in ${span}): the refresh token cannot be extended.`
    : `The refresh token expired on ${time.date(at)} (${span} ago): authorize again.`;
};

/** "el secreto de cliente vence el 1 de noviembre de 2027 (en 10 meses)" (a calendar date). */
export const clientSecretPhrase: (at: number) => Phrase = (at) => (time) => {
  const { future, span } = inOrAgo(time, at);
  const day = time.calendarDate(at);
  if (time.lang === 'es') {
    return future
      ? `El secreto de cliente vence el ${day} (en ${span}).`
      : `El secreto de cliente venció el ${day} (hace ${span}): genere uno nuevo en el portal del proveedor y actualice la conexión.`;
  }
  return future
    ? `The client secret expires on ${day} (in ${span}).`
    : `The client secret expired on ${day} (${span} ago): create a new one in the provider's portal and update the connection.`;
};

/**
 * A warning in the page's language with local dates. Known codes are phrased here (core's own
 * messages carry ISO dates); an unknown code shows core's message.
 */
export function warningPhrase(warning: ConnectionWarning, time: TimeFormatter): string {
  const at = warning.at;
  switch (warning.code) {
    case 'client_secret_expiring':
    case 'client_secret_expired':
      if (at !== undefined) {
        const phrase = clientSecretPhrase(at)(time);
        return warning.code === 'client_secret_expiring'
          ? `${phrase} ${time.lang === 'es' ? 'Renuévelo pronto.' : 'Rotate it soon.'}`
          : phrase;
      }
      break;
    case 'reauthorization_soon':
    case 'reauthorization_required':
      if (at !== undefined) return reauthorizeBeforePhrase(at)(time);
      break;
    default:
      break;
  }
  return warning.message[time.lang];
}

/** A date an operator must act by. */
export interface Deadline {
  readonly at: number;
  readonly what: LocalizedText;
  /** A calendar date (UTC midnight) rather than an instant. */
  readonly calendar: boolean;
}

/**
 * The deadline an operator must act by, if any — core's `status.nextDeadline` (re-authorization,
 * secret expiry, or a token nothing can renew) — with what to do, in both languages.
 */
export function nextDeadline(status: ConnectionStatus): Deadline | undefined {
  const next = status.nextDeadline;
  if (next === undefined) return undefined;
  return next.kind === 'client_secret'
    ? { at: next.at, what: text('Renovar el secreto', 'Rotate the secret'), calendar: true }
    : { at: next.at, what: text('Autorizar de nuevo', 'Authorize again'), calendar: false };
}

/** "Autorizar de nuevo: 30 de diciembre de 2026 (en 12 días)". */
export function deadlinePhrase(deadline: Deadline, time: TimeFormatter): string {
  const { future, span } = inOrAgo(time, deadline.at);
  const relative =
    time.lang === 'es' ? (future ? `en ${span}` : `hace ${span}`) : future ? `in ${span}` : `${span} ago`;
  const day = deadline.calendar ? time.calendarDate(deadline.at) : time.date(deadline.at);
  return `${deadline.what[time.lang]}: ${day} (${relative})`;
}
