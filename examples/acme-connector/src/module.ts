import { createConnectorModule } from '@aic/connector-core';
import { acmeCloud } from './definition.js';

/** What a host loads (declared as `aicConnector.module` in package.json). */
export const connectorModule = createConnectorModule(acmeCloud);
