import type { LocalizedText } from '../errors/localized.js';
import type { CredentialSchema, CredentialsOf } from '../credentials/schema-types.js';
import type { ClientAuthentication } from '../oauth/client-authentication.js';
import type { RetryPolicy } from '../http/retry.js';
import type { ExpiryPolicy } from '../tokens/expiry-policy.js';

/** The endpoints of one connection. */
export interface Endpoints {
  /** Authorization endpoint (authorization code grant only). */
  readonly authorization?: string | undefined;
  readonly token: string;
  /** Base URL of the provider's API: the only origin a Bearer token is ever sent to. */
  readonly apiBase: string;
  /**
   * The authorization server's issuer identifier (RFC 9207 §2): a callback carrying another `iss`
   * is refused before any token request.
   */
  readonly issuer?: string | undefined;
}

/** Authorization code grant (RFC 6749 §4.1), optionally with PKCE (RFC 7636). */
export interface AuthorizationCodeGrantDefinition<C> {
  readonly type: 'authorization_code';
  /** `S256` sends a code challenge on every authorization (RFC 7636 §4.2). */
  readonly pkce: 'S256' | 'none';
  /** The `scope` of the authorization request. */
  readonly scope: (credentials: C) => string | undefined;
  /** Provider parameters for the authorization URL (e.g. ABBYY `productId`). */
  readonly authorizationParams?: ((credentials: C) => Readonly<Record<string, string>>) | undefined;
  /** Provider parameters for the code exchange body (e.g. ABBYY `scope … offline_access`). */
  readonly tokenParams?: ((credentials: C) => Readonly<Record<string, string>>) | undefined;
  /** Client authentication of the code exchange. */
  readonly codeExchangeAuth: ClientAuthentication;
  /** Client authentication of the refresh request (HP uses Basic here, body on the exchange). */
  readonly refreshAuth: ClientAuthentication;
  /** Send `redirect_uri` on refresh too (HP's public scripts do). */
  readonly redirectUriOnRefresh?: boolean | undefined;
  /**
   * What a code exchange without `refresh_token` means: `error` fails the authorization with an
   * actionable message (the client is not allowed to issue refresh tokens), `warn` stores the
   * access token and warns that it cannot be renewed.
   */
  readonly missingRefreshToken: 'error' | 'warn';
  /**
   * The whole `ERR_CONFIGURATION` message when `missingRefreshToken: 'error'` fires, naming the
   * setting to change in the provider's own words (e.g. ABBYY's "Allow issuing refresh tokens").
   * Default: generic advice (enable refresh tokens and `offline_access`, authorize again).
   */
  readonly missingRefreshTokenHint?: LocalizedText | undefined;
  /** A refresh token imported from the credentials (old manual procedures). */
  readonly importedRefreshToken?: ((credentials: C) => string | undefined) | undefined;
  /** How long a started authorization waits for its callback (s). Default 600. */
  readonly pendingTtlSeconds?: number | undefined;
  /**
   * RFC 9207: `required` when the provider always sends `iss` on the callback (a callback without
   * it is refused); `optional` (default) checks `iss` only when present. Either way the value is
   * compared with the region's `issuer` when the definition declares one.
   *
   * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
   */
  readonly issuerParameter?: 'required' | 'optional' | undefined;
}

/** Client credentials grant (RFC 6749 §4.4). */
export interface ClientCredentialsGrantDefinition<C> {
  readonly type: 'client_credentials';
  readonly auth: ClientAuthentication;
  readonly scope?: ((credentials: C) => string | undefined) | undefined;
  /** Client authentication of a refresh, used only if the provider ever returns a refresh token. */
  readonly refreshAuth?: ClientAuthentication | undefined;
}

/** A cheap, read-only authorized call that proves a connection works ("Validar conexión"). */
export interface ValidationProbe {
  readonly method: 'GET' | 'HEAD' | 'POST';
  readonly path: string;
  readonly query?: Readonly<Record<string, string>> | undefined;
}

/** How long a client secret lives, for expiry warnings. */
export interface ClientSecretPolicy {
  /** Lifetime from `clientSecretCreatedAt` (days), when the provider fixes one (HP: 365). */
  readonly lifetimeDays?: number | undefined;
  /** Warn this many days ahead. Default 30. */
  readonly warnDays?: number | undefined;
}

/**
 * Everything that makes one provider's connector: data plus a few small functions of the
 * credentials. The OAuth mechanics live once, in {@link OAuthConnector}; a provider package is
 * one file of this, ending in `satisfies ProviderDefinition<…>`.
 */
export interface ProviderDefinition<S extends CredentialSchema = CredentialSchema> {
  readonly id: string;
  readonly version: string;
  readonly displayName: LocalizedText;
  readonly description: LocalizedText;
  readonly credentialSchema: S;
  /**
   * Names of the credential fields holding the client id and secret. Default `clientId` and
   * `clientSecret`; LeanCore, for one, calls them `username` and `password`.
   */
  readonly clientFields?: { readonly id: string; readonly secret: string } | undefined;
  /**
   * Default endpoints per region. Their origins are the only ones a connection may use unless the
   * host's `EndpointPolicy` allows more.
   */
  readonly regions: Readonly<Record<string, Endpoints>>;
  /**
   * Origins the connector talks to beyond those its regions name (e.g. a documented sandbox
   * host). Default: none.
   */
  readonly origins?: readonly string[] | undefined;
  /** The region of a connection. Default: `credentials.region`, else the first region. */
  readonly regionOf?: ((credentials: CredentialsOf<S>) => string) | undefined;
  /**
   * Final endpoints of a connection, from the region's defaults. Default: the region's, with
   * `credentials.endpoints` overrides applied.
   */
  readonly endpointsOf?:
    ((credentials: CredentialsOf<S>, regionDefaults: Endpoints) => Endpoints) | undefined;
  readonly grant:
    AuthorizationCodeGrantDefinition<CredentialsOf<S>> | ClientCredentialsGrantDefinition<CredentialsOf<S>>;
  readonly expiry: ExpiryPolicy;
  /** Accepted `token_type` values (case-insensitive). Default `['bearer']`. */
  readonly tokenTypes?: readonly string[] | undefined;
  readonly clientSecret?: ClientSecretPolicy | undefined;
  readonly validation?: ValidationProbe | undefined;
  /** Backoff for token and API calls. Default {@link defaultRetryPolicy}. */
  readonly retry?: RetryPolicy | undefined;
  /** Valid dummy credentials for documentation and the conformance kit (no real secret). */
  readonly sampleCredentials: CredentialsOf<S>;
}
