import type { ConnectionStatus, ConnectionWarning } from './status.js';

const iso = (ms: number): string => new Date(ms).toISOString();

/** A warning as JSON: its code, both languages, its date as ISO 8601. */
export function warningDocument(warning: ConnectionWarning): Record<string, unknown> {
  return {
    code: warning.code,
    message: warning.message,
    ...(warning.at === undefined ? {} : { at: iso(warning.at) }),
  };
}

/**
 * A connection status as JSON, times as ISO 8601: what `aic status --json`, `aic connections
 * --json` and a host's API print, so a script reads them alike. A status holds no token values.
 */
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
    ...(status.nextDeadline === undefined
      ? {}
      : { nextDeadline: { kind: status.nextDeadline.kind, at: iso(status.nextDeadline.at) } }),
    warnings: status.warnings.map(warningDocument),
  };
}
