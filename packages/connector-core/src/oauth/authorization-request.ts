import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { secureEndpoint } from './endpoint.js';
import { codeChallengeS256, generateCodeVerifier, generateState } from './randomness.js';

/**
 * Parameters the engine sets itself (RFC 6749 §4.1.1, RFC 7636 §4.3). Provider configuration
 * cannot override them: an attempt is a configuration error, not a silent override.
 */
export const RESERVED_AUTHORIZATION_PARAMS: ReadonlySet<string> = new Set([
  'state',
  'code_challenge',
  'code_challenge_method',
  'redirect_uri',
  'client_id',
  'response_type',
]);

/** Parameters that would put a secret in a URL (browser history, proxy and server logs). */
const FORBIDDEN_IN_URL = new Set([
  'client_secret',
  'code_verifier',
  'refresh_token',
  'access_token',
  'password',
]);

export interface AuthorizationRequestInput {
  readonly authorizationEndpoint: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scope?: string | undefined;
  readonly pkce: boolean;
  /** Provider parameters (e.g. ABBYY `productId`). Reserved names are refused. */
  readonly extraParams?: Readonly<Record<string, string>> | undefined;
  readonly context?: ErrorContext | undefined;
}

/** A built authorization request: the URL for the browser, and what the callback must match. */
export interface AuthorizationRequest {
  readonly url: URL;
  readonly state: string;
  /** Stored server-side with the pending authorization; never in a URL. */
  readonly codeVerifier?: string | undefined;
  readonly redirectUri: string;
}

/**
 * Builds the authorization URL (RFC 6749 §4.1.1) with a fresh CSPRNG `state` and, when asked,
 * a PKCE S256 challenge (RFC 7636 §4.2). Only https endpoints (loopback http excepted).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 */
export function buildAuthorizationRequest(input: AuthorizationRequestInput): AuthorizationRequest {
  const context = input.context ?? {};
  const url = secureEndpoint(input.authorizationEndpoint, 'authorization', context);
  secureEndpoint(input.redirectUri, 'redirect_uri', context);
  for (const name of Object.keys(input.extraParams ?? {})) {
    if (RESERVED_AUTHORIZATION_PARAMS.has(name) || FORBIDDEN_IN_URL.has(name) || name === 'scope') {
      throw new ConnectorError(
        ErrorCode.Configuration,
        text(
          `El parámetro «${name}» de la autorización lo fija el conector y no se puede configurar.`,
          `The authorization parameter “${name}” is set by the connector and cannot be configured.`,
        ),
        context,
      );
    }
  }
  const state = generateState();
  const codeVerifier = input.pkce ? generateCodeVerifier() : undefined;
  const params = url.searchParams;
  params.set('client_id', input.clientId);
  params.set('redirect_uri', input.redirectUri);
  params.set('response_type', 'code');
  if (input.scope !== undefined && input.scope !== '') params.set('scope', input.scope);
  params.set('state', state);
  if (codeVerifier !== undefined) {
    params.set('code_challenge', codeChallengeS256(codeVerifier));
    params.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries(input.extraParams ?? {})) params.set(name, value);
  return { url, state, codeVerifier, redirectUri: input.redirectUri };
}
