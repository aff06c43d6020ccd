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
 * The RFC 6749 Appendix B form encoding of one value: `application/x-www-form-urlencoded` as
 * RFC 6749 §2.3.1 means it. Unlike `encodeURIComponent` it also escapes `!'()*~-._`… except
 * that the unreserved alphanumerics stay, and space becomes `+`, as the RFC's own examples and
 * the PROVIDERS.md test vector show.
 */
export function formUrlEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*\-._~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The `Authorization: Basic …` value for a client (RFC 7617 with UTF-8, RFC 6749 §2.3.1).
 * Throws `ERR_CONFIGURATION` when `plain` meets an id containing `:` (RFC 7617 §2: the user-id
 * cannot contain a colon), and when the secret is missing.
 */
export function basicAuthorization(client: ClientCredentials, encoding: BasicEncoding): string {
  const secret = client.clientSecret;
  if (secret === undefined || secret === '') {
    throw new ConnectorError(
      ErrorCode.Configuration,
      text(
        'La autenticación Basic necesita el secreto de cliente.',
        'Basic client authentication needs the client secret.',
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

/** `client_secret_basic` (RFC 6749 §2.3.1) with an explicit encoding. */
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

/** `client_secret_post` (RFC 6749 §2.3.1): `client_id` and `client_secret` in the form body. */
export function clientSecretPost(): ClientAuthentication {
  return Object.freeze({
    method: 'client_secret_post' as const,
    apply(client: ClientCredentials, headers: Record<string, string>, body: URLSearchParams) {
      delete headers['authorization'];
      body.set('client_id', client.clientId);
      body.set('client_secret', client.clientSecret ?? '');
    },
  });
}

/** `none` (public client, RFC 6749 §2.1): only `client_id` in the body. */
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
