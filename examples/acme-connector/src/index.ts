import { manifestOf } from '@aic/connector-core';
import { acmeCloud } from './definition.js';

export { acmeCloud, credentialSchema } from './definition.js';
export type { AcmeCredentials } from './definition.js';
export { connectorModule } from './module.js';

/** The connector's manifest, for hosts and forms. */
export const manifest = manifestOf(acmeCloud);
