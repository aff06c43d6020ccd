import { ErrorCode } from '../errors/codes.js';
import { isConnectorError } from '../errors/connector-error.js';
import { text, type LocalizedText } from '../errors/localized.js';
import { TimeFormatter } from '../support/time-format.js';
import type { ConnectionRecord, GrantOrigins } from '../stores/connection-record.js';
import type { ExpiryPolicy } from '../tokens/expiry-policy.js';
import type { ClientSecretPolicy } from './definition.js';
import type { ConnectionStatus, ConnectionWarning, NextDeadline, ValidationVerdict } from './status.js';

const DAY_MS = 86_400_000;

const formatDate = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** "1 día" / "13 días", "1 day" / "13 days" (`Intl.PluralRules`). */
const dayCount = (lang: 'es' | 'en', count: number): string =>
  new TimeFormatter({ lang, now: 0, timeZone: 'UTC' }).plural(
    count,
    lang === 'es' ? { one: '# día', other: '# días' } : { one: '# day', other: '# days' },
  );

/** When the client secret expires: its stated expiry date, else creation date + lifetime. */
export function clientSecretExpiry(
  credentials: { clientSecretCreatedAt?: unknown; clientSecretExpiresAt?: unknown },
  policy: ClientSecretPolicy | undefined,
): number | undefined {
  if (typeof credentials.clientSecretExpiresAt === 'string') {
    return Date.parse(`${credentials.clientSecretExpiresAt}T00:00:00Z`);
  }
  if (typeof credentials.clientSecretCreatedAt === 'string' && policy?.lifetimeDays !== undefined) {
    return Date.parse(`${credentials.clientSecretCreatedAt}T00:00:00Z`) + policy.lifetimeDays * DAY_MS;
  }
  return undefined;
}

/** Warnings and deadlines of a connection, from its record, credentials and policies. */
export function connectionStatus(input: {
  connectorId: string;
  connectionId: string;
  record: ConnectionRecord | undefined;
  credentials: { clientSecretCreatedAt?: unknown; clientSecretExpiresAt?: unknown };
  clientSecret: ClientSecretPolicy | undefined;
  expiry: ExpiryPolicy;
  now: number;
  /**
   * The grant renews access without a refresh token (client credentials): a missing refresh
   * token is then normal and not warned about.
   */
  renewsWithoutRefreshToken?: boolean | undefined;
  /**
   * The origins the connection points at now: a grant bound to others is not usable here (its
   * tokens are never sent elsewhere), so the connection needs authorizing again.
   */
  origins?: GrantOrigins | undefined;
}): ConnectionStatus {
  const { now } = input;
  const bound = input.record?.origins;
  const moved =
    bound !== undefined &&
    input.origins !== undefined &&
    (bound.token !== input.origins.token || bound.apiBase !== input.origins.apiBase);
  const record: ConnectionRecord | undefined =
    moved && input.record !== undefined && input.renewsWithoutRefreshToken !== true
      ? { ...input.record, status: 'reauthorization_required', reauthorizationReason: 'endpoints_changed' }
      : input.record;
  const warnings: ConnectionWarning[] = [];
  const secretExpiresAt = clientSecretExpiry(input.credentials, input.clientSecret);
  const daysLeft = secretExpiresAt === undefined ? undefined : Math.floor((secretExpiresAt - now) / DAY_MS);
  if (secretExpiresAt !== undefined && daysLeft !== undefined) {
    if (now >= secretExpiresAt) {
      warnings.push({
        code: 'client_secret_expired',
        at: secretExpiresAt,
        message: text(
          `El secreto de cliente venció el ${formatDate(secretExpiresAt)}: genere uno nuevo en el portal del proveedor y actualice la conexión.`,
          `The client secret expired on ${formatDate(secretExpiresAt)}: create a new one in the provider's portal and update the connection.`,
        ),
      });
    } else if (daysLeft <= (input.clientSecret?.warnDays ?? 30)) {
      warnings.push({
        code: 'client_secret_expiring',
        at: secretExpiresAt,
        message: text(
          `El secreto de cliente vence en ${dayCount('es', daysLeft)} (${formatDate(secretExpiresAt)}): renuévelo pronto.`,
          `The client secret expires in ${dayCount('en', daysLeft)} (${formatDate(secretExpiresAt)}): rotate it soon.`,
        ),
      });
    }
  }
  const deadline = record?.refreshTokenDeadline;
  const warnMs = (input.expiry.reauthorizationWarningSeconds ?? 3 * 86_400) * 1000;
  if (record?.status === 'active' && deadline !== undefined && now >= deadline - warnMs) {
    warnings.push(
      now >= deadline
        ? {
            code: 'reauthorization_required',
            at: deadline,
            message: text(
              `El token de actualización venció el ${formatDate(deadline)}: autorice la conexión de nuevo.`,
              `The refresh token expired on ${formatDate(deadline)}: authorize the connection again.`,
            ),
          }
        : {
            code: 'reauthorization_soon',
            at: deadline,
            message: text(
              `La conexión deberá autorizarse de nuevo antes del ${new Date(deadline).toISOString()} (el token de actualización no se puede extender).`,
              `The connection must be authorized again before ${new Date(deadline).toISOString()} (the refresh token cannot be extended).`,
            ),
          },
    );
  }
  if (
    record?.status === 'active' &&
    record.tokens !== undefined &&
    record.tokens.refreshToken === undefined &&
    input.renewsWithoutRefreshToken !== true
  ) {
    warnings.push({
      code: 'no_refresh_token',
      message: text(
        'La conexión no tiene token de actualización: cuando venza el token de acceso habrá que autorizar de nuevo.',
        'The connection has no refresh token: when the access token expires it must be authorized again.',
      ),
    });
  }
  const state =
    record === undefined || (record.tokens === undefined && record.status === 'active')
      ? 'not_authorized'
      : record.status;
  const nextDeadline = earliestDeadline([
    state === 'active' && deadline !== undefined ? { kind: 'reauthorization', at: deadline } : undefined,
    state === 'active' && record?.tokens !== undefined && warnings.some((w) => w.code === 'no_refresh_token')
      ? { kind: 'access_token', at: record.tokens.expiresAt }
      : undefined,
    secretExpiresAt === undefined ? undefined : { kind: 'client_secret', at: secretExpiresAt },
  ]);
  return {
    connectorId: input.connectorId,
    connectionId: input.connectionId,
    state,
    reauthorizationReason: record?.reauthorizationReason,
    accessTokenExpiresAt: record?.tokens?.expiresAt,
    hasRefreshToken: record?.tokens?.refreshToken !== undefined,
    reauthorizationRequiredAt: deadline,
    clientSecretExpiresAt: secretExpiresAt,
    clientSecretDaysLeft: daysLeft,
    nextDeadline,
    warnings,
  };
}

function earliestDeadline(candidates: readonly (NextDeadline | undefined)[]): NextDeadline | undefined {
  let earliest: NextDeadline | undefined;
  for (const candidate of candidates) {
    if (candidate !== undefined && (earliest === undefined || candidate.at < earliest.at))
      earliest = candidate;
  }
  return earliest;
}

/** What the probe's answer says about a connection that got a token. */
function probeVerdict(
  probe: number,
  url: string | undefined,
): Pick<ValidationVerdict, 'outcome' | 'message'> {
  const at = url === undefined ? '' : ` ${url}`;
  if (probe === 401 || probe === 403) {
    return {
      outcome: 'bad_credentials',
      message:
        probe === 403
          ? text(
              'El proveedor negó el acceso (403): el usuario que autorizó no tiene un rol permitido.',
              'The provider denied access (403): the authorizing user does not have an allowed role.',
            )
          : text(
              `La llamada de prueba a${at} respondió HTTP 401: el proveedor rechazó el token.`,
              `The probe call to${at} answered HTTP 401: the provider rejected the token.`,
            ),
    };
  }
  if (probe >= 500 || probe === 408 || probe === 429) {
    return {
      outcome: 'provider_down',
      message: text(
        `La llamada de prueba respondió HTTP ${probe}.`,
        `The probe call answered HTTP ${probe}.`,
      ),
    };
  }
  const check =
    probe === 404
      ? text(
          'la ruta no existe en esa API: revise la URL base de la API (región, «endpoints.apiBase») y la ruta de validación del conector',
          "the path does not exist on that API: check the API base URL (region, “endpoints.apiBase”) and the connector's validation path",
        )
      : probe === 405
        ? text(
            'esa URL no acepta el método de la llamada de prueba: revise la URL base de la API y la ruta de validación del conector',
            "that URL does not accept the probe's method: check the API base URL and the connector's validation path",
          )
        : text(
            'revise la URL base de la API (región, «endpoints.apiBase») y la configuración de la conexión',
            'check the API base URL (region, “endpoints.apiBase”) and the connection settings',
          );
  return {
    outcome: 'misconfigured',
    message: text(
      `El token es válido, pero la llamada de prueba a${at} respondió HTTP ${probe}: ${check.es}.`,
      `The token was issued, but the probe call to${at} answered HTTP ${probe}: ${check.en}.`,
    ),
  };
}

/** Turns the outcome of a validation attempt into a verdict a person can act on. */
export function verdictFrom(
  status: ConnectionStatus,
  outcome: { error?: unknown; probeStatus?: number | undefined; probeUrl?: string | undefined },
): ValidationVerdict {
  const base = { status, probeStatus: outcome.probeStatus, probeUrl: outcome.probeUrl };
  if (outcome.error === undefined) {
    const probe = outcome.probeStatus;
    if (probe === undefined || (probe >= 200 && probe < 300)) {
      return {
        ...base,
        outcome: 'ok',
        ok: true,
        message: text('Conexión válida.', 'Connection is valid.'),
      };
    }
    return { ...base, ok: false, ...probeVerdict(probe, outcome.probeUrl) };
  }
  const error = outcome.error;
  if (!isConnectorError(error)) throw error;
  const map: Record<string, ValidationVerdict['outcome']> = {
    [ErrorCode.ReauthorizationRequired]: 'reauthorize',
    [ErrorCode.InvalidCredentials]: 'bad_credentials',
    [ErrorCode.InvalidClient]: 'bad_credentials',
    [ErrorCode.ClientSecretExpired]: 'bad_credentials',
    [ErrorCode.InsecureEndpoint]: 'misconfigured',
    [ErrorCode.OAuthError]: 'bad_credentials',
    [ErrorCode.Configuration]: 'bad_credentials',
    [ErrorCode.ForeignOrigin]: 'misconfigured',
    [ErrorCode.EndpointNotAllowed]: 'misconfigured',
    [ErrorCode.Unsupported]: 'bad_credentials',
  };
  const message: LocalizedText = error.localized;
  return {
    ...base,
    outcome: map[error.code] ?? 'provider_down',
    ok: false,
    errorCode: error.code,
    message,
  };
}
