import { Container } from 'inversify';
import {
  Clock,
  HttpDispatcher,
  Logger,
  ManualClock,
  MemoryLogger,
  MemoryPendingAuthorizationStore,
  PendingAuthorizationStore,
  TokenStore,
  createDefaultDispatcher,
  type ConnectorRuntime,
} from '@aic/connector-core';
import type { Sequence } from './sequence.js';
import { KitTokenStore } from './token-store.js';

/**
 * Where the kit's clock starts: a fixed instant, so expiry arithmetic and reports are the same
 * on every run.
 */
export const KIT_EPOCH = Date.UTC(2026, 5, 1, 12, 0, 0);

/**
 * The ports one scenario runs on. It is a {@link ConnectorRuntime}, so a connector factory can
 * pass it straight to a connector constructor; `container` already has every port bound.
 */
export interface KitPorts extends ConnectorRuntime {
  readonly container: Container;
  readonly tokenStore: KitTokenStore;
  readonly pendingStore: MemoryPendingAuthorizationStore;
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  readonly dispatcher: ReturnType<typeof createDefaultDispatcher>;
}

/**
 * A fresh container with the kit's ports bound, before any connector module is loaded:
 * a recording memory token store, a memory pending-authorization store, a manual clock (its
 * `sleeps` measure backoff), a memory logger (scanned for secrets) and a new undici Agent.
 */
export function createKitPorts(sequence: Sequence): KitPorts {
  const clock = new ManualClock(KIT_EPOCH);
  const ports = {
    container: new Container(),
    tokenStore: new KitTokenStore(sequence),
    pendingStore: new MemoryPendingAuthorizationStore(clock),
    clock,
    logger: new MemoryLogger(),
    dispatcher: createDefaultDispatcher({ connectTimeoutMs: 2_000, headersTimeoutMs: 5_000 }),
  };
  const { container } = ports;
  container.bind(TokenStore).toConstantValue(ports.tokenStore);
  container.bind(PendingAuthorizationStore).toConstantValue(ports.pendingStore);
  container.bind(Clock).toConstantValue(clock);
  container.bind(Logger).toConstantValue(ports.logger);
  container.bind(HttpDispatcher).toConstantValue(ports.dispatcher);
  return ports;
}
