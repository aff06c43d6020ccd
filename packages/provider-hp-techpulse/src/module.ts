import { createConnectorModule } from '@aic/connector-core';
import { hpTechPulse } from './definition.js';

/**
 * The inversify ContainerModule a host loads (named in package.json `aicConnector.module`): it
 * binds the HP TechPulse connector, a singleton, under core's shared `Connector` identifier.
 */
export const connectorModule = createConnectorModule(hpTechPulse);
