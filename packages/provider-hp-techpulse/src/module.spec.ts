import { fileURLToPath } from 'node:url';
import { Container } from 'inversify';
import {
  Connector,
  ConnectorRegistry,
  ConnectorRegistryId,
  connectorCoreModule,
  loadConnectorPackage,
} from '@aic/connector-core';
import { connectorModule, manifest } from './index.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

describe('ContainerModule', () => {
  it('binds one singleton HP connector under core’s shared Connector identifier', () => {
    const container = new Container();
    container.load(connectorCoreModule());
    container.load(connectorModule);
    const connectors = container.getAll(Connector);
    expect(connectors.map((c) => c.manifest.id)).toEqual(['hp-techpulse']);
    expect(connectors[0]?.manifest).toEqual(manifest);
    expect(container.get(Connector)).toBe(connectors[0]);
    expect(Connector).toBe(Symbol.for('@aic/connector-core/Connector'));
  });

  it('is found by the registry a host resolves', () => {
    const container = new Container();
    container.load(connectorModule);
    container.bind(ConnectorRegistryId).to(ConnectorRegistry).inSingletonScope();
    const registry = container.get<ConnectorRegistry>(ConnectorRegistryId);
    expect(registry.has('hp-techpulse')).toBe(true);
  });

  // The built package, as npm publishes it (`pnpm test` runs `tsc -b` first).
  it('loads from its package directory through package.json "aicConnector" and "exports"', async () => {
    const container = new Container();
    const loaded = await loadConnectorPackage(container, packageDir);
    expect(loaded).toMatchObject({ packageName: '@aic/provider-hp-techpulse', version: '0.1.0' });
    expect(container.getAll(Connector).map((c) => c.manifest.id)).toEqual(['hp-techpulse']);
  });
});
