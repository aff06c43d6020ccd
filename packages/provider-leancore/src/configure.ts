import {
  ConnectorError,
  ErrorCode,
  clientSecretBasic,
  text,
  type BasicEncoding,
  type ProviderDefinition,
} from '@aic/connector-core';
import { LEANCORE_BASIC_ENCODING, leanCoreDefinition, type credentialSchema } from './definition.js';

/** Host-level choices for the LeanCore connector. */
export interface LeanCoreOptions {
  /**
   * Encoding of the `Authorization: Basic` pair for the token and refresh requests. Default
   * {@link LEANCORE_BASIC_ENCODING} (`plain`, LeanCore's document). Use `rfc6749` only if LeanCore
   * confirms its server form-decodes the pair as RFC 6749 §2.3.1 says.
   */
  readonly basicEncoding?: BasicEncoding | undefined;
}

const ENCODINGS: readonly BasicEncoding[] = ['plain', 'rfc6749'];

/**
 * The LeanCore definition with the host's options applied. With no options (or the defaults) it is
 * {@link leanCoreDefinition} itself. An unknown encoding (from untyped configuration) is an
 * `ERR_CONFIGURATION`, raised here, at startup, not on the first token request.
 */
export function leanCoreDefinitionWith(
  options: LeanCoreOptions = {},
): ProviderDefinition<typeof credentialSchema> {
  const encoding = options.basicEncoding ?? LEANCORE_BASIC_ENCODING;
  if (!ENCODINGS.includes(encoding)) {
    throw new ConnectorError(
      ErrorCode.Configuration,
      text(
        `Codificación Basic desconocida para LeanCore: use ${ENCODINGS.join(' o ')}.`,
        `Unknown Basic encoding for LeanCore: use ${ENCODINGS.join(' or ')}.`,
      ),
      { connectorId: leanCoreDefinition.id },
    );
  }
  if (encoding === LEANCORE_BASIC_ENCODING) return leanCoreDefinition;
  return {
    ...leanCoreDefinition,
    grant: {
      ...leanCoreDefinition.grant,
      auth: clientSecretBasic({ encoding }),
      refreshAuth: clientSecretBasic({ encoding }),
    },
  };
}
