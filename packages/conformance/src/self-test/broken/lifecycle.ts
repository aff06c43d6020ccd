import {
  ErrorCode,
  OAuthConnector,
  isConnectorError,
  timedLease,
  type ApiRequest,
  type Clock,
  type ConnectionInput,
  type ConnectionRecord,
  type Connector,
  type ConnectorRuntime,
  type TokenStore,
} from '@aic/connector-core';
import { DelegatingConnector } from '../delegating-connector.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/** On "reauthorization required" after a 401 it just tries again — twice more. */
class LoopsOn401 extends DelegatingConnector {
  override async request(connection: ConnectionInput, request: ApiRequest) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await super.request(connection, request);
      } catch (error) {
        if (attempt >= 3 || !isConnectorError(error) || error.code !== ErrorCode.ReauthorizationRequired)
          throw error;
      }
    }
  }
}

/**
 * A store wrapper that keeps the refresh token it already had, dropping a rotated one: the
 * connector keeps presenting the first refresh token.
 */
export function droppingRotation(store: TokenStore): TokenStore {
  return {
    get: (key) => store.get(key),
    delete: (key) => store.delete(key),
    withLock: (key, fn, options) => store.withLock(key, fn, options),
    async set(key: string, record: ConnectionRecord) {
      const previous = (await store.get(key))?.tokens?.refreshToken;
      const tokens = record.tokens;
      const kept =
        tokens === undefined || previous === undefined
          ? record
          : { ...record, tokens: { ...tokens, refreshToken: previous } };
      await store.set(key, kept);
    },
  };
}

/** Connectors that each keep their own cache and skip the store lock, used round-robin. */
class NoSingleFlight extends DelegatingConnector {
  readonly #pool: Connector[];
  #next = 0;

  constructor(runtime: ConnectorRuntime) {
    const store = runtime.tokenStore;
    const unlocked: TokenStore = {
      get: (key) => store.get(key),
      set: (key, record, options) => store.set(key, record, options),
      delete: (key, options) => store.delete(key, options),
      withLock: (_key, fn, options) => timedLease(options?.ttlMs, fn),
    };
    const pool = Array.from(
      { length: 8 },
      () => new OAuthConnector(referenceCode, { ...runtime, tokenStore: unlocked }),
    );
    super(pool[0]!);
    this.#pool = pool;
  }

  override getAccessToken(...args: Parameters<Connector['getAccessToken']>) {
    this.#next = (this.#next + 1) % this.#pool.length;
    return this.#pool[this.#next]!.getAccessToken(...args);
  }
}

/** Retries on its own timer that never waits: a hot loop the injected clock never sees. */
const impatient = (clock: Clock): Clock => ({ now: () => clock.now(), sleep: () => Promise.resolve() });

export const loopsOn401: BrokenConnector = {
  name: 'loops-on-401',
  breaks: 'keeps refreshing and retrying an API call that answers 401',
  module: moduleOf((runtime) => new LoopsOn401(new OAuthConnector(referenceCode, runtime))),
  caughtBy: ['refresh.api-401-reauthorization'],
};

export const dropsRotatedRefreshToken: BrokenConnector = {
  name: 'drops-rotated-refresh-token',
  breaks: 'keeps the old refresh token when the provider rotates it',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(referenceCode, { ...runtime, tokenStore: droppingRotation(runtime.tokenStore) }),
  ),
  caughtBy: ['refresh.rotation-persisted'],
};

export const noSingleFlight: BrokenConnector = {
  name: 'no-single-flight',
  breaks: 'lets every concurrent caller refresh an expired token',
  module: moduleOf((runtime) => new NoSingleFlight(runtime)),
  caughtBy: ['refresh.single-flight'],
};

export const retriesWithoutBackoff: BrokenConnector = {
  name: 'retries-without-backoff',
  breaks: 'retries 5xx and 429 at once, without waiting',
  module: moduleOf(
    (runtime) => new OAuthConnector(referenceCode, { ...runtime, clock: impatient(runtime.clock) }),
  ),
  caughtBy: ['refresh.backoff-5xx', 'refresh.retry-after-429', 'refresh.retry-after-date'],
};
