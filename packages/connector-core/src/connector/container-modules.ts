import { ContainerModule, type ResolutionContext } from 'inversify';
import type { CredentialSchema } from '../credentials/schema-types.js';
import { defaultCallDeadlines, type CallDeadlines as CallDeadlinesValue } from '../http/deadline.js';
import { createDefaultDispatcher, type DispatcherOptions } from '../http/dispatcher.js';
import { MemoryTokenRequestLimiter, type MemoryTokenRequestLimiterOptions } from '../http/token-limiter.js';
import { endpointPolicy, type EndpointPolicyOptions } from '../oauth/endpoint-policy.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../stores/memory-stores.js';
import { systemClock } from '../support/clock.js';
import { redactingLogger, silentLogger } from '../support/logger.js';
import type { ProviderDefinition } from './definition.js';
import { OAuthConnector } from './oauth-connector.js';
import { ConnectorRegistry, ConnectorRegistryId } from './registry.js';
import type { ConnectorRuntime } from './runtime.js';
import {
  CallDeadlines,
  Clock,
  Connector,
  EndpointPolicy,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  TokenRequestLimiter,
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
    endpointPolicy: context.get(EndpointPolicy, { optional: true }),
    deadlines: context.get(CallDeadlines, { optional: true }),
    tokenLimiter: context.get(TokenRequestLimiter, { optional: true }),
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
  /**
   * Origins connections may use beyond their connectors' own, and development mode. Default:
   * strict (credential payloads can never widen it).
   */
  readonly endpoints?: EndpointPolicyOptions;
  /** Total deadlines of token and API calls (ms). Default 30 s / 60 s. */
  readonly deadlines?: Partial<CallDeadlinesValue>;
  /** Token requests in flight per token endpoint origin, for the whole host. Default 16. */
  readonly tokenRequests?: MemoryTokenRequestLimiterOptions;
}

/**
 * Binds the shared ports once per host (one store, one dispatcher, one clock for every connector):
 * in-memory stores, the system clock, a silent logger, an undici Agent with timeouts, the strict
 * endpoint policy (or `options.endpoints`), call deadlines, one token request limiter, and the
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
    if (!isBound(EndpointPolicy)) bind(EndpointPolicy).toConstantValue(endpointPolicy(options.endpoints));
    if (!isBound(CallDeadlines)) {
      bind(CallDeadlines).toConstantValue(Object.freeze({ ...defaultCallDeadlines, ...options.deadlines }));
    }
    if (!isBound(TokenRequestLimiter)) {
      bind(TokenRequestLimiter).toConstantValue(new MemoryTokenRequestLimiter(options.tokenRequests));
    }
    if (!isBound(ConnectorRegistryId)) bind(ConnectorRegistryId).to(ConnectorRegistry).inTransientScope();
  });
}
