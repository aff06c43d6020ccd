import type { LocalizedText } from '../errors/localized.js';

/** Something the operator should act on before it breaks the connection. */
export interface ConnectionWarning {
  /** Stable: `client_secret_expiring`, `client_secret_expired`, `reauthorization_soon`, `no_refresh_token`. */
  readonly code: string;
  readonly message: LocalizedText;
  /** When the problem bites (epoch ms), if it has a date. */
  readonly at?: number | undefined;
}

/** What a host shows for a connection: state, deadlines and warnings. No token values. */
export interface ConnectionStatus {
  readonly connectorId: string;
  readonly connectionId: string;
  /** `not_authorized`: no tokens yet; `reauthorization_required`: a person must authorize again. */
  readonly state: 'not_authorized' | 'active' | 'reauthorization_required';
  readonly reauthorizationReason?: string | undefined;
  readonly accessTokenExpiresAt?: number | undefined;
  readonly hasRefreshToken: boolean;
  readonly reauthorizationRequiredAt?: number | undefined;
  readonly clientSecretExpiresAt?: number | undefined;
  /** Whole days until the client secret expires (negative once expired). */
  readonly clientSecretDaysLeft?: number | undefined;
  /** The earliest date a person must act by (a past one included: it is the most urgent). */
  readonly nextDeadline?: NextDeadline | undefined;
  readonly warnings: readonly ConnectionWarning[];
}

/** A date a person must act by, and what it is about. */
export interface NextDeadline {
  /**
   * `reauthorization`: the refresh token's maximum lifetime; `client_secret`: the client secret's
   * expiry date (a calendar date, UTC midnight); `access_token`: the access token's expiry when
   * nothing can renew it.
   */
  readonly kind: 'reauthorization' | 'client_secret' | 'access_token';
  readonly at: number;
}

/** The verdict of "Validar conexión". */
export interface ValidationVerdict {
  /**
   * `ok`; `reauthorize`: a person must authorize; `bad_credentials`: the provider refused the
   * client or the token (fix the client id/secret or the user's role); `misconfigured`: an
   * endpoint or the probe is wrong (the API answered 404, 405 or another 4xx: fix the API base,
   * region or endpoints); `provider_down`: try later.
   */
  readonly outcome: 'ok' | 'reauthorize' | 'bad_credentials' | 'misconfigured' | 'provider_down';
  readonly ok: boolean;
  readonly message: LocalizedText;
  /** The error code behind a failed verdict. */
  readonly errorCode?: string | undefined;
  /** Status of the probe call, when one was made. */
  readonly probeStatus?: number | undefined;
  /** Where the probe went (origin and path only: never a query or a token), when one was made. */
  readonly probeUrl?: string | undefined;
  readonly status: ConnectionStatus;
}
