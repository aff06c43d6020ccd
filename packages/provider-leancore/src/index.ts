/**
 * @aic/provider-leancore: the LeanCore connector for Aranda Integration Center. OAuth 2.0 client
 * credentials against `https://auth.leancore.co/oauth2/token` with HTTP Basic client
 * authentication; production and sandbox API bases.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

import { manifestOf, type ConnectorManifest, type ProviderDefinition } from '@aic/connector-core';
import { leanCoreDefinition } from './definition.js';

export {
  LEANCORE_BASIC_ENCODING,
  LEANCORE_TOKEN_ENDPOINT,
  credentialSchema,
  leanCoreDefinition,
} from './definition.js';
export type { LeanCoreCredentials } from './definition.js';
export { leanCoreDefinitionWith } from './configure.js';
export type { LeanCoreOptions } from './configure.js';
export { connectorModule, createLeanCoreModule } from './module.js';

/** What the LeanCore connector is and can do (endpoints, grant, client authentication, schema). */
export const manifest: ConnectorManifest = manifestOf(leanCoreDefinition as unknown as ProviderDefinition);
