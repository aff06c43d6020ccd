import { withBasicEncoding, type BasicEncodingOptions, type ProviderDefinition } from '@aic/connector-core';
import { leanCoreDefinition, type credentialSchema } from './definition.js';

/**
 * Host-level choices for the LeanCore connector. `basicEncoding`: the encoding of the
 * `Authorization: Basic` pair for the token and refresh requests; default
 * `LEANCORE_BASIC_ENCODING` (`plain`, LeanCore's document). Use `rfc6749` if LeanCore's server
 * form-decodes the pair as RFC 6749 §2.3.1 says — a refused request whose credentials hold
 * characters other than letters and digits says so (`ERR_INVALID_CLIENT` naming this option).
 */
export type LeanCoreOptions = BasicEncodingOptions;

/**
 * The LeanCore definition with the host's options applied (core's `withBasicEncoding`). With no
 * options (or the defaults) it is {@link leanCoreDefinition} itself. An unknown encoding (from
 * untyped configuration) is an `ERR_CONFIGURATION`, raised here, at startup.
 */
export function leanCoreDefinitionWith(
  options: LeanCoreOptions = {},
): ProviderDefinition<typeof credentialSchema> {
  return withBasicEncoding(leanCoreDefinition as ProviderDefinition<typeof credentialSchema>, options);
}
