import { ErrorCode } from '../errors/codes.js';
import { isConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { InvalidCredentialsError, OAuthResponseError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import type { BasicEncoding, ClientCredentials } from './client-authentication.js';

/** The option name every Basic-using provider module takes (`createHpTechPulseModule({ basicEncoding })`). */
export const BASIC_ENCODING_OPTION = 'basicEncoding';

/**
 * Whether a server that decodes the Basic pair the other way would read another id or secret
 * than the one sent with `encoding`:
 *
 * - sent `plain` to a server that form-decodes it (RFC 6749 §2.3.1): only `+` (read as a space)
 *   and `%` (an escape, or malformed) change a value;
 * - sent `rfc6749` to a server that reads it raw: every character other than an ASCII letter or
 *   digit arrives escaped.
 */
export function basicEncodingsDiffer(client: ClientCredentials, encoding: BasicEncoding): boolean {
  const changed = encoding === 'plain' ? /[+%]/ : /[^A-Za-z0-9]/;
  return changed.test(client.clientId) || changed.test(client.clientSecret ?? '');
}

/**
 * A token request authenticated with HTTP Basic was refused with `invalid_client` or
 * `invalid_request`, and the client's id or secret would be read differently under the other
 * encoding ({@link basicEncodingsDiffer}): the error keeps its code, type and message, and adds
 * that the encoding is a likely cause, naming the option to switch, so a person does not rotate a
 * secret that was right. Any other error is returned as is.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function explainBasicRefusal(
  error: unknown,
  authentication: { readonly method: string; readonly encoding?: BasicEncoding | undefined } | undefined,
  client: ClientCredentials,
  context: ErrorContext,
): unknown {
  const used = authentication?.encoding;
  if (authentication?.method !== 'client_secret_basic' || used === undefined) return error;
  if (!isConnectorError(error) || !basicEncodingsDiffer(client, used)) return error;
  const refused =
    error.code === ErrorCode.InvalidClient ||
    (error instanceof OAuthResponseError && error.oauthError === 'invalid_request');
  if (!refused) return error;
  const other: BasicEncoding = used === 'plain' ? 'rfc6749' : 'plain';
  const option = `${BASIC_ENCODING_OPTION}: '${other}'`;
  const hint =
    used === 'plain'
      ? text(
          `Causa probable: la codificación Basic. El ID o el secreto de cliente contiene «+» o «%», y un servidor que sigue RFC 6749 §2.3.1 decodifica el par Basic (un «+» llega como espacio, «%41» como «A»): con las mismas credenciales, pruebe la opción ${option} del módulo del conector (hoy '${used}') antes de cambiarlas.`,
          `Likely cause: the Basic encoding. The client ID or secret holds “+” or “%”, and a server that follows RFC 6749 §2.3.1 form-decodes the Basic pair (a “+” arrives as a space, “%41” as “A”): keep the credentials and try the connector module's ${option} option (now '${used}') before changing them.`,
        )
      : text(
          `Causa probable: la codificación Basic. El ID o el secreto de cliente contiene caracteres distintos de letras y dígitos, que la codificación '${used}' envía escapados (RFC 6749 §2.3.1) y un servidor que sigue el documento del proveedor lee tal cual: con las mismas credenciales, pruebe la opción ${option} del módulo del conector antes de cambiarlas.`,
          `Likely cause: the Basic encoding. The client ID or secret holds characters other than letters and digits, which the '${used}' encoding sends escaped (RFC 6749 §2.3.1) and a server that follows the provider's own document reads raw: keep the credentials and try the connector module's ${option} option before changing them.`,
        );
  const message = text(`${error.localized.es} ${hint.es}`, `${error.localized.en} ${hint.en}`);
  const next = { ...context, cause: error };
  if (error instanceof InvalidCredentialsError) {
    return new InvalidCredentialsError(error.issues, { ...next, code: error.code, summary: message });
  }
  if (error instanceof OAuthResponseError) {
    return new OAuthResponseError(error.code, error.oauthError, error.status, message, next);
  }
  return error;
}
