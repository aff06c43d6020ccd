import type { ContainerModule } from 'inversify';
import { createConnectorModule } from '@aic/connector-core';
import { hpTechPulseDefinitionWith, type HpTechPulseOptions } from './configure.js';
import { hpTechPulse } from './definition.js';

/**
 * The inversify ContainerModule a host loads (named in package.json `aicConnector.module`): it
 * binds the HP TechPulse connector, a singleton, under core's shared `Connector` identifier.
 */
export const connectorModule: ContainerModule = createConnectorModule(hpTechPulse);

/**
 * An HP TechPulse ContainerModule with host options (e.g. `{ basicEncoding: 'rfc6749' }`). Load
 * it instead of {@link connectorModule}, never both: the two bind connectors with the same id.
 */
export function createHpTechPulseModule(options: HpTechPulseOptions = {}): ContainerModule {
  return createConnectorModule(hpTechPulseDefinitionWith(options));
}
