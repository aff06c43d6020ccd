import type { ServiceIdentifier } from 'inversify';
import type { Dispatcher } from 'undici';
import type { Clock as ClockPort } from '../support/clock.js';
import type { Logger as LoggerPort } from '../support/logger.js';
import type {
  PendingAuthorizationStore as PendingAuthorizationStorePort,
  TokenStore as TokenStorePort,
} from '../stores/token-store.js';
import type { Connector as ConnectorContract } from './contract.js';
import type { CallDeadlines as CallDeadlinesValue } from '../http/deadline.js';
import type { TokenRequestLimiter as TokenRequestLimiterPort } from '../http/token-limiter.js';
import type { EndpointPolicy as EndpointPolicyValue } from '../oauth/endpoint-policy.js';

/*
 * Service identifiers: a `Symbol.for` key and a type of the same name (inversify's convention).
 * `Symbol.for` means a connector package that bundles its own copy of connector-core still binds
 * under the identifiers the host resolves.
 */

/** Every connector, multi-bound: `container.getAll(Connector)`. */
export type Connector = ConnectorContract;
export const Connector: ServiceIdentifier<Connector> = Symbol.for('@aic/connector-core/Connector');

/** The token store shared by all connectors of a host. */
export type TokenStore = TokenStorePort;
export const TokenStore: ServiceIdentifier<TokenStore> = Symbol.for('@aic/connector-core/TokenStore');

/** Pending authorizations (state digest, PKCE verifier, redirect URI). */
export type PendingAuthorizationStore = PendingAuthorizationStorePort;
export const PendingAuthorizationStore: ServiceIdentifier<PendingAuthorizationStore> = Symbol.for(
  '@aic/connector-core/PendingAuthorizationStore',
);

export type Clock = ClockPort;
export const Clock: ServiceIdentifier<Clock> = Symbol.for('@aic/connector-core/Clock');

export type Logger = LoggerPort;
export const Logger: ServiceIdentifier<Logger> = Symbol.for('@aic/connector-core/Logger');

/** The undici Dispatcher every OAuth and API call goes through. */
export type HttpDispatcher = Dispatcher;
export const HttpDispatcher: ServiceIdentifier<HttpDispatcher> = Symbol.for(
  '@aic/connector-core/HttpDispatcher',
);

/**
 * The origins connections may use beyond their connector's own (sandbox hosts, proxies, test
 * servers) and whether development mode allows loopback and private addresses. Unbound: strict.
 */
export type EndpointPolicy = EndpointPolicyValue;
export const EndpointPolicy: ServiceIdentifier<EndpointPolicy> = Symbol.for(
  '@aic/connector-core/EndpointPolicy',
);

/** Total deadlines of token and API calls. Unbound: 30 s / 60 s. */
export type CallDeadlines = CallDeadlinesValue;
export const CallDeadlines: ServiceIdentifier<CallDeadlines> = Symbol.for(
  '@aic/connector-core/CallDeadlines',
);

/** Bounds concurrent token requests per token endpoint origin, for every connector of the host. */
export type TokenRequestLimiter = TokenRequestLimiterPort;
export const TokenRequestLimiter: ServiceIdentifier<TokenRequestLimiter> = Symbol.for(
  '@aic/connector-core/TokenRequestLimiter',
);
