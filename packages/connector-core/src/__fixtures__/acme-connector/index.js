// A connector package as a third party would publish it: a provider definition turned into a
// ContainerModule with connector-core's createConnectorModule, declared in package.json.
import { createConnectorModule } from '../../connector/container-modules.js';
import { text } from '../../errors/localized.js';
import { fixtureDefinition } from '../fixture-provider.js';

export const definition = {
  ...fixtureDefinition,
  id: 'acme',
  displayName: text('Acme', 'Acme'),
};

export const connectorModule = createConnectorModule(definition);
