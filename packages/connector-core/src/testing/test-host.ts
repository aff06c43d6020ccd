import type { ContainerModule } from 'inversify';
import type { Connector as ConnectorContract } from '../connector/contract.js';
import { connectorCoreModule } from '../connector/container-modules.js';
import { ConnectorRegistryId } from '../connector/registry.js';
import type { TokenStore } from '../connector/service-identifiers.js';
import type { MemoryTokenStore } from '../stores/memory-stores.js';
import { buildTestPorts, type TestPorts, type TestPortsOptions } from './test-ports.js';

/** Which connector to load into a {@link TestHost}, and on which ports. */
export interface TestHostOptions<S extends TokenStore = MemoryTokenStore> extends TestPortsOptions<S> {
  /** The manifest id of the connector under test, e.g. `'hp-techpulse'`. */
  readonly connectorId: string;
  /** The ContainerModule(s) that bind it: a provider package's `connectorModule`, or several. */
  readonly modules: ContainerModule | readonly ContainerModule[];
}

/** {@link TestPorts} with connector modules loaded, and the connector under test resolved. */
export interface TestHost<S extends TokenStore = MemoryTokenStore> extends TestPorts<S> {
  readonly connector: ConnectorContract;
}

/**
 * A connector as a host gets it, on test ports: the ports are bound first, then
 * `connectorCoreModule()` (which keeps them and adds the registry), then `modules`; the
 * connector is looked up by id in the `ConnectorRegistry`, so a module that binds nothing under
 * that id, or two connectors with one id, fail here with `ERR_CONFIGURATION`.
 */
export function createTestHost<S extends TokenStore>(
  options: TestHostOptions<S> & { readonly tokenStore: S },
): TestHost<S>;
export function createTestHost(options: TestHostOptions): TestHost;
export function createTestHost(options: TestHostOptions<TokenStore>): TestHost<TokenStore> {
  const ports = buildTestPorts(options);
  const modules: readonly ContainerModule[] = Array.isArray(options.modules)
    ? options.modules
    : [options.modules];
  ports.container.load(connectorCoreModule(), ...modules);
  const connector = ports.container.get(ConnectorRegistryId).get(options.connectorId);
  return { ...ports, connector };
}
