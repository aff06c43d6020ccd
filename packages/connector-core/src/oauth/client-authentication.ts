import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';

/** The client's identity as the token endpoint needs it. */
export interface ClientCredentials {
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
}

/** How `client_secret_basic` turns id and secret into the `user:password` pair. */
export type BasicEncoding =
  /**
   * RFC 6749 §2.3.1: `application/x-www-form-urlencoded` id and secret, then `id:secret`,
   * UTF-8, base64. Interoperable with any server that follows the RFC.
   */
  | 'rfc6749'
  /**
   * What most providers' own documents say: `base64(id:secret)` over the raw UTF-8 bytes.
   * An id containing `:` cannot be expressed and is rejected.
   */
  | 'plain';

/**
 * A client authentication method (RFC 6749 §2.3, RFC 8414 `token_endpoint_auth_method`), as a
 * value. It writes the client credentials into exactly one place: the `Authorization` header or
 * the form body, never both.
 */
export interface ClientAuthentication {
  readonly method: 'client_secret_basic' | 'client_secret_post' | 'none';
  /** For `client_secret_basic`: the encoding of the `user:password` pair. */
  readonly encoding?: BasicEncoding;
  apply(client: ClientCredentials, headers: Record<string, string>, body: URLSearchParams): void;
}

/**
 * Encodes one value with the `application/x-www-form-urlencoded` algorithm of RFC 6749
 * Appendix B, which §2.3.1 applies to the client id and secret before they are joined for
 * HTTP Basic: the value is taken as UTF-8, ASCII letters and digits stay as they are, a space
 * becomes `+`, and every other byte becomes `%XX` (upper-case hex). That includes
 * `- _ . ! ~ * ' ( )`, which `encodeURIComponent` leaves alone. Vector:
 * `client %&+-_.!~*'()` → `client+%25%26%2B%2D%5F%2E%21%7E%2A%27%28%29`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#appendix-B
 */
export function formUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*\-._~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The `Authorization: Basic …` value for a client: `base64(id ":" secret)` over UTF-8 bytes
 * (RFC 7617 §2.1 `charset="UTF-8"`; never Latin-1, so `€` works), with id and secret first
 * form-encoded in `rfc6749` mode (RFC 6749 §2.3.1, {@link formUrlEncode}).
 *
 * Throws `ERR_INVALID_CREDENTIALS` when `plain` meets an id containing `:` (RFC 7617 §2: the
 * user-id cannot contain a colon; the server would split it wrongly) or when id or secret is
 * not well-formed Unicode (a lone surrogate has no UTF-8 form), and `ERR_CONFIGURATION` when
 * there is no secret.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 */
export function basicAuthorization(client: ClientCredentials, encoding: BasicEncoding): string {
  const secret = requireSecret(client, 'Basic');
  if (!client.clientId.isWellFormed() || !secret.isWellFormed()) {
    throw new ConnectorError(
      ErrorCode.InvalidCredentials,
      text(
        'El ID o el secreto de cliente contiene caracteres Unicode inválidos (sustitutos sueltos): vuelva a copiarlos.',
        'The client ID or secret contains invalid Unicode (lone surrogates): copy them again.',
      ),
    );
  }
  if (encoding === 'plain' && client.clientId.includes(':')) {
    throw new ConnectorError(
      ErrorCode.InvalidCredentials,
      text(
        'El ID de cliente contiene «:», que la autenticación Basic sin codificar no puede enviar: corrija el ID o use la codificación rfc6749.',
        'The client ID contains “:”, which plain Basic authentication cannot carry: fix the ID or use the rfc6749 encoding.',
      ),
    );
  }
  const pair =
    encoding === 'rfc6749'
      ? `${formUrlEncode(client.clientId)}:${formUrlEncode(secret)}`
      : `${client.clientId}:${secret}`;
  return `Basic ${Buffer.from(pair, 'utf8').toString('base64')}`;
}

function requireSecret(client: ClientCredentials, method: 'Basic' | 'POST'): string {
  const secret = client.clientSecret;
  if (secret === undefined || secret === '') {
    throw new ConnectorError(
      ErrorCode.Configuration,
      text(
        `La autenticación de cliente ${method} necesita el secreto de cliente.`,
        `${method} client authentication needs the client secret.`,
      ),
    );
  }
  return secret;
}

/**
 * `client_secret_basic` (RFC 6749 §2.3.1) with an explicit encoding; removes any `client_id` /
 * `client_secret` from the body so the credentials travel by this one method only.
 */
export function clientSecretBasic(options: { encoding: BasicEncoding }): ClientAuthentication {
  return Object.freeze({
    method: 'client_secret_basic' as const,
    encoding: options.encoding,
    apply(client: ClientCredentials, headers: Record<string, string>, body: URLSearchParams) {
      headers['authorization'] = basicAuthorization(client, options.encoding);
      body.delete('client_id');
      body.delete('client_secret');
    },
  });
}

/**
 * `client_secret_post` (RFC 6749 §2.3.1): `client_id` and `client_secret` in the form body.
 * Throws `ERR_CONFIGURATION` when there is no secret (an empty `client_secret` is never sent).
 */
export function clientSecretPost(): ClientAuthentication {
  return Object.freeze({
    method: 'client_secret_post' as const,
    apply(client: ClientCredentials, headers: Record<string, string>, body: URLSearchParams) {
      delete headers['authorization'];
      body.set('client_id', client.clientId);
      body.set('client_secret', requireSecret(client, 'POST'));
    },
  });
}

/** `none` (public client, RFC 6749 §2.1, RFC 7636): only `client_id` in the body, no secret anywhere. */
export function noClientAuthentication(): ClientAuthentication {
  return Object.freeze({
    method: 'none' as const,
    apply(client: ClientCredentials, headers: Record<string, string>, body: URLSearchParams) {
      delete headers['authorization'];
      body.set('client_id', client.clientId);
      body.delete('client_secret');
    },
  });
}
