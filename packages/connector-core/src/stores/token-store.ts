import type { ConnectionRecord } from './connection-record.js';

export interface LockOptions<T = unknown> {
  readonly signal?: AbortSignal | undefined;
  /**
   * How long the lock is held at most. The lease lapses then, whether its holder is done, stalled
   * or crashed: it is never renewed past it. Default 30 s.
   */
  readonly ttlMs?: number | undefined;
  /** How long to wait for the lock before failing with `ERR_STORE_FAILURE`. Default 30 s. */
  readonly waitMs?: number | undefined;
  /**
   * Called each time the caller has waited for another holder to release the lock, before it
   * tries to take it: a result other than `undefined` ends `withLock` with that result and the
   * lock is not taken (the other holder already did the work — a refresh, say). Waiters then cost
   * a read, not a lock round trip.
   */
  readonly afterWait?: (() => Promise<T | undefined>) | undefined;
}

/**
 * The lock a {@link TokenStore.withLock} callback holds. It lapses `ttlMs` after it was granted
 * and is never renewed: work that must not outlive it (a token request) checks `remainingMs()`
 * before it starts and stops on `signal`. Writes made after a lapse are still safe, because they
 * are fenced by record version ({@link WriteOptions.ifVersion}).
 */
export interface Lease {
  /** Aborts when the lease lapses or the store knows it lost it. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the lease lapses (0 once it has). */
  remainingMs(): number;
  /**
   * Called once, just before a request that spends the stored grant (a refresh token) is sent,
   * after every wait: a store shared by several processes records the spend, so that if this
   * holder vanishes (crash, stall past its lease) before it writes, the next holder is told
   * instead of sending the same refresh token again. Rejects, and nothing is sent, when the lease
   * is lost (`ERR_STORE_FAILURE`, `lease_lapsed`), when an earlier holder's spend of this grant is
   * still unresolved (`ERR_STORE_FAILURE`), or when it will never be
   * (`ERR_REAUTHORIZATION_REQUIRED`, `refresh_interrupted`). Optional: in-process stores omit it.
   */
  spendGrant?(): Promise<void>;
}

/** Conditions of a write. */
export interface WriteOptions {
  /**
   * Fencing: write only if the stored record's `version` is this one (`'absent'`: only if no
   * record is stored). Otherwise the store changes nothing and throws a
   * `StoreConflictError` (`ERR_STORE_CONFLICT`). Omitted: the write is unconditional.
   */
  readonly ifVersion?: number | 'absent' | undefined;
}

/**
 * Where connection records (tokens, status, deadlines) live. The engine's only persistence port:
 * in-memory, encrypted file and Redis implementations fit behind it.
 *
 * `withLock` is what makes a refresh happen once across every process sharing the store: the
 * engine takes the lock, re-reads the record, and refreshes only if nobody did meanwhile. An
 * in-process store may implement it with a mutex; a distributed one with a lease. Because a
 * lease can lapse under a stalled holder, every write the engine makes under it is fenced on the
 * version it read (`set(key, record, { ifVersion })`): a holder that lost its lease never
 * overwrites a newer record.
 */
export interface TokenStore {
  /** The record with its `version` (set by the store), or `undefined`. */
  get(key: string): Promise<ConnectionRecord | undefined>;
  /**
   * Durable when the promise resolves: the engine hands out a rotated token only after this.
   * The store gives the written record a new `version`, greater than any version the key has had
   * (also across a delete), and ignores the `version` of `record` itself.
   */
  set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void>;
  delete(key: string, options?: WriteOptions): Promise<void>;
  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T>;
}

/** A started authorization waiting for its callback. */
export interface PendingAuthorization {
  readonly connectorId: string;
  readonly connectionId: string;
  /** SHA-256 (hex) of the state, compared in constant time on the callback. */
  readonly stateDigest: string;
  /** PKCE verifier (secret): lives only here, never in a URL. */
  readonly codeVerifier?: string | undefined;
  /** The exact `redirect_uri` sent, reused verbatim in the token request. */
  readonly redirectUri: string;
  readonly createdAt: number;
  readonly expiresAt: number;
}

/**
 * Pending authorizations, keyed by a digest of connector, connection and state. `take` is an
 * atomic read-and-delete: a state is usable once.
 */
export interface PendingAuthorizationStore {
  put(key: string, pending: PendingAuthorization): Promise<void>;
  take(key: string): Promise<PendingAuthorization | undefined>;
  /**
   * Drops every pending authorization of one connection (`disconnect`: a state started before it
   * can never complete after it). Resolves with how many were dropped.
   */
  forgetConnection(connectorId: string, connectionId: string): Promise<number>;
}
