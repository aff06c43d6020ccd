import type { ContainerModule } from 'inversify';
import { createConnectorModule } from '@aic/connector-core';
import { abbyyVantageDefinition } from './definition.js';

/**
 * The ABBYY Vantage ContainerModule: binds the connector (a singleton) under the shared
 * `Connector` identifier (`Symbol.for('@aic/connector-core/Connector')`). `aicConnector.module`
 * in package.json names this export, so a host loads it by package name with
 * `loadConnectorPackage(container, '@aic/provider-abbyy-vantage')`.
 */
export const connectorModule: ContainerModule = createConnectorModule(abbyyVantageDefinition);
