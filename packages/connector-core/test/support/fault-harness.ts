/**
 * Core's fixture connector pointed at a loopback fault server: real sockets and undici timeouts,
 * a `ManualClock` for backoff (sleeps are recorded, not waited), a `MemoryLogger`, and a
 * connection whose imported refresh token makes the first `getAccessToken` a refresh request.
 */
import type { Dispatcher } from 'undici';
import type { ProviderDefinition } from '../../src/connector/definition.js';
import { OAuthConnector } from '../../src/connector/oauth-connector.js';
import { createDefaultDispatcher, type DispatcherOptions } from '../../src/http/dispatcher.js';
import type { RetryPolicy } from '../../src/http/retry.js';
import { endpointPolicy } from '../../src/oauth/endpoint-policy.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../../src/stores/memory-stores.js';
import type { TokenStore } from '../../src/stores/token-store.js';
import { ManualClock } from '../../src/support/clock.js';
import { MemoryLogger } from '../../src/support/logger.js';
import { fixtureDefinition } from '../../src/__fixtures__/fixture-provider.js';
import { registerSecret } from '../../../../test/secrets.js';

/** The refresh token the fault connections start from (imported through the credentials). */
export const IMPORTED_REFRESH_TOKEN = 'RT-imported-5d0c2b7a';
registerSecret(IMPORTED_REFRESH_TOKEN, 'fault suites imported refresh token');

/** A token endpoint answer; its values are registered with the leak guard. */
export function tokenAnswer(n: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const accessToken = `AT-fault-${n}-b71f`;
  const refreshToken = `RT-fault-${n}-9e2c`;
  registerSecret(accessToken, `fault suites access token ${n}`);
  registerSecret(refreshToken, `fault suites refresh token ${n}`);
  return {
    access_token: accessToken,
    token_type: 'Bearer',
    expires_in: 3600,
    refresh_token: refreshToken,
    ...extra,
  };
}

export interface FaultHarnessOptions {
  /** Undici timeouts (default here: 200 ms headers and body, 1 s connect). */
  readonly dispatcher?: DispatcherOptions;
  /** Backoff policy; `'default'` is core's `defaultRetryPolicy`. Default: the fixture's. */
  readonly retry?: RetryPolicy | 'default';
  /** Backoff jitter source. Default 0.5. */
  readonly random?: () => number;
  readonly store?: TokenStore;
}

export interface FaultHarness {
  readonly connector: OAuthConnector;
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  readonly store: TokenStore;
  readonly connection: { readonly id: string; readonly credentials: Record<string, unknown> };
  /** Backoff sleeps logged by the engine (one per retry). */
  retries(): number;
  close(): Promise<void>;
}

/** A fixture connector whose endpoints live on `origin` (e.g. `http://127.0.0.1:4321`). */
export function faultHarness(origin: string, options: FaultHarnessOptions = {}): FaultHarness {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const logger = new MemoryLogger();
  const store = options.store ?? new MemoryTokenStore();
  const dispatcher: Dispatcher = createDefaultDispatcher({
    headersTimeoutMs: 200,
    bodyTimeoutMs: 200,
    connectTimeoutMs: 1000,
    ...options.dispatcher,
  });
  const { retry: _fixtureRetry, ...withoutRetry } = fixtureDefinition;
  const definition = {
    ...(options.retry === 'default' ? withoutRetry : fixtureDefinition),
    ...(options.retry === undefined || options.retry === 'default' ? {} : { retry: options.retry }),
  } as unknown as ProviderDefinition;
  const connector = new OAuthConnector(definition, {
    tokenStore: store,
    pendingStore: new MemoryPendingAuthorizationStore(clock),
    clock,
    logger,
    dispatcher,
    random: options.random ?? (() => 0.5),
    // The fault server listens on loopback: this host opts in to development mode.
    endpointPolicy: endpointPolicy({ development: true }),
  });
  return {
    connector,
    clock,
    logger,
    store,
    connection: {
      id: 'conn-fault',
      credentials: {
        ...fixtureDefinition.sampleCredentials,
        refreshToken: IMPORTED_REFRESH_TOKEN,
        endpoints: {
          authorization: `${origin}/authorize`,
          token: `${origin}/token`,
          apiBase: `${origin}/api`,
        },
      },
    },
    retries: () => logger.entries.filter((e) => e.message.includes('backing off')).length,
    close: () => dispatcher.destroy(),
  };
}
