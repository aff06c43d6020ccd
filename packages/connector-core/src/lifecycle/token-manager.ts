import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { ReauthorizationRequiredError } from '../errors/errors.js';
import { abandonOnAbort, abortedError } from '../support/abort.js';
import type { ConnectionRecord, GrantOrigins } from '../stores/connection-record.js';
import { isStoreConflict } from '../stores/store-failure.js';
import type { Lease, TokenStore } from '../stores/token-store.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import { refreshDueAt, type ExpiryPolicy } from '../tokens/expiry-policy.js';
import type { AccessToken, TokenSet } from '../tokens/token-set.js';
import { reauthorizationError } from './reauthorization.js';
import { CachedToken, TokenCache } from './token-cache.js';

/** The connection facts the lifecycle needs. */
export interface ManagedConnection {
  readonly key: string;
  readonly id: string;
  readonly context: ErrorContext;
  /** The origins this connection points at; a grant from other origins is never sent there. */
  readonly origins: GrantOrigins;
}

/**
 * The grants the lifecycle may run; each sends one token request (with its own backoff and total
 * deadline) under `lease`, and must not start it unless the lease outlives that deadline.
 */
export interface LifecycleGrants<C extends ManagedConnection> {
  readonly refresh?: ((connection: C, refreshToken: string, lease: Lease) => Promise<TokenSet>) | undefined;
  readonly clientCredentials?: ((connection: C, lease: Lease) => Promise<TokenSet>) | undefined;
  /** A refresh token from outside (imported from the credentials), used while nothing is stored. */
  readonly importedRefreshToken?: ((connection: C) => string | undefined) | undefined;
}

export interface ObtainOptions {
  /** Refresh even when the stored token is fresh. */
  readonly force?: boolean | undefined;
  /**
   * The access token the API just rejected (401). If the store already holds a different fresh
   * token (another caller or process refreshed), that one is used and no refresh is made.
   */
  readonly rejectedAccessToken?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface TokenManagerDeps<C extends ManagedConnection> {
  readonly store: TokenStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly policy: ExpiryPolicy;
  readonly grants: LifecycleGrants<C>;
  /** Lifetime of the refresh lock (ms): long enough for a slot wait and a token call's deadline. */
  readonly leaseMs: number;
  /** Access tokens kept in memory. Default 10 000. */
  readonly cacheSize?: number | undefined;
}

/**
 * Token lifecycle of one connector: per-connection cache (bounded, least recently used out),
 * single-flight refresh, the store lock that makes a refresh happen once across processes, fenced
 * writes (a holder whose lease lapsed never overwrites a newer record), rotation persisted before
 * use, grants bound to the origins that issued them, and the reauthorization-required state.
 *
 * Hot path: a cache hit is one `Map.get`, one clock read and two string comparisons, and returns a
 * preallocated promise.
 */
export class TokenManager<C extends ManagedConnection> {
  readonly #cache: TokenCache;
  readonly #inflight = new Map<string, Promise<CachedToken>>();
  /** Rotated grants whose save failed, per connection key (see `#saveUnsaved`). */
  readonly #unsaved = new Map<string, { record: ConnectionRecord; readVersion: number | 'absent' }>();
  readonly #store: TokenStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #policy: ExpiryPolicy;
  readonly #grants: LifecycleGrants<C>;
  readonly #leaseMs: number;

  constructor(deps: TokenManagerDeps<C>) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#policy = deps.policy;
    this.#grants = deps.grants;
    this.#leaseMs = deps.leaseMs;
    this.#cache = new TokenCache(deps.cacheSize ?? 10_000);
  }

  /**
   * A usable access token: cached while fresh (expiry minus margin), otherwise obtained once for
   * all concurrent callers of this connection (single flight). A caller's `signal` only stops
   * that caller waiting: the shared refresh goes on, so a rotated refresh token is still stored.
   */
  getAccessToken(connection: C, options: ObtainOptions = {}): Promise<AccessToken> {
    const signal = options.signal;
    if (signal?.aborted === true) return Promise.reject(abortedError(connection.context, signal.reason));
    if (options.force !== true) {
      const hit = this.#cache.hit(connection.key, this.#clock.now(), connection.origins);
      if (hit !== undefined) return hit.resolved;
    }
    const rejected = options.rejectedAccessToken;
    const joinedOther = this.#inflight.has(connection.key);
    let flight = this.#join(connection, options);
    if (rejected !== undefined && joinedOther) {
      // The flight we joined was started for another reason and may hand back the very token the
      // API just rejected: then this caller's forced refresh still has to happen.
      flight = flight.then((entry) =>
        entry.accessToken === rejected ? this.#join(connection, options) : entry,
      );
    }
    return abandonOnAbort(flight, signal, connection.context);
  }

  #join(connection: C, options: ObtainOptions): Promise<CachedToken> {
    let shared = this.#inflight.get(connection.key);
    if (shared === undefined) {
      shared = this.#obtain(connection, options).finally(() => this.#inflight.delete(connection.key));
      this.#inflight.set(connection.key, shared);
    }
    return shared;
  }

  /**
   * Stores tokens from a completed authorization (under the lock), clearing any
   * reauthorization-required state. A new grant supersedes whatever is stored: unconditional.
   */
  async storeAuthorization(
    connection: C,
    tokens: TokenSet,
    refreshTokenDeadline: number | undefined,
  ): Promise<ConnectionRecord> {
    return this.#store.withLock(
      connection.key,
      async () => {
        const now = this.#clock.now();
        const record: ConnectionRecord = {
          status: 'active',
          tokens,
          authorizedAt: now,
          refreshTokenDeadline,
          updatedAt: now,
          origins: connection.origins,
        };
        await this.#store.set(connection.key, record);
        this.#unsaved.delete(connection.key); // a new grant supersedes an unsaved older one
        this.#remember(connection, tokens);
        return record;
      },
      { ttlMs: this.#leaseMs },
    );
  }

  /** Forgets the tokens of the connection stored under `key`, here and in the store. */
  async forget(key: string): Promise<void> {
    this.#cache.delete(key);
    this.#unsaved.delete(key);
    await this.#store.withLock(key, () => this.#store.delete(key), { ttlMs: this.#leaseMs });
  }

  #remember(connection: C, tokens: TokenSet): CachedToken {
    const entry = new CachedToken(
      tokens.accessToken,
      tokens.expiresAt,
      refreshDueAt(tokens, this.#policy),
      connection.origins,
    );
    this.#cache.set(connection.key, entry);
    return entry;
  }

  /**
   * The stored tokens when they can serve this call as they are: fresh, bound to this connection's
   * origins, and (for a forced refresh after a 401) not the token the API rejected.
   */
  #usable(connection: C, record: ConnectionRecord | undefined, options: ObtainOptions): TokenSet | undefined {
    const current = record?.tokens;
    if (record?.status !== 'active' || current === undefined || !sameOrigins(record, connection))
      return undefined;
    if (this.#clock.now() >= refreshDueAt(current, this.#policy)) return undefined;
    const forced = options.force === true;
    const rejected = options.rejectedAccessToken;
    if (forced && (rejected === undefined || current.accessToken === rejected)) return undefined;
    return current;
  }

  /**
   * Takes the connection's lock and renews under it. A caller that had to wait for another holder
   * (another process refreshing the same connection) re-reads first and uses that holder's tokens
   * without taking the lock at all.
   */
  #obtain(connection: C, options: ObtainOptions): Promise<CachedToken> {
    return this.#store.withLock(connection.key, (lease) => this.#obtainLocked(connection, options, lease), {
      ttlMs: this.#leaseMs,
      afterWait: async () => {
        if (this.#unsaved.has(connection.key)) return undefined;
        const ready = this.#usable(connection, await this.#store.get(connection.key), options);
        return ready === undefined ? undefined : this.#remember(connection, ready);
      },
    });
  }

  async #obtainLocked(connection: C, options: ObtainOptions, lease: Lease): Promise<CachedToken> {
    await this.#saveUnsaved(connection);
    const record = await this.#store.get(connection.key);
    if (record?.status === 'reauthorization_required') {
      this.#cache.delete(connection.key);
      throw reauthorizationError(connection.context, record.reauthorizationReason ?? 'invalid_grant');
    }
    const ready = this.#usable(connection, record, options);
    if (ready !== undefined) return this.#remember(connection, ready);

    const grants = this.#grants;
    const moved = record !== undefined && !sameOrigins(record, connection);
    if (moved && grants.clientCredentials === undefined) {
      // Its refresh token must not go to the new token origin, nor its access token to the new
      // API: a person has to authorize against the new endpoints. The record stays as it is.
      this.#cache.delete(connection.key);
      throw reauthorizationError(connection.context, 'endpoints_changed');
    }
    const current = moved ? undefined : record?.tokens;
    const refreshToken =
      current?.refreshToken ?? (record === undefined ? grants.importedRefreshToken?.(connection) : undefined);
    const deadlinePassed =
      !moved &&
      record?.refreshTokenDeadline !== undefined &&
      this.#clock.now() >= record.refreshTokenDeadline;
    let next: TokenSet;
    if (refreshToken !== undefined && grants.refresh !== undefined && !deadlinePassed) {
      try {
        next = await grants.refresh(connection, refreshToken, lease);
      } catch (error) {
        if (grants.clientCredentials !== undefined && canFallBack(error)) {
          this.#logger.log('info', 'refresh failed; falling back to client credentials', {
            connectorId: connection.context.connectorId,
            connectionId: connection.id,
            code: (error as ConnectorError).code,
          });
          next = await grants.clientCredentials(connection, lease);
        } else if (error instanceof ReauthorizationRequiredError) {
          return this.#requireReauthorization(connection, record, error.reason, error);
        } else {
          throw error;
        }
      }
    } else if (grants.clientCredentials !== undefined) {
      // Client credentials re-issue: no refresh token, one past its absolute lifetime, or a grant
      // from endpoints the connection no longer uses.
      next = await grants.clientCredentials(connection, lease);
    } else if (deadlinePassed && refreshToken !== undefined) {
      return this.#requireReauthorization(connection, record, 'refresh_token_expired');
    } else {
      throw reauthorizationError(
        connection.context,
        record === undefined ? 'not_authorized' : 'no_refresh_token',
      );
    }

    const rotated = next.refreshToken !== undefined && next.refreshToken !== refreshToken;
    const deadline =
      rotated &&
      this.#policy.refreshTokenAgeFrom === 'issue' &&
      this.#policy.refreshTokenMaxAgeSeconds !== undefined
        ? next.issuedAt + this.#policy.refreshTokenMaxAgeSeconds * 1000
        : moved
          ? undefined
          : record?.refreshTokenDeadline;
    const { version: _read, ...kept } = record ?? {};
    const nextRecord: ConnectionRecord = {
      ...kept,
      status: 'active',
      reauthorizationReason: undefined,
      tokens: next,
      refreshTokenDeadline: deadline,
      updatedAt: this.#clock.now(),
      origins: connection.origins,
    };
    const readVersion = record?.version ?? 'absent';
    // Persist first: a rotated refresh token must be durable before the access token is used.
    try {
      await this.#store.set(connection.key, nextRecord, { ifVersion: readVersion });
    } catch (error) {
      if (isStoreConflict(error)) return this.#afterConflict(connection, options.rejectedAccessToken, error);
      // The provider may already have retired the old refresh token: keep the new grant in
      // memory and save it before any other token request, instead of spending the old one.
      if (rotated) this.#unsaved.set(connection.key, { record: nextRecord, readVersion });
      throw error;
    }
    return this.#remember(connection, next);
  }

  /**
   * A fenced write lost: this holder's lease lapsed and another one wrote meanwhile. The newer
   * record wins, whatever this holder obtained or was told; if it serves the call, it is used,
   * otherwise `failure` is thrown.
   */
  async #afterConflict(
    connection: C,
    rejectedAccessToken: string | undefined,
    failure: unknown,
  ): Promise<CachedToken> {
    this.#logger.log('warn', 'the refresh lock lapsed and another holder wrote first; keeping its record', {
      connectorId: connection.context.connectorId,
      connectionId: connection.id,
    });
    const ready = this.#usable(connection, await this.#store.get(connection.key), { rejectedAccessToken });
    if (ready !== undefined) return this.#remember(connection, ready);
    throw failure;
  }

  /**
   * Saves a rotated grant whose first save failed. Until it succeeds no token request is made
   * for the connection (the store error surfaces to the caller); after it, the normal path finds
   * the saved tokens. If another holder wrote meanwhile, its newer record wins.
   */
  async #saveUnsaved(connection: C): Promise<void> {
    const unsaved = this.#unsaved.get(connection.key);
    if (unsaved === undefined) return;
    try {
      await this.#store.set(connection.key, unsaved.record, { ifVersion: unsaved.readVersion });
    } catch (error) {
      if (!isStoreConflict(error)) throw error;
    }
    this.#unsaved.delete(connection.key);
    this.#logger.log('info', 'saved a rotated grant after an earlier store failure', {
      connectorId: connection.context.connectorId,
      connectionId: connection.id,
    });
  }

  async #requireReauthorization(
    connection: C,
    record: ConnectionRecord | undefined,
    reason: string,
    cause?: ReauthorizationRequiredError,
  ): Promise<CachedToken> {
    this.#cache.delete(connection.key);
    const failure = cause ?? reauthorizationError(connection.context, reason);
    const { version: _read, ...kept } = record ?? {};
    try {
      await this.#store.set(
        connection.key,
        {
          ...kept,
          status: 'reauthorization_required',
          reauthorizationReason: reason,
          updatedAt: this.#clock.now(),
        },
        { ifVersion: record?.version ?? 'absent' },
      );
    } catch (error) {
      // A newer record (a new authorization, another holder's refresh) is never marked dead.
      if (isStoreConflict(error)) return this.#afterConflict(connection, undefined, failure);
      throw error;
    }
    this.#logger.log('warn', 'connection needs reauthorization', {
      connectorId: connection.context.connectorId,
      connectionId: connection.id,
      reason,
    });
    throw failure;
  }
}

/** A record without origins (written before grants were bound) counts as bound to this connection. */
function sameOrigins(record: ConnectionRecord, connection: ManagedConnection): boolean {
  const bound = record.origins;
  return (
    bound === undefined ||
    (bound.token === connection.origins.token && bound.apiBase === connection.origins.apiBase)
  );
}

/** A failed refresh may fall back to client credentials unless the provider is down or the caller gave up. */
function canFallBack(error: unknown): boolean {
  if (!(error instanceof ConnectorError)) return false;
  return (
    error.code !== ErrorCode.ProviderUnavailable &&
    error.code !== ErrorCode.RateLimited &&
    error.code !== ErrorCode.Aborted &&
    error.code !== ErrorCode.Timeout &&
    error.code !== ErrorCode.StoreFailure
  );
}
