/**
 * How a connector reads token lifetimes and when it refreshes. One value per connector, declared
 * in its manifest so the conformance kit tests against it.
 */
export interface ExpiryPolicy {
  /**
   * Unit of `expires_in`. RFC 6749 §5.1 says seconds; some providers (HP TechPulse) send
   * milliseconds.
   */
  readonly expiresInUnit: 'seconds' | 'milliseconds';
  /** Upper bound of an access token's lifetime, whatever the provider says (s). */
  readonly maxLifetimeSeconds?: number | undefined;
  /** Lifetime assumed when the response has no `expires_in` (s). */
  readonly defaultLifetimeSeconds: number;
  /**
   * Refresh this long before expiry (s). For short-lived tokens the margin is capped at half
   * the lifetime, so a token is always used for at least half its life.
   */
  readonly refreshMarginSeconds: number;
  /** Absolute lifetime of a refresh token (s), when the provider documents one. */
  readonly refreshTokenMaxAgeSeconds?: number | undefined;
  /**
   * Where the refresh token's age counts from: the authorization that issued the grant (it is
   * never extended: ABBYY Vantage) or each refresh response that returns a new one.
   */
  readonly refreshTokenAgeFrom?: 'authorization' | 'issue' | undefined;
  /** Warn this long before the refresh token's deadline (s). Default 3 days. */
  readonly reauthorizationWarningSeconds?: number | undefined;
}

export const defaultExpiryPolicy: ExpiryPolicy = Object.freeze({
  expiresInUnit: 'seconds',
  defaultLifetimeSeconds: 3600,
  refreshMarginSeconds: 60,
});

/** Access token lifetime in ms from a validated, non-negative `expires_in` (or its absence). */
export function lifetimeMs(expiresIn: number | undefined, policy: ExpiryPolicy): number {
  const seconds =
    expiresIn === undefined
      ? policy.defaultLifetimeSeconds
      : policy.expiresInUnit === 'milliseconds'
        ? expiresIn / 1000
        : expiresIn;
  const capped =
    policy.maxLifetimeSeconds === undefined ? seconds : Math.min(seconds, policy.maxLifetimeSeconds);
  return Math.floor(capped * 1000);
}

/** The moment a token should be refreshed: expiry minus the margin (at most half its life). */
export function refreshDueAt(token: { issuedAt: number; expiresAt: number }, policy: ExpiryPolicy): number {
  const life = Math.max(0, token.expiresAt - token.issuedAt);
  return token.expiresAt - Math.min(policy.refreshMarginSeconds * 1000, life / 2);
}
