import { ConnectorRegistry, ConnectorRegistryId } from '@aic/connector-core';
import { check, describeError, fail } from '../../kit/expect.js';
import { createKitPorts } from '../../kit/ports.js';
import { Sequence } from '../../kit/sequence.js';
import { defineScenario } from '../../scenario.js';
import { loadThroughHost } from '../../target.js';

/**
 * A host loads a connector by package name or path (`aicConnector` in its package.json names the
 * ContainerModule), binds it into its inversify container, and resolves it — alone or among
 * others — from the registry of every connector bound under the shared identifier.
 */
export const loader = defineScenario({
  id: 'contract.loader',
  title: "The connector loads from its package with the host's loader and resolves from the container",
  family: 'contract',
  rule: { source: 'DESIGN.md (provider packages, loader)' },
  appliesTo: ({ targetKind }) =>
    targetKind === 'package' || `the connector was given to the kit as a ${targetKind}, not as a package`,
  async run(ctx) {
    const ports = createKitPorts(new Sequence());
    try {
      const connectors = await loadThroughHost(ctx.target, ports).catch((error: unknown) =>
        fail(`loadConnectorPackage failed: ${describeError(error)}`),
      );
      const found = connectors.filter((c) => c.manifest.id === ctx.manifest.id);
      check(
        found.length === 1,
        `the container resolves ${found.length} connectors with id "${ctx.manifest.id}"`,
      );
      ports.container.bind(ConnectorRegistryId).to(ConnectorRegistry).inSingletonScope();
      const registry = ports.container.get<ConnectorRegistry>(ConnectorRegistryId);
      check(
        registry.get(ctx.manifest.id) === found[0],
        'the ConnectorRegistry does not return the bound connector',
      );
      check(
        found[0]?.manifest.version === ctx.manifest.version,
        'the connector loaded by the host reports another version than the one under test',
      );
    } finally {
      await ports.dispatcher.destroy();
    }
  },
});
