import { ErrorCode } from '../errors/codes.js';
import type { ErrorContext } from '../errors/connector-error.js';
import { AuthorizationDeniedError, InvalidCallbackError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { sanitizeProviderText } from '../support/redaction.js';

/** What a host hands to `completeAuthorization`: the callback URL, its query, or its parameters. */
export type CallbackInput =
  string | URL | URLSearchParams | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * A well-formed callback: a code (RFC 6749 §4.1.2), or the provider's error (§4.1.2.1) with the
 * state it came back with, so the connector can close the matching pending authorization.
 */
export type ParsedCallback =
  | { readonly kind: 'code'; readonly code: string; readonly state: string; readonly iss: string | undefined }
  | {
      readonly kind: 'error';
      readonly error: AuthorizationDeniedError;
      readonly state: string | undefined;
      readonly iss: string | undefined;
    };

function toSearchParams(input: CallbackInput): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return input.searchParams;
  if (typeof input === 'string') {
    const trimmed = input.trim();
    if (/^[a-z][a-z0-9+.-]*:/i.test(trimmed)) return new URL(trimmed).searchParams;
    return new URLSearchParams(trimmed.startsWith('?') ? trimmed.slice(1) : trimmed);
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    for (const item of typeof value === 'string' ? [value] : value) params.append(name, item);
  }
  return params;
}

const CALLBACK_PARAMS = ['code', 'state', 'error', 'error_description', 'error_uri', 'iss'];

/**
 * Checks a callback's shape before anything else happens: no token request is made for a
 * callback that fails here.
 *
 * - a duplicated `code`, `state`, `error`… is refused (RFC 6749 §3.1: parameters MUST NOT be
 *   included more than once);
 * - `error=` becomes an {@link AuthorizationDeniedError} (RFC 6749 §4.1.2.1), returned, not
 *   thrown, with the callback's state;
 * - a missing `state` or `code` is refused.
 *
 * `state` and `iss` are only shaped here; matching them to a pending authorization and to the
 * expected issuer (RFC 9207) is the connector's job.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 */
export function parseCallback(input: CallbackInput, context: ErrorContext = {}): ParsedCallback {
  let params: URLSearchParams;
  try {
    params = toSearchParams(input);
  } catch (cause) {
    throw new InvalidCallbackError(
      ErrorCode.InvalidCallback,
      text('La URL de retorno no es una URL válida.', 'The callback URL is not a valid URL.'),
      { ...context, cause },
    );
  }
  for (const name of CALLBACK_PARAMS) {
    if (params.getAll(name).length > 1) {
      throw new InvalidCallbackError(
        ErrorCode.InvalidCallback,
        text(
          `El parámetro «${name}» aparece más de una vez en la URL de retorno.`,
          `The “${name}” parameter appears more than once in the callback.`,
        ),
        context,
      );
    }
  }
  const iss = params.get('iss') ?? undefined;
  const error = params.get('error');
  if (error !== null) {
    const code = sanitizeProviderText(error, 64) ?? 'unknown';
    const description = sanitizeProviderText(params.get('error_description') ?? undefined);
    const tail = description === undefined ? '' : `: ${description}`;
    const state = params.get('state');
    const denied = new AuthorizationDeniedError(
      code,
      code === 'access_denied'
        ? text(
            `El usuario o el proveedor negó la autorización (access_denied)${tail}.`,
            `The user or the provider denied the authorization (access_denied)${tail}.`,
          )
        : text(
            `El proveedor devolvió el error «${code}» en la autorización${tail}.`,
            `The provider returned error “${code}” from the authorization${tail}.`,
          ),
      context,
    );
    return { kind: 'error', error: denied, state: state === null || state === '' ? undefined : state, iss };
  }
  const state = params.get('state');
  if (state === null || state === '') {
    throw new InvalidCallbackError(
      ErrorCode.InvalidCallback,
      text(
        'Falta el parámetro «state» en la URL de retorno: no se puede comprobar que la respuesta es nuestra.',
        'The callback has no “state” parameter: it cannot be matched to our request.',
      ),
      context,
    );
  }
  const code = params.get('code');
  if (code === null || code === '') {
    throw new InvalidCallbackError(
      ErrorCode.InvalidCallback,
      text('Falta el parámetro «code» en la URL de retorno.', 'The callback has no “code” parameter.'),
      context,
    );
  }
  return { kind: 'code', code, state, iss };
}

/**
 * RFC 9207 §2.4: the callback's `iss` must be the issuer the authorization request went to
 * (simple string comparison), and a provider declared to always send it must have sent it.
 * Checked before the pending authorization is touched: a mix-up callback consumes nothing.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2.4
 */
export function checkIssuer(
  iss: string | undefined,
  expected: string | undefined,
  parameter: 'required' | 'optional' | undefined,
  context: ErrorContext = {},
): void {
  if (iss === undefined) {
    if (parameter !== 'required') return;
    throw new InvalidCallbackError(
      ErrorCode.IssuerMismatch,
      text(
        'La URL de retorno no trae el parámetro «iss», que este proveedor envía siempre (RFC 9207): no viene de su servidor de autorización. Inicie la autorización de nuevo.',
        'The callback has no “iss” parameter, which this provider always sends (RFC 9207): it did not come from its authorization server. Start the authorization again.',
      ),
      context,
    );
  }
  if (expected === undefined || iss === expected) return;
  throw new InvalidCallbackError(
    ErrorCode.IssuerMismatch,
    text(
      `La URL de retorno viene de otro servidor de autorización («iss» no es ${expected}; posible ataque de mezcla, RFC 9207): se rechazó sin pedir tokens. Inicie la autorización de nuevo.`,
      `The callback comes from another authorization server (“iss” is not ${expected}; possible mix-up attack, RFC 9207): it was refused without requesting tokens. Start the authorization again.`,
    ),
    context,
  );
}
