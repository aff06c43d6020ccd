import type { ConnectorManifest, DeclaredClientAuthentication } from '@aic/connector-core';

/** The `grant_type` values of token requests. */
export type TokenGrantType = 'authorization_code' | 'refresh_token' | 'client_credentials';

type AuthMethod = DeclaredClientAuthentication['method'];

/**
 * How the interop authorization server is set up for one connector, from its manifest alone
 * (plus the scope tokens of its authorization URL, which a manifest does not list).
 */
export interface InteropPlan {
  readonly connectorId: string;
  readonly grant: 'authorization_code' | 'client_credentials';
  /** PKCE S256 required by the server (`capabilities.pkce`). */
  readonly pkce: boolean;
  /** Refresh tokens issued (authorization code connectors that declare a refresh grant). */
  readonly refresh: boolean;
  /** Declared client authentication of each token request the connector makes. */
  readonly auth: Readonly<Partial<Record<TokenGrantType, DeclaredClientAuthentication>>>;
  /**
   * The one method clients are registered with at the server (RFC 7591 allows one): Basic when
   * any request declares it, so the strict server itself decodes every Basic header, else the
   * body, else none. Requests declaring another method are translated by the proxy.
   */
  readonly registeredMethod: AuthMethod;
  /** Unit the proxy writes `expires_in` in (the server speaks seconds, RFC 6749 §5.1). */
  readonly expiresInUnit: 'seconds' | 'milliseconds';
  /** Access token lifetime at the server (s). */
  readonly accessTokenTtlSeconds: number;
  /** Scope values the server supports beyond `openid` and `offline_access`. */
  readonly scopes: readonly string[];
}

/** What the proxy does to a request of one grant type before the server sees it. */
export type Translation =
  /** Nothing: the server checks the request as it came. */
  | 'none'
  /** Declared `client_secret_post` while clients are registered for Basic: body → RFC 6749 Basic. */
  | 'post-to-basic'
  /** Declared plain Basic: the provider decodes `id:secret` raw; re-encoded as RFC 6749 Basic. */
  | 'plain-basic';

/** The translation the proxy applies to requests of `grantType`. */
export function translationOf(plan: InteropPlan, grantType: TokenGrantType): Translation {
  const declared = plan.auth[grantType];
  if (declared === undefined) return 'none';
  if (declared.method === 'client_secret_post' && plan.registeredMethod === 'client_secret_basic') {
    return 'post-to-basic';
  }
  if (declared.method === 'client_secret_basic' && declared.encoding === 'plain') return 'plain-basic';
  return 'none';
}

/** Whether any token request of the connector declares HTTP Basic client authentication. */
export const usesBasic = (plan: InteropPlan): boolean =>
  Object.values(plan.auth).some((auth) => auth?.method === 'client_secret_basic');

const MIN_TTL_SECONDS = 60;

/** The interop plan of a connector. */
export function planInterop(manifest: ConnectorManifest, scopes: readonly string[] = []): InteropPlan {
  const code = manifest.capabilities.authorizationCode;
  const declared = manifest.clientAuthentication;
  const auth: Partial<Record<TokenGrantType, DeclaredClientAuthentication>> = {};
  if (code && declared.codeExchange !== undefined) auth.authorization_code = declared.codeExchange;
  if (!code && declared.clientCredentials !== undefined) auth.client_credentials = declared.clientCredentials;
  const refresh = code && manifest.capabilities.refreshToken && declared.refresh !== undefined;
  if (refresh && declared.refresh !== undefined) auth.refresh_token = declared.refresh;
  const methods = Object.values(auth).map((a) => a.method);
  const registeredMethod: AuthMethod = methods.includes('client_secret_basic')
    ? 'client_secret_basic'
    : methods.includes('client_secret_post')
      ? 'client_secret_post'
      : 'none';
  const { expiry } = manifest;
  const ttl = Math.min(expiry.defaultLifetimeSeconds, expiry.maxLifetimeSeconds ?? Number.POSITIVE_INFINITY);
  return {
    connectorId: manifest.id,
    grant: code ? 'authorization_code' : 'client_credentials',
    pkce: manifest.capabilities.pkce,
    refresh,
    auth,
    registeredMethod,
    expiresInUnit: expiry.expiresInUnit,
    accessTokenTtlSeconds: Math.max(MIN_TTL_SECONDS, Math.floor(ttl)),
    scopes: [...new Set(scopes.filter((s) => s !== 'openid' && s !== 'offline_access'))],
  };
}
