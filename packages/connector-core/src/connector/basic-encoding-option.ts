import type { CredentialSchema } from '../credentials/schema-types.js';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import {
  clientSecretBasic,
  type BasicEncoding,
  type ClientAuthentication,
} from '../oauth/client-authentication.js';
import type { ProviderDefinition } from './definition.js';

/** Every `client_secret_basic` encoding, in the order options list them. */
export const BASIC_ENCODINGS: readonly BasicEncoding[] = Object.freeze(['plain', 'rfc6749']);

/** Host options a Basic-using provider module takes (`create…Module({ basicEncoding })`). */
export interface BasicEncodingOptions {
  /**
   * Encoding of the `Authorization: Basic` pair of every token request the provider sends with
   * Basic. Default: the provider's documented one. `rfc6749` form-encodes id and secret first
   * (RFC 6749 §2.3.1); `plain` sends them raw (most providers' documents).
   */
  readonly basicEncoding?: BasicEncoding | undefined;
}

const reencode = (auth: ClientAuthentication, encoding: BasicEncoding): ClientAuthentication =>
  auth.method === 'client_secret_basic' && auth.encoding !== encoding
    ? clientSecretBasic({ encoding })
    : auth;

/**
 * The definition with every HTTP Basic client authentication (code exchange, refresh, client
 * credentials) switched to `options.basicEncoding`; the definition itself when no option is given
 * or nothing changes. Body and public-client authentications are left alone. An unknown encoding
 * (untyped configuration) is an `ERR_CONFIGURATION` raised here, when the host builds the module,
 * not at the first token request.
 */
export function withBasicEncoding<S extends CredentialSchema>(
  definition: ProviderDefinition<S>,
  options: BasicEncodingOptions = {},
): ProviderDefinition<S> {
  const encoding = options.basicEncoding;
  if (encoding === undefined) return definition;
  if (!BASIC_ENCODINGS.includes(encoding)) {
    throw new ConnectorError(
      ErrorCode.Configuration,
      text(
        `Codificación Basic desconocida para ${definition.id}: use ${BASIC_ENCODINGS.join(' o ')}.`,
        `Unknown Basic encoding for ${definition.id}: use ${BASIC_ENCODINGS.join(' or ')}.`,
      ),
      { connectorId: definition.id },
    );
  }
  const grant = definition.grant;
  const next =
    grant.type === 'authorization_code'
      ? {
          ...grant,
          codeExchangeAuth: reencode(grant.codeExchangeAuth, encoding),
          refreshAuth: reencode(grant.refreshAuth, encoding),
        }
      : {
          ...grant,
          auth: reencode(grant.auth, encoding),
          refreshAuth: grant.refreshAuth === undefined ? undefined : reencode(grant.refreshAuth, encoding),
        };
  const unchanged =
    grant.type === 'authorization_code' && next.type === 'authorization_code'
      ? next.codeExchangeAuth === grant.codeExchangeAuth && next.refreshAuth === grant.refreshAuth
      : grant.type === 'client_credentials' && next.type === 'client_credentials'
        ? next.auth === grant.auth && next.refreshAuth === grant.refreshAuth
        : false;
  return unchanged ? definition : { ...definition, grant: next };
}
