import type { ConnectionStatus, ConnectionWarning } from '@aic/connector-core';
import { messages } from '../messages.js';
import { iso, type Output } from '../output.js';

/** A warning as JSON: code, both languages, its date as ISO 8601. */
export const warningDocument = (warning: ConnectionWarning) => ({
  code: warning.code,
  message: warning.message,
  ...(warning.at === undefined ? {} : { at: iso(warning.at) }),
});

/** A connection status as JSON (no token values exist in it), times as ISO 8601. */
export function statusDocument(status: ConnectionStatus): Record<string, unknown> {
  return {
    connection: status.connectionId,
    connector: status.connectorId,
    state: status.state,
    ...(status.reauthorizationReason === undefined
      ? {}
      : { reauthorizationReason: status.reauthorizationReason }),
    ...(status.accessTokenExpiresAt === undefined
      ? {}
      : { accessTokenExpiresAt: iso(status.accessTokenExpiresAt) }),
    hasRefreshToken: status.hasRefreshToken,
    ...(status.reauthorizationRequiredAt === undefined
      ? {}
      : { reauthorizationRequiredAt: iso(status.reauthorizationRequiredAt) }),
    ...(status.clientSecretExpiresAt === undefined
      ? {}
      : {
          clientSecretExpiresAt: iso(status.clientSecretExpiresAt),
          clientSecretDaysLeft: status.clientSecretDaysLeft,
        }),
    warnings: status.warnings.map(warningDocument),
  };
}

/** Warning lines (`  ! …`), empty when there are none. */
export function warningLines(out: Output, warnings: readonly ConnectionWarning[]): string[] {
  if (warnings.length === 0) return [];
  return [`${out.t(messages.warnings)}:`, ...warnings.map((w) => `  ! ${out.t(w.message)}`)];
}

/** A connection status for people. */
export function statusLines(out: Output, status: ConnectionStatus): string[] {
  const state = out.t(messages.states[status.state]);
  const lines = [
    out.t(messages.connectionHeading(status.connectionId, status.connectorId)),
    `  ${out.t(messages.state)}: ${state}${
      status.reauthorizationReason === undefined
        ? ''
        : ` (${out.t(messages.reason)}: ${status.reauthorizationReason})`
    }`,
  ];
  if (status.accessTokenExpiresAt !== undefined) {
    lines.push(`  ${out.t(messages.accessTokenExpires)}: ${iso(status.accessTokenExpiresAt)}`);
  }
  if (status.state !== 'not_authorized') {
    lines.push(
      `  ${out.t(messages.hasRefreshToken)}: ${out.t(status.hasRefreshToken ? messages.yes : messages.no)}`,
    );
  }
  if (status.reauthorizationRequiredAt !== undefined) {
    lines.push(`  ${out.t(messages.reauthorizeBefore)}: ${iso(status.reauthorizationRequiredAt)}`);
  }
  if (status.clientSecretExpiresAt !== undefined) {
    const days = status.clientSecretDaysLeft;
    lines.push(
      `  ${out.t(messages.clientSecretExpires)}: ${iso(status.clientSecretExpiresAt)}${
        days === undefined ? '' : ` (${out.t(messages.daysLeft(days))})`
      }`,
    );
  }
  return [...lines, ...warningLines(out, status.warnings)];
}
