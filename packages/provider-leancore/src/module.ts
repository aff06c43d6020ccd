import type { ContainerModule } from 'inversify';
import { createConnectorModule } from '@aic/connector-core';
import { leanCoreDefinitionWith, type LeanCoreOptions } from './configure.js';
import { leanCoreDefinition } from './definition.js';

/**
 * The LeanCore ContainerModule: binds the connector (a singleton) under the shared
 * `Connector` identifier. This is the export `aicConnector.module` in package.json names, so a
 * host loads it by package name with `loadConnectorPackage(container, '@aic/provider-leancore')`.
 */
export const connectorModule: ContainerModule = createConnectorModule(leanCoreDefinition);

/**
 * A LeanCore ContainerModule with host options (e.g. `{ basicEncoding: 'rfc6749' }`). Load it
 * instead of {@link connectorModule}, never both: the two bind connectors with the same id.
 */
export function createLeanCoreModule(options: LeanCoreOptions = {}): ContainerModule {
  return createConnectorModule(leanCoreDefinitionWith(options));
}
