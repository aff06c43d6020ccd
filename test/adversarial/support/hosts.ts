import { Container } from 'inversify';
import {
  ConnectorRegistryId,
  connectorCoreModule,
  loadConnectorPackage,
  TokenStore,
  type CoreModuleOptions,
  type Connector,
} from '@aic/connector-core';

/** The connector packages a real host loads, by name. */
export const PROVIDER_PACKAGES = [
  '@aic/provider-hp-techpulse',
  '@aic/provider-abbyy-vantage',
  '@aic/provider-leancore',
] as const;

export interface Host {
  readonly container: Container;
  connector(id: string): Connector;
}

/**
 * A host as AIC runs one: its own token store if given, the core module with the host's options
 * (a strict endpoint policy unless `options.endpoints` says otherwise), then every provider
 * package loaded by name.
 */
export async function startHost(
  options: CoreModuleOptions = {},
  ports: { tokenStore?: TokenStore } = {},
): Promise<Host> {
  const container = new Container();
  if (ports.tokenStore !== undefined) container.bind(TokenStore).toConstantValue(ports.tokenStore);
  container.load(connectorCoreModule(options));
  for (const name of PROVIDER_PACKAGES) await loadConnectorPackage(container, name);
  const registry = container.get(ConnectorRegistryId);
  return { container, connector: (id) => registry.get(id) };
}
