import type { Dispatcher } from 'undici';
import type { CallDeadlines } from '../http/deadline.js';
import type { TokenRequestLimiter } from '../http/token-limiter.js';
import type { EndpointPolicy } from '../oauth/endpoint-policy.js';
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
  /** Origins beyond the connector's own that connections may use. Default: none (strict). */
  readonly endpointPolicy?: EndpointPolicy | undefined;
  /** Total deadlines of token and API calls. Default 30 s / 60 s. */
  readonly deadlines?: CallDeadlines | undefined;
  /** Bounds concurrent token requests per origin. Default: 16 per origin, per connector. */
  readonly tokenLimiter?: TokenRequestLimiter | undefined;
  /** Access tokens kept in memory (least recently used out). Default 10 000. */
  readonly tokenCacheSize?: number | undefined;
}
