/**
 * Stable error codes. A host branches on `error.code`, never on a message or a class name, so
 * these strings are part of the public API and never change meaning.
 */
export const ErrorCode = {
  /** Credentials (connection settings) fail the connector's JSON Schema, or are unusable. */
  InvalidCredentials: 'ERR_INVALID_CREDENTIALS',
  /** The provider rejected the client authentication (`invalid_client`, RFC 6749 §5.2). */
  InvalidClient: 'ERR_INVALID_CLIENT',
  /** The client secret is past its expiry date. */
  ClientSecretExpired: 'ERR_CLIENT_SECRET_EXPIRED',
  /** Callback parameters are malformed: no code, no state, a duplicated parameter. */
  InvalidCallback: 'ERR_INVALID_CALLBACK',
  /** The callback `state` matches no pending authorization (CSRF, replay, other connection). */
  StateMismatch: 'ERR_STATE_MISMATCH',
  /** The pending authorization for this `state` has expired. */
  StateExpired: 'ERR_STATE_EXPIRED',
  /** The provider redirected back with `error=` (RFC 6749 §4.1.2.1), e.g. `access_denied`. */
  AuthorizationDenied: 'ERR_AUTHORIZATION_DENIED',
  /** The authorization code was rejected (`invalid_grant`): expired, used, or not ours. */
  InvalidAuthorizationCode: 'ERR_INVALID_AUTHORIZATION_CODE',
  /** The connection has no usable grant left: a person must authorize it again. */
  ReauthorizationRequired: 'ERR_REAUTHORIZATION_REQUIRED',
  /** Transient provider failure (5xx, reset, timeout) that outlived the retry budget. */
  ProviderUnavailable: 'ERR_PROVIDER_UNAVAILABLE',
  /** The provider answered 429 and the retry budget ran out; see `retryAfterMs`. */
  RateLimited: 'ERR_RATE_LIMITED',
  /** The provider answered with something that is not a valid OAuth response. */
  InvalidProviderResponse: 'ERR_INVALID_PROVIDER_RESPONSE',
  /** Any other OAuth error response (`invalid_request`, `invalid_scope`, ...). */
  OAuthError: 'ERR_OAUTH',
  /** An endpoint is not `https` (plain `http` is accepted for loopback hosts only). */
  InsecureEndpoint: 'ERR_INSECURE_ENDPOINT',
  /** A request would send the Bearer token outside the connection's API base. */
  ForeignOrigin: 'ERR_FOREIGN_ORIGIN',
  /** The connector or host is misconfigured (programming error, not user input). */
  Configuration: 'ERR_CONFIGURATION',
  /** The operation was aborted through its `AbortSignal`. */
  Aborted: 'ERR_ABORTED',
  /** The operation is not supported by this connector (e.g. authorization on client credentials). */
  Unsupported: 'ERR_UNSUPPORTED',
  /** A token store could not read or write its data (tampered file, wrong key, lost server). */
  StoreFailure: 'ERR_STORE_FAILURE',
  /**
   * A fenced write found a newer record than the one the writer read (another process refreshed
   * after this one's lease lapsed). Nothing was written; the engine re-reads and uses the newer
   * record.
   */
  StoreConflict: 'ERR_STORE_CONFLICT',
  /** An endpoint's origin is not one the connector declares nor one the host's policy allows. */
  EndpointNotAllowed: 'ERR_ENDPOINT_NOT_ALLOWED',
  /** A token or API call outlived its total deadline (connect, headers and body, across retries). */
  Timeout: 'ERR_TIMEOUT',
  /** The callback's `iss` is not the authorization server the request went to (RFC 9207). */
  IssuerMismatch: 'ERR_ISSUER_MISMATCH',
  /** The running Node.js is older than the package's `engines.node` (thrown on import). */
  UnsupportedNode: 'ERR_UNSUPPORTED_NODE',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
