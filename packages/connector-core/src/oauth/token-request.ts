import type { BasicEncoding, ClientAuthentication, ClientCredentials } from './client-authentication.js';

/**
 * A token endpoint request (RFC 6749 §3.2), built but not sent: grants build one, `sendTokenRequest`
 * sends it, `processTokenResponse` reads the answer. Keeping the three apart lets the
 * conformance kit and tests check each on its own.
 */
export interface TokenRequest {
  readonly grantType: 'authorization_code' | 'refresh_token' | 'client_credentials';
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Values of this request that must never be shown (for scrubbing provider text). */
  readonly secrets: readonly string[];
  /** How the client authenticated (method and Basic encoding), to explain a refusal. */
  readonly authentication?:
    | { readonly method: ClientAuthentication['method']; readonly encoding?: BasicEncoding | undefined }
    | undefined;
}

/** Parameters a grant sets itself; configuration cannot override them. */
const RESERVED_TOKEN_PARAMS = new Set([
  'grant_type',
  'code',
  'redirect_uri',
  'code_verifier',
  'refresh_token',
  'client_id',
  'client_secret',
]);

function build(
  grantType: TokenRequest['grantType'],
  endpoint: URL,
  client: ClientCredentials,
  auth: ClientAuthentication,
  params: Readonly<Record<string, string | undefined>>,
  extra: Readonly<Record<string, string>> | undefined,
  secrets: readonly (string | undefined)[],
): TokenRequest {
  const body = new URLSearchParams({ grant_type: grantType });
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) body.set(name, value);
  }
  for (const [name, value] of Object.entries(extra ?? {})) {
    if (!RESERVED_TOKEN_PARAMS.has(name) && !body.has(name)) body.set(name, value);
  }
  const headers: Record<string, string> = {
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  auth.apply(client, headers, body);
  return {
    grantType,
    url: endpoint,
    headers,
    body: body.toString(),
    secrets: [client.clientSecret, ...secrets].filter(
      (value): value is string => value !== undefined && value !== '',
    ),
    authentication: { method: auth.method, encoding: auth.encoding },
  };
}

/**
 * Authorization code exchange (RFC 6749 §4.1.3, with PKCE RFC 7636 §4.5).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
export function authorizationCodeGrantRequest(
  endpoint: URL,
  client: ClientCredentials,
  auth: ClientAuthentication,
  grant: {
    readonly code: string;
    /** Exactly the `redirect_uri` of the authorization request (RFC 6749 §4.1.3). */
    readonly redirectUri: string;
    readonly codeVerifier?: string | undefined;
    readonly extra?: Readonly<Record<string, string>> | undefined;
  },
): TokenRequest {
  return build(
    'authorization_code',
    endpoint,
    client,
    auth,
    { code: grant.code, redirect_uri: grant.redirectUri, code_verifier: grant.codeVerifier },
    grant.extra,
    [grant.code, grant.codeVerifier],
  );
}

/**
 * Refresh (RFC 6749 §6).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
export function refreshTokenGrantRequest(
  endpoint: URL,
  client: ClientCredentials,
  auth: ClientAuthentication,
  grant: {
    readonly refreshToken: string;
    /** Some providers (HP) expect the redirect URI again on refresh. */
    readonly redirectUri?: string | undefined;
    readonly extra?: Readonly<Record<string, string>> | undefined;
  },
): TokenRequest {
  return build(
    'refresh_token',
    endpoint,
    client,
    auth,
    { refresh_token: grant.refreshToken, redirect_uri: grant.redirectUri },
    grant.extra,
    [grant.refreshToken],
  );
}

/**
 * Client credentials (RFC 6749 §4.4).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 */
export function clientCredentialsGrantRequest(
  endpoint: URL,
  client: ClientCredentials,
  auth: ClientAuthentication,
  grant: {
    readonly scope?: string | undefined;
    readonly extra?: Readonly<Record<string, string>> | undefined;
  } = {},
): TokenRequest {
  return build('client_credentials', endpoint, client, auth, { scope: grant.scope }, grant.extra, []);
}
