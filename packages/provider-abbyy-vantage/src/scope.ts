import { DEFAULT_PRODUCT_ID, DEFAULT_SCOPE, type AbbyyVantageCredentials } from './credentials.js';

/** The scope that asks Vantage for a refresh token (ABBYY developer guide, "Getting the refresh token"). */
export const OFFLINE_ACCESS = 'offline_access';

/** The authorization request's scope: the connection's, else ABBYY's documented default. */
export const authorizationScope = (credentials: AbbyyVantageCredentials): string =>
  credentials.scope ?? DEFAULT_SCOPE;

/** The authorization request's `productId`: the connection's, else ABBYY's documented default. */
export const productId = (credentials: AbbyyVantageCredentials): string =>
  credentials.productId ?? DEFAULT_PRODUCT_ID;

/**
 * The code exchange's scope: the authorization scope plus `offline_access`, which is what makes
 * Vantage issue a refresh token (RFC 6749 §3.3 scope tokens; added once, even when the
 * configured scope already has it).
 */
export function exchangeScope(credentials: AbbyyVantageCredentials): string {
  const scope = authorizationScope(credentials);
  return scope.split(' ').includes(OFFLINE_ACCESS) ? scope : `${scope} ${OFFLINE_ACCESS}`;
}
