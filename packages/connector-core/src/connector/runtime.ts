import type { Dispatcher } from 'undici';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { PendingAuthorizationStore, TokenStore } from '../stores/token-store.js';

/** The ports a connector runs on, resolved from the container (or given directly in tests). */
export interface ConnectorRuntime {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly dispatcher: Dispatcher;
  /** Uniform [0, 1) for backoff jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}
