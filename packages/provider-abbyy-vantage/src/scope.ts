import { DEFAULT_PRODUCT_ID, DEFAULT_SCOPE, type AbbyyVantageCredentials } from './credentials.js';

/** The scope that asks Vantage for a refresh token (ABBYY developer guide, "Getting the refresh token"). */
export const OFFLINE_ACCESS = 'offline_access';

/**
 * The `prompt` of every authorization request. OpenID Connect Core §11: a server MUST ignore
 * `offline_access` unless the prompt contains `consent` (or other conditions allow offline
 * access). README "Refresh token: offline_access and prompt=consent" has the evidence.
 */
export const AUTHORIZATION_PROMPT = 'consent';

/** The configured scope: the connection's, else ABBYY's documented default. */
export const configuredScope = (credentials: AbbyyVantageCredentials): string =>
  credentials.scope ?? DEFAULT_SCOPE;

/** The authorization request's `productId`: the connection's, else ABBYY's documented default. */
export const productId = (credentials: AbbyyVantageCredentials): string =>
  credentials.productId ?? DEFAULT_PRODUCT_ID;

/**
 * The configured scope plus `offline_access` (added once, even when the configured scope
 * already has it). Sent in the authorization request, where an OpenID Connect server decides
 * whether to issue a refresh token (OIDC Core §11), and in the code exchange, as ABBYY's page
 * shows.
 */
export function exchangeScope(credentials: AbbyyVantageCredentials): string {
  const scope = configuredScope(credentials);
  return scope.split(' ').includes(OFFLINE_ACCESS) ? scope : `${scope} ${OFFLINE_ACCESS}`;
}

/** The authorization request's scope: the same as the exchange's, `offline_access` included. */
export const authorizationScope = exchangeScope;
