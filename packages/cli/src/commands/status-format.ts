import { text, type ConnectionStatus, type ConnectionWarning, type NextDeadline } from '@aic/connector-core';
import { messages } from '../messages.js';
import type { Output } from '../output.js';

const hasWarning = (status: ConnectionStatus, code: string): boolean =>
  status.warnings.some((warning) => warning.code === code);

/**
 * What happens with an access token past its expiry: `renews` when the connector will get a new
 * one by itself on the next call (a refresh token within its lifetime, or client credentials),
 * `reauthorize` when a person must authorize again, `undefined` while it is still valid. Read from
 * core's own verdicts (its `no_refresh_token` and `reauthorization_required` warnings).
 */
export function lapsedAccessToken(
  status: ConnectionStatus,
  now: number,
): 'renews' | 'reauthorize' | undefined {
  if (status.state !== 'active' || status.accessTokenExpiresAt === undefined) return undefined;
  if (status.accessTokenExpiresAt > now) return undefined;
  return hasWarning(status, 'no_refresh_token') || hasWarning(status, 'reauthorization_required')
    ? 'reauthorize'
    : 'renews';
}

export { statusDocument, warningDocument } from '@aic/connector-core';

/** Warning lines (`  ! …`), empty when there are none. */
export function warningLines(out: Output, warnings: readonly ConnectionWarning[]): string[] {
  if (warnings.length === 0) return [];
  return [`${out.t(messages.warnings)}:`, ...warnings.map((w) => `  ! ${out.t(w.message)}`)];
}

/** With `--utc`: "vence <ISO>" / "venció <ISO>" (an access token's or a client secret's expiry). */
function isoExpiry(out: Output, at: number, past: boolean): string {
  const iso = out.times.iso(at);
  return out.t(past ? text(`venció ${iso}`, `expired ${iso}`) : text(`vence ${iso}`, `expires ${iso}`));
}

/** "vence en 25 min (14:05 GMT-5)" / "venció hace 3 h (…)"; with `--utc`, "vence <ISO>". */
export function accessTokenExpiry(out: Output, at: number): string {
  const { times } = out;
  const past = at <= times.now();
  if (times.utc) return isoExpiry(out, at, past);
  const distance = times.distance(at);
  const when = times.when(at);
  return out.t(
    past
      ? text(`venció hace ${distance} (${when})`, `expired ${distance} ago (${when})`)
      : text(`vence en ${distance} (${when})`, `expires in ${distance} (${when})`),
  );
}

/** "antes del 30 de diciembre de 2026 a las 14:05 GMT-5 (dentro de 7 meses)", or that it passed. */
export function reauthorizationDeadline(out: Output, at: number): string {
  const { times } = out;
  if (times.utc) {
    return out.t(
      at <= times.now()
        ? text(`ya (el plazo venció ${times.iso(at)})`, `now (the deadline passed ${times.iso(at)})`)
        : text(`antes de ${times.iso(at)}`, `before ${times.iso(at)}`),
    );
  }
  const when = times.dateTime(at);
  const relative = times.relative(at);
  return out.t(
    at <= times.now()
      ? text(
          `ya (el plazo venció el ${when}, ${relative})`,
          `now (the deadline passed on ${when}, ${relative})`,
        )
      : text(`antes del ${when} (${relative})`, `before ${when} (${relative})`),
  );
}

/** "vence el 15 de junio de 2026 (dentro de 13 días)" / "venció el … (hace 3 días)". */
export function clientSecretExpiry(out: Output, at: number): string {
  const { times } = out;
  const past = at <= times.now();
  if (times.utc) return isoExpiry(out, at, past);
  const date = times.calendarDate(at);
  const relative = times.calendarRelative(at);
  return out.t(
    past
      ? text(`venció el ${date} (${relative})`, `expired on ${date} (${relative})`)
      : text(`vence el ${date} (${relative})`, `expires on ${date} (${relative})`),
  );
}

/** The state for people, with what a lapsed access token means for it. */
export function stateText(out: Output, status: ConnectionStatus): string {
  const lapsed = lapsedAccessToken(status, out.times.now());
  const reason =
    status.reauthorizationReason === undefined
      ? ''
      : ` (${out.t(messages.reason)}: ${status.reauthorizationReason})`;
  const note =
    lapsed === undefined
      ? ''
      : `; ${out.t(lapsed === 'renews' ? messages.lapsedRenews : messages.lapsedReauthorize)}`;
  return `${out.t(messages.states[status.state])}${reason}${note}`;
}

/** The next deadline for people: what it is and when. */
export function deadlineText(out: Output, deadline: NextDeadline): string {
  switch (deadline.kind) {
    case 'reauthorization':
      return `${out.t(messages.deadlineReauthorize)} ${reauthorizationDeadline(out, deadline.at)}`;
    case 'client_secret':
      return `${out.t(messages.deadlineClientSecret)} ${clientSecretExpiry(out, deadline.at)}`;
    case 'access_token':
      return `${out.t(messages.deadlineAccessToken)} ${accessTokenExpiry(out, deadline.at)}`;
  }
}

/** A connection status for people: local and relative times (raw ISO 8601 with `--utc`). */
export function statusLines(out: Output, status: ConnectionStatus): string[] {
  const lines = [
    out.t(messages.connectionHeading(status.connectionId, status.connectorId)),
    `  ${out.t(messages.state)}: ${stateText(out, status)}`,
  ];
  if (status.accessTokenExpiresAt !== undefined) {
    lines.push(`  ${out.t(messages.accessToken)}: ${accessTokenExpiry(out, status.accessTokenExpiresAt)}`);
  }
  if (status.state !== 'not_authorized') {
    lines.push(
      `  ${out.t(messages.hasRefreshToken)}: ${out.t(status.hasRefreshToken ? messages.yes : messages.no)}`,
    );
  }
  if (status.reauthorizationRequiredAt !== undefined) {
    lines.push(
      `  ${out.t(messages.reauthorizeAgain)}: ${reauthorizationDeadline(out, status.reauthorizationRequiredAt)}`,
    );
  }
  if (status.clientSecretExpiresAt !== undefined) {
    lines.push(`  ${out.t(messages.clientSecret)}: ${clientSecretExpiry(out, status.clientSecretExpiresAt)}`);
  }
  return [...lines, ...warningLines(out, status.warnings)];
}
