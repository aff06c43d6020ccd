/**
 * @aic/provider-abbyy-vantage: the ABBYY Vantage connector for Aranda Integration Center.
 * Authorization code with PKCE S256 on `vantage-{us|eu|au}.abbyy.com`, refresh tokens with a
 * 30-day deadline that refreshing never extends, and a read-only skills call for "Validar conexión".
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

import { manifestOf, type ConnectorManifest } from '@aic/connector-core';
import { abbyyVantageDefinition } from './definition.js';

export { DEFAULT_PRODUCT_ID, DEFAULT_SCOPE, TENANT_ID_PATTERN, credentialSchema } from './credentials.js';
export type { AbbyyVantageCredentials } from './credentials.js';
export { VALIDATION_PATH, abbyyVantageDefinition } from './definition.js';
export { vantageEndpoints, vantageRegions } from './endpoints.js';
export type { VantageRegion } from './endpoints.js';
export { AUTHORIZATION_PROMPT, OFFLINE_ACCESS, authorizationScope, exchangeScope } from './scope.js';
export { connectorModule } from './module.js';

/** What the ABBYY Vantage connector is and can do (endpoints, grant, client authentication, schema). */
export const manifest: ConnectorManifest = manifestOf(abbyyVantageDefinition);
