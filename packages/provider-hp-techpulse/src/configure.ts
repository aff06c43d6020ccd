import { withBasicEncoding, type BasicEncodingOptions, type ProviderDefinition } from '@aic/connector-core';
import { hpTechPulse, type credentialSchema } from './definition.js';

/**
 * Host-level choices for the HP TechPulse connector. `basicEncoding`: the encoding of the
 * `Authorization: Basic` pair of the refresh request (the code exchange sends the secret in the
 * body); default `plain`, as HP documents it. Use `rfc6749` when HP's token endpoint form-decodes
 * the pair (RFC 6749 §2.3.1): with a secret holding `+` or `%` the refresh then fails under
 * `plain` with `ERR_INVALID_CLIENT` (or `ERR_OAUTH invalid_request`) whose message names this
 * option, while the credentials are right.
 */
export type HpTechPulseOptions = BasicEncodingOptions;

/**
 * The HP TechPulse definition with the host's options applied; {@link hpTechPulse} itself with
 * none. An unknown encoding is an `ERR_CONFIGURATION` raised here, when the host builds the module.
 */
export function hpTechPulseDefinitionWith(
  options: HpTechPulseOptions = {},
): ProviderDefinition<typeof credentialSchema> {
  return withBasicEncoding(hpTechPulse as ProviderDefinition<typeof credentialSchema>, options);
}
