import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { ReauthorizationRequiredError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { abandonOnAbort, abortedError } from '../support/abort.js';
import type { ConnectionRecord } from '../stores/connection-record.js';
import type { TokenStore } from '../stores/token-store.js';
import type { Clock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import { refreshDueAt, type ExpiryPolicy } from '../tokens/expiry-policy.js';
import type { AccessToken, TokenSet } from '../tokens/token-set.js';

/** The connection facts the lifecycle needs. */
export interface ManagedConnection {
  readonly key: string;
  readonly id: string;
  readonly context: ErrorContext;
}

/** The grants the lifecycle may run; each sends one token request (with its own backoff). */
export interface LifecycleGrants<C extends ManagedConnection> {
  readonly refresh?: ((connection: C, refreshToken: string) => Promise<TokenSet>) | undefined;
  readonly clientCredentials?: ((connection: C) => Promise<TokenSet>) | undefined;
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

interface CacheEntry {
  readonly access: AccessToken;
  /** `access`, already resolved: a cache hit allocates nothing. */
  readonly resolved: Promise<AccessToken>;
  readonly refreshAt: number;
}

const LOCK_TTL_MS = 60_000;

/**
 * Token lifecycle of one connector: per-connection cache, single-flight refresh, the store lock
 * that makes a refresh happen once across processes, rotation persisted before use, and the
 * reauthorization-required state.
 *
 * Hot path: a cache hit is one `Map.get` and one clock read, and returns a preallocated object.
 */
export class TokenManager<C extends ManagedConnection> {
  readonly #cache = new Map<string, CacheEntry>();
  readonly #inflight = new Map<string, Promise<CacheEntry>>();
  /** Rotated grants whose save failed, per connection key (see `#saveUnsaved`). */
  readonly #unsaved = new Map<string, ConnectionRecord>();
  readonly #store: TokenStore;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #policy: ExpiryPolicy;
  readonly #grants: LifecycleGrants<C>;

  constructor(deps: {
    store: TokenStore;
    clock: Clock;
    logger: Logger;
    policy: ExpiryPolicy;
    grants: LifecycleGrants<C>;
  }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#logger = deps.logger;
    this.#policy = deps.policy;
    this.#grants = deps.grants;
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
      const hit = this.#cache.get(connection.key);
      if (hit !== undefined && this.#clock.now() < hit.refreshAt) return hit.resolved;
    }
    const rejected = options.rejectedAccessToken;
    const joinedOther = this.#inflight.has(connection.key);
    let flight = this.#join(connection, options);
    if (rejected !== undefined && joinedOther) {
      // The flight we joined was started for another reason and may hand back the very token the
      // API just rejected: then this caller's forced refresh still has to happen.
      flight = flight.then((entry) =>
        entry.access.accessToken === rejected ? this.#join(connection, options) : entry,
      );
    }
    return abandonOnAbort(flight, signal, connection.context).then((entry) => entry.access);
  }

  #join(connection: C, options: ObtainOptions): Promise<CacheEntry> {
    let shared = this.#inflight.get(connection.key);
    if (shared === undefined) {
      shared = this.#obtain(connection, options).finally(() => this.#inflight.delete(connection.key));
      this.#inflight.set(connection.key, shared);
    }
    return shared;
  }

  /**
   * Stores tokens from a completed authorization (under the lock), clearing any
   * reauthorization-required state.
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
        };
        await this.#store.set(connection.key, record);
        this.#unsaved.delete(connection.key); // a new grant supersedes an unsaved older one
        this.#remember(connection, tokens);
        return record;
      },
      { ttlMs: LOCK_TTL_MS },
    );
  }

  /** Forgets the connection's tokens, here and in the store. */
  async forget(connection: C): Promise<void> {
    this.#cache.delete(connection.key);
    this.#unsaved.delete(connection.key);
    await this.#store.withLock(connection.key, () => this.#store.delete(connection.key), {
      ttlMs: LOCK_TTL_MS,
    });
  }

  #remember(connection: C, tokens: TokenSet): CacheEntry {
    const access: AccessToken = Object.freeze({
      accessToken: tokens.accessToken,
      tokenType: 'Bearer',
      expiresAt: tokens.expiresAt,
    });
    const entry: CacheEntry = {
      access,
      resolved: Promise.resolve(access),
      refreshAt: refreshDueAt(tokens, this.#policy),
    };
    this.#cache.set(connection.key, entry);
    return entry;
  }

  #obtain(connection: C, options: ObtainOptions): Promise<CacheEntry> {
    return this.#store.withLock(connection.key, () => this.#obtainLocked(connection, options), {
      ttlMs: LOCK_TTL_MS,
    });
  }

  async #obtainLocked(connection: C, options: ObtainOptions): Promise<CacheEntry> {
    await this.#saveUnsaved(connection);
    const record = await this.#store.get(connection.key);
    const now = this.#clock.now();
    if (record?.status === 'reauthorization_required') {
      this.#cache.delete(connection.key);
      throw this.#reauthorization(connection, record.reauthorizationReason ?? 'invalid_grant');
    }
    const current = record?.tokens;
    if (current !== undefined && now < refreshDueAt(current, this.#policy)) {
      const usable =
        options.force !== true ||
        (options.rejectedAccessToken !== undefined && current.accessToken !== options.rejectedAccessToken);
      if (usable) return this.#remember(connection, current);
    }

    const grants = this.#grants;
    const refreshToken =
      current?.refreshToken ?? (record === undefined ? grants.importedRefreshToken?.(connection) : undefined);
    const deadlinePassed = record?.refreshTokenDeadline !== undefined && now >= record.refreshTokenDeadline;
    let next: TokenSet;
    if (refreshToken !== undefined && grants.refresh !== undefined && !deadlinePassed) {
      try {
        next = await grants.refresh(connection, refreshToken);
      } catch (error) {
        if (grants.clientCredentials !== undefined && canFallBack(error)) {
          this.#logger.log('info', 'refresh failed; falling back to client credentials', {
            connectorId: connection.context.connectorId,
            connectionId: connection.id,
            code: (error as ConnectorError).code,
          });
          next = await grants.clientCredentials(connection);
        } else if (error instanceof ReauthorizationRequiredError) {
          return this.#requireReauthorization(connection, record, error.reason, error);
        } else {
          throw error;
        }
      }
    } else if (grants.clientCredentials !== undefined) {
      // Client credentials re-issue: no refresh token, or one past its absolute lifetime.
      next = await grants.clientCredentials(connection);
    } else if (deadlinePassed && refreshToken !== undefined) {
      return this.#requireReauthorization(connection, record, 'refresh_token_expired');
    } else {
      throw this.#reauthorization(connection, record === undefined ? 'not_authorized' : 'no_refresh_token');
    }

    const rotated = next.refreshToken !== undefined && next.refreshToken !== refreshToken;
    const deadline =
      rotated &&
      this.#policy.refreshTokenAgeFrom === 'issue' &&
      this.#policy.refreshTokenMaxAgeSeconds !== undefined
        ? next.issuedAt + this.#policy.refreshTokenMaxAgeSeconds * 1000
        : record?.refreshTokenDeadline;
    const nextRecord: ConnectionRecord = {
      ...(record ?? {}),
      status: 'active',
      reauthorizationReason: undefined,
      tokens: next,
      refreshTokenDeadline: deadline,
      updatedAt: this.#clock.now(),
    };
    // Persist first: a rotated refresh token must be durable before the access token is used.
    try {
      await this.#store.set(connection.key, nextRecord);
    } catch (error) {
      // The provider may already have retired the old refresh token: keep the new grant in
      // memory and save it before any other token request, instead of spending the old one.
      if (rotated) this.#unsaved.set(connection.key, nextRecord);
      throw error;
    }
    return this.#remember(connection, next);
  }

  /**
   * Saves a rotated grant whose first save failed. Until it succeeds no token request is made
   * for the connection (the store error surfaces to the caller); after it, the normal path finds
   * the saved tokens.
   */
  async #saveUnsaved(connection: C): Promise<void> {
    const unsaved = this.#unsaved.get(connection.key);
    if (unsaved === undefined) return;
    await this.#store.set(connection.key, unsaved);
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
  ): Promise<never> {
    this.#cache.delete(connection.key);
    await this.#store.set(connection.key, {
      ...(record ?? {}),
      status: 'reauthorization_required',
      reauthorizationReason: reason,
      updatedAt: this.#clock.now(),
    });
    this.#logger.log('warn', 'connection needs reauthorization', {
      connectorId: connection.context.connectorId,
      connectionId: connection.id,
      reason,
    });
    throw cause ?? this.#reauthorization(connection, reason);
  }

  #reauthorization(connection: C, reason: string): ReauthorizationRequiredError {
    const why: Record<string, [string, string]> = {
      not_authorized: ['la conexión aún no ha sido autorizada', 'the connection has not been authorized yet'],
      no_refresh_token: [
        'no hay token de actualización para renovar el acceso',
        'there is no refresh token to renew access',
      ],
      refresh_token_expired: [
        'el token de actualización alcanzó su vida máxima y no se puede extender',
        'the refresh token reached its maximum lifetime and cannot be extended',
      ],
      invalid_grant: [
        'el proveedor rechazó el token de actualización',
        'the provider rejected the refresh token',
      ],
    };
    const [es, en] = why[reason] ?? [reason, reason];
    return new ReauthorizationRequiredError(
      reason,
      text(`Se requiere autorizar de nuevo: ${es}.`, `Reauthorization required: ${en}.`),
      connection.context,
    );
  }
}

/** A failed refresh may fall back to client credentials unless the provider is down or the caller gave up. */
function canFallBack(error: unknown): boolean {
  if (!(error instanceof ConnectorError)) return false;
  return (
    error.code !== ErrorCode.ProviderUnavailable &&
    error.code !== ErrorCode.RateLimited &&
    error.code !== ErrorCode.Aborted
  );
}
