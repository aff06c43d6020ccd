/**
 * Tokens of one connection, as stored. Times are epoch milliseconds.
 * Everything here except `tokenType`, `scope` and the times is secret.
 */
export interface TokenSet {
  readonly accessToken: string;
  /** As the provider sent it (`Bearer`, `bearer`, …); the header always says `Bearer`. */
  readonly tokenType: string;
  /** When the provider says the access token expires (after the unit policy and caps). */
  readonly expiresAt: number;
  /** When the token was obtained (local clock). */
  readonly issuedAt: number;
  readonly refreshToken?: string | undefined;
  readonly scope?: string | undefined;
}

/** What a caller gets from `getAccessToken`: enough to authorize one call, nothing more. */
export interface AccessToken {
  readonly accessToken: string;
  readonly tokenType: 'Bearer';
  readonly expiresAt: number;
}
