import { injectable, multiInject, optional, type ServiceIdentifier } from 'inversify';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import type { Connector as ConnectorContract } from './contract.js';
import { Connector } from './service-identifiers.js';

/**
 * Service identifier of the {@link ConnectorRegistry}; `connectorCoreModule` binds it (transient,
 * so a registry resolved after loading more connector modules sees them too).
 */
export const ConnectorRegistryId: ServiceIdentifier<ConnectorRegistry> = Symbol.for(
  '@aic/connector-core/ConnectorRegistry',
);

/**
 * Every connector bound in the container under the shared `Connector` identifier (multi-binding:
 * one per loaded provider module), by manifest id. Two connectors with the same id is a
 * configuration error (`ERR_CONFIGURATION`), reported when the registry is resolved.
 */
@injectable()
export class ConnectorRegistry {
  readonly #byId = new Map<string, ConnectorContract>();

  constructor(@multiInject(Connector) @optional() connectors: ConnectorContract[] | undefined) {
    for (const connector of connectors ?? []) {
      const id = connector.manifest.id;
      if (this.#byId.has(id)) {
        throw new ConnectorError(
          ErrorCode.Configuration,
          text(`Hay dos conectores con el id «${id}».`, `Two connectors share the id “${id}”.`),
        );
      }
      this.#byId.set(id, connector);
    }
  }

  /** All connectors, in binding order. */
  list(): ConnectorContract[] {
    return [...this.#byId.values()];
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** The connector with this id; `ERR_CONFIGURATION` listing the known ids when there is none. */
  get(id: string): ConnectorContract {
    const connector = this.#byId.get(id);
    if (connector === undefined) {
      const known = [...this.#byId.keys()].join(', ') || '—';
      throw new ConnectorError(
        ErrorCode.Configuration,
        text(
          `No hay un conector «${id}». Conectores cargados: ${known}.`,
          `No connector “${id}”. Loaded connectors: ${known}.`,
        ),
      );
    }
    return connector;
  }
}
