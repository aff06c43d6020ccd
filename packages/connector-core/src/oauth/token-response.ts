import { ErrorCode } from '../errors/codes.js';
import type { ErrorContext } from '../errors/connector-error.js';
import {
  InvalidCredentialsError,
  InvalidProviderResponseError,
  OAuthResponseError,
  ReauthorizationRequiredError,
} from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { headerValue, type HttpResponse } from '../http/send.js';
import { sanitizeProviderText, scrubSecrets } from '../support/redaction.js';
import { lifetimeMs, type ExpiryPolicy } from '../tokens/expiry-policy.js';
import type { TokenSet } from '../tokens/token-set.js';
import type { TokenRequest } from './token-request.js';

export interface TokenResponseOptions {
  readonly grantType: TokenRequest['grantType'];
  readonly expiry: ExpiryPolicy;
  /** Epoch ms of receipt. */
  readonly now: number;
  /** Kept when the response carries no `refresh_token` (RFC 6749 §6: rotation is optional). */
  readonly previousRefreshToken?: string | undefined;
  /** Accepted `token_type` values, compared case-insensitively. Default `['bearer']`. */
  readonly tokenTypes?: readonly string[] | undefined;
  /** Secrets of the request, scrubbed from any provider text that reaches a message. */
  readonly secrets?: readonly string[] | undefined;
  /** JSON pointers of the client id and secret fields, named by `ERR_INVALID_CLIENT`. */
  readonly clientFields?: { readonly id: string; readonly secret: string } | undefined;
  readonly context?: ErrorContext | undefined;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The body as JSON; `undefined` when it is not JSON, `'ill-formed'` when it is not UTF-8 at all
 * (RFC 8259 §8.1): such a body is refused, never read with U+FFFD replacements.
 */
function parseJson(response: HttpResponse): unknown {
  let body: string;
  try {
    body = strictUtf8.decode(response.body);
  } catch {
    return ILL_FORMED;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined;
  }
}

const ILL_FORMED = Symbol('ill-formed UTF-8');

/** `error="…"` from a `WWW-Authenticate` challenge (RFC 6750 §3, used by some token endpoints). */
function challengeError(response: HttpResponse): string | undefined {
  const header = headerValue(response, 'www-authenticate');
  const match = header === undefined ? null : /\berror="?([A-Za-z0-9_.-]+)"?/.exec(header);
  return match?.[1];
}

function invalidResponse(
  response: HttpResponse,
  en: string,
  es: string,
  context: ErrorContext,
): InvalidProviderResponseError {
  const contentType = headerValue(response, 'content-type');
  return new InvalidProviderResponseError(
    response.status,
    contentType,
    text(
      `Respuesta inválida del endpoint de token (HTTP ${response.status}, ${contentType ?? 'sin content-type'}): ${es}.`,
      `Invalid token endpoint response (HTTP ${response.status}, ${contentType ?? 'no content-type'}): ${en}.`,
    ),
    context,
  );
}

/**
 * Maps an OAuth error response (RFC 6749 §5.2) to the typed error a host can act on.
 * `error_description` is provider text: sanitized, cut, and scrubbed of this request's secrets.
 */
function oauthError(
  response: HttpResponse,
  error: string,
  description: unknown,
  options: TokenResponseOptions,
): Error {
  const context = options.context ?? {};
  // Scrub before sanitizing: sanitizing rewrites control characters and cuts the text, after
  // which an echoed secret would no longer match (and could leak in part).
  const scrub = (value: unknown): unknown =>
    typeof value === 'string' ? scrubSecrets(value, options.secrets ?? []) : value;
  const detail = sanitizeProviderText(scrub(description));
  const said = detail === undefined ? '' : `: ${detail}`;
  if (error === 'invalid_client') {
    const fields = options.clientFields ?? { id: '/clientId', secret: '/clientSecret' };
    return new InvalidCredentialsError(
      [
        {
          pointer: fields.id,
          message: text('verifique el ID de cliente', 'check the client ID'),
        },
        {
          pointer: fields.secret,
          message: text(
            'verifique el secreto de cliente (y que no haya vencido)',
            'check the client secret (and that it has not expired)',
          ),
        },
      ],
      {
        ...context,
        code: ErrorCode.InvalidClient,
        summary: text(
          `El proveedor rechazó el cliente (invalid_client, HTTP ${response.status})${said}. Revise el ID y el secreto de cliente en la conexión.`,
          `The provider rejected the client (invalid_client, HTTP ${response.status})${said}. Check the client ID and secret of the connection.`,
        ),
      },
    );
  }
  if (error === 'invalid_grant' && options.grantType === 'refresh_token') {
    return new ReauthorizationRequiredError(
      'invalid_grant',
      text(
        `El proveedor rechazó el token de actualización (invalid_grant)${said}. Autorice la conexión de nuevo.`,
        `The provider rejected the refresh token (invalid_grant)${said}. Authorize the connection again.`,
      ),
      context,
    );
  }
  if (error === 'invalid_grant' && options.grantType === 'authorization_code') {
    return new OAuthResponseError(
      ErrorCode.InvalidAuthorizationCode,
      error,
      response.status,
      text(
        `El código de autorización es inválido o venció (invalid_grant)${said}. Inicie la autorización de nuevo.`,
        `The authorization code is invalid or expired (invalid_grant)${said}. Start the authorization again.`,
      ),
      context,
    );
  }
  const safeError = sanitizeProviderText(scrub(error), 64) ?? 'unknown';
  return new OAuthResponseError(
    ErrorCode.OAuthError,
    safeError,
    response.status,
    text(
      `El endpoint de token respondió con el error OAuth «${safeError}» (HTTP ${response.status})${said}.`,
      `The token endpoint answered with OAuth error “${safeError}” (HTTP ${response.status})${said}.`,
    ),
    context,
  );
}

/** `expires_in` as a finite non-negative number; a numeric string is accepted. */
function readExpiresIn(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isFinite(n) && n >= 0 ? n : 'invalid';
}

/**
 * Reads a token endpoint response (RFC 6749 §5.1 / §5.2) into a {@link TokenSet}, or throws a
 * typed error. Transient statuses (5xx, 429) are the retry layer's business and never get here.
 *
 * - 200 with a JSON object is required; anything else that is not an OAuth error body is an
 *   `ERR_INVALID_PROVIDER_RESPONSE` carrying status and content type, never the body. A body that
 *   is not well-formed UTF-8 is refused the same way (a token is never stored with U+FFFD in it).
 * - `token_type` is compared case-insensitively (RFC 6749 §5.1, §7.1).
 * - `expires_in` may be a number or a numeric string, must be ≥ 0, is read in the policy's unit.
 * - A missing `refresh_token` keeps the previous one; `id_token` and unknown members are ignored.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
export function processTokenResponse(response: HttpResponse, options: TokenResponseOptions): TokenSet {
  const context = options.context ?? {};
  const json = parseJson(response);
  if (json === ILL_FORMED) {
    throw invalidResponse(response, 'the body is not valid UTF-8', 'el cuerpo no es UTF-8 válido', context);
  }
  if (response.status !== 200) {
    if (isObject(json) && typeof json['error'] === 'string') {
      throw oauthError(response, json['error'], json['error_description'], options);
    }
    const challenged = challengeError(response);
    if (challenged !== undefined || response.status === 401) {
      throw oauthError(response, challenged ?? 'invalid_client', undefined, options);
    }
    throw invalidResponse(response, 'not an OAuth error body', 'no es un error OAuth', context);
  }
  if (!isObject(json)) {
    throw invalidResponse(
      response,
      'the body is not a JSON object',
      'el cuerpo no es un objeto JSON',
      context,
    );
  }
  if (typeof json['error'] === 'string') {
    throw oauthError(response, json['error'], json['error_description'], options);
  }
  const accessToken = json['access_token'];
  if (typeof accessToken !== 'string' || accessToken === '') {
    throw invalidResponse(response, 'no access_token', 'falta access_token', context);
  }
  const tokenType = json['token_type'];
  const accepted = options.tokenTypes ?? ['bearer'];
  if (typeof tokenType !== 'string' || !accepted.some((t) => t.toLowerCase() === tokenType.toLowerCase())) {
    const shown = typeof tokenType === 'string' ? sanitizeProviderText(tokenType, 32) : typeof tokenType;
    throw invalidResponse(
      response,
      `unsupported token_type "${shown ?? ''}" (expected ${accepted.join(' or ')})`,
      `token_type «${shown ?? ''}» no soportado (se espera ${accepted.join(' o ')})`,
      context,
    );
  }
  const expiresIn = readExpiresIn(json['expires_in']);
  if (expiresIn === 'invalid') {
    throw invalidResponse(
      response,
      'expires_in must be a non-negative number',
      'expires_in debe ser un número no negativo',
      context,
    );
  }
  const refreshToken = json['refresh_token'];
  if (refreshToken !== undefined && refreshToken !== null && typeof refreshToken !== 'string') {
    throw invalidResponse(
      response,
      'refresh_token must be a string',
      'refresh_token debe ser texto',
      context,
    );
  }
  const scope = json['scope'];
  return {
    accessToken,
    tokenType,
    issuedAt: options.now,
    expiresAt: options.now + lifetimeMs(expiresIn, options.expiry),
    refreshToken:
      typeof refreshToken === 'string' && refreshToken !== '' ? refreshToken : options.previousRefreshToken,
    scope: typeof scope === 'string' ? scope : undefined,
  };
}
