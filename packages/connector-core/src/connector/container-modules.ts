import { ContainerModule, type ResolutionContext } from 'inversify';
import type { CredentialSchema } from '../credentials/schema-types.js';
import { createDefaultDispatcher, type DispatcherOptions } from '../http/dispatcher.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../stores/memory-stores.js';
import { systemClock } from '../support/clock.js';
import { redactingLogger, silentLogger } from '../support/logger.js';
import type { ProviderDefinition } from './definition.js';
import { OAuthConnector } from './oauth-connector.js';
import { ConnectorRegistry, ConnectorRegistryId } from './registry.js';
import type { ConnectorRuntime } from './runtime.js';
import {
  Clock,
  Connector,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  TokenStore,
} from './service-identifiers.js';

/**
 * The runtime a connector resolves from the container. Every port is optional: an unbound port
 * falls back to the in-memory / system default, so a bare container works for trials and tests.
 */
export function resolveRuntime(context: ResolutionContext): ConnectorRuntime {
  const clock = context.get(Clock, { optional: true }) ?? systemClock;
  return {
    tokenStore: context.get(TokenStore, { optional: true }) ?? new MemoryTokenStore(),
    pendingStore:
      context.get(PendingAuthorizationStore, { optional: true }) ??
      new MemoryPendingAuthorizationStore(clock),
    clock,
    logger: redactingLogger(context.get(Logger, { optional: true }) ?? silentLogger),
    dispatcher: context.get(HttpDispatcher, { optional: true }) ?? sharedDispatcher(),
  };
}

let defaultDispatcher: ReturnType<typeof createDefaultDispatcher> | undefined;
const sharedDispatcher = (): ReturnType<typeof createDefaultDispatcher> =>
  (defaultDispatcher ??= createDefaultDispatcher());

/**
 * The ContainerModule of a provider: binds its connector, a singleton, under the shared
 * {@link Connector} identifier (multi-binding: every loaded provider adds one).
 */
export function createConnectorModule<S extends CredentialSchema>(
  definition: ProviderDefinition<S>,
): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Connector)
      .toDynamicValue((context) => new OAuthConnector(definition, resolveRuntime(context)))
      .inSingletonScope();
  });
}

/** Host-wide defaults a host may load before its connector modules and then rebind. */
export interface CoreModuleOptions {
  readonly dispatcher?: DispatcherOptions;
}

/**
 * Binds the shared ports once per host (one store, one dispatcher, one clock for every connector):
 * in-memory stores, the system clock, a silent logger, an undici Agent with timeouts, and the
 * {@link ConnectorRegistry} under {@link ConnectorRegistryId}. A port the container already
 * binds is left alone, so a host binds its own before loading this module (or rebinds after).
 */
export function connectorCoreModule(options: CoreModuleOptions = {}): ContainerModule {
  return new ContainerModule(({ bind, isBound }) => {
    if (!isBound(Clock)) bind(Clock).toConstantValue(systemClock);
    if (!isBound(Logger)) bind(Logger).toConstantValue(silentLogger);
    if (!isBound(TokenStore)) bind(TokenStore).toConstantValue(new MemoryTokenStore());
    if (!isBound(PendingAuthorizationStore)) {
      bind(PendingAuthorizationStore)
        .toDynamicValue((context) => new MemoryPendingAuthorizationStore(context.get(Clock)))
        .inSingletonScope();
    }
    if (!isBound(HttpDispatcher)) {
      bind(HttpDispatcher).toConstantValue(createDefaultDispatcher(options.dispatcher));
    }
    if (!isBound(ConnectorRegistryId)) bind(ConnectorRegistryId).to(ConnectorRegistry).inTransientScope();
  });
}
