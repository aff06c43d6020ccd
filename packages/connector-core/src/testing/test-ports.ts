import { Container } from 'inversify';
import type { Dispatcher } from 'undici';
import type { ConnectorRuntime } from '../connector/runtime.js';
import {
  CallDeadlines,
  Clock,
  EndpointPolicy,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  TokenRequestLimiter,
  TokenStore,
} from '../connector/service-identifiers.js';
import { createDefaultDispatcher, type DispatcherOptions } from '../http/dispatcher.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../stores/memory-stores.js';
import { ManualClock } from '../support/clock.js';
import { MemoryLogger } from '../support/logger.js';

/** How to build a set of {@link TestPorts}. */
export interface TestPortsOptions<S extends TokenStore = MemoryTokenStore> {
  /** Where the manual clock starts (epoch ms or a Date). Default: `ManualClock`'s, 2026-01-01T00:00Z. */
  readonly start?: number | Date | undefined;
  /** The token store to bind (e.g. one that records writes). Default: a new `MemoryTokenStore`. */
  readonly tokenStore?: S | undefined;
  /**
   * A dispatcher to share between several sets of ports (e.g. one per test file); `close()`
   * leaves it open, its owner closes it. Default: a new dispatcher the ports own.
   */
  readonly dispatcher?: Dispatcher | undefined;
  /** Timeouts of the dispatcher the ports create; ignored when `dispatcher` is given. */
  readonly dispatcherOptions?: DispatcherOptions | undefined;
  /** Uniform [0, 1) for backoff jitter, to make it repeatable. Default: the engine's (`Math.random`). */
  readonly random?: (() => number) | undefined;
  /**
   * The host's endpoint policy. Default: strict, as in production — a test that points a
   * connector at its own hosts (nock hosts, loopback servers) opts in explicitly.
   */
  readonly endpointPolicy?: EndpointPolicy | undefined;
  /** Total call deadlines. Default: the engine's (30 s / 60 s). */
  readonly deadlines?: CallDeadlines | undefined;
  /** Token request limiter. Default: the engine's (16 per origin). */
  readonly tokenLimiter?: TokenRequestLimiter | undefined;
}

/**
 * Every port a connector runs on, in memory and under the test's control, and a container with
 * all of them bound under core's service identifiers (no connector module loaded yet).
 *
 * It is a {@link ConnectorRuntime}: `new OAuthConnector(definition, ports)` runs on it directly.
 */
export interface TestPorts<S extends TokenStore = MemoryTokenStore> extends ConnectorRuntime {
  readonly container: Container;
  readonly tokenStore: S;
  readonly pendingStore: MemoryPendingAuthorizationStore;
  /** Moves only when told to; `sleeps` records every backoff wait. */
  readonly clock: ManualClock;
  /** Every entry the engine logged (`lines()` is what a leak check scans). */
  readonly logger: MemoryLogger;
  readonly dispatcher: Dispatcher;
  /**
   * Closes the dispatcher the ports created, once its in-flight requests end. A shared
   * dispatcher (`options.dispatcher`) is left open. Calling it again is harmless.
   */
  close(): Promise<void>;
}

/**
 * Ports for a test (or a conformance scenario): a {@link ManualClock}, a {@link MemoryLogger},
 * memory token and pending-authorization stores, and an undici dispatcher, bound in a fresh
 * inversify container under {@link Clock}, {@link Logger}, {@link TokenStore},
 * {@link PendingAuthorizationStore} and {@link HttpDispatcher}.
 *
 * It uses no mocking or test library: HTTP is scripted by the caller (e.g. nock, which intercepts
 * the dispatcher's sockets).
 */
export function createTestPorts<S extends TokenStore>(
  options: TestPortsOptions<S> & { readonly tokenStore: S },
): TestPorts<S>;
export function createTestPorts(options?: TestPortsOptions): TestPorts;
export function createTestPorts(options: TestPortsOptions<TokenStore> = {}): TestPorts<TokenStore> {
  return buildTestPorts(options);
}

/** {@link createTestPorts} for any token store (the overloads keep its type); not exported by the index. */
export function buildTestPorts(options: TestPortsOptions<TokenStore>): TestPorts<TokenStore> {
  const clock = new ManualClock(options.start);
  const shared = options.dispatcher;
  const dispatcher = shared ?? createDefaultDispatcher(options.dispatcherOptions);
  let closing: Promise<void> | undefined;
  const ports: TestPorts<TokenStore> = {
    container: new Container(),
    tokenStore: options.tokenStore ?? new MemoryTokenStore(),
    pendingStore: new MemoryPendingAuthorizationStore(clock),
    clock,
    logger: new MemoryLogger(),
    dispatcher,
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.endpointPolicy === undefined ? {} : { endpointPolicy: options.endpointPolicy }),
    ...(options.deadlines === undefined ? {} : { deadlines: options.deadlines }),
    ...(options.tokenLimiter === undefined ? {} : { tokenLimiter: options.tokenLimiter }),
    close: () => (closing ??= shared === undefined ? dispatcher.close() : Promise.resolve()),
  };
  const { container } = ports;
  container.bind(Clock).toConstantValue(ports.clock);
  container.bind(Logger).toConstantValue(ports.logger);
  container.bind(TokenStore).toConstantValue(ports.tokenStore);
  container.bind(PendingAuthorizationStore).toConstantValue(ports.pendingStore);
  container.bind(HttpDispatcher).toConstantValue(ports.dispatcher);
  if (ports.endpointPolicy !== undefined)
    container.bind(EndpointPolicy).toConstantValue(ports.endpointPolicy);
  if (ports.deadlines !== undefined) container.bind(CallDeadlines).toConstantValue(ports.deadlines);
  if (ports.tokenLimiter !== undefined)
    container.bind(TokenRequestLimiter).toConstantValue(ports.tokenLimiter);
  return ports;
}
