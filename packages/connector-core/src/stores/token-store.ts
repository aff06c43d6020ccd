import type { ConnectionRecord } from './connection-record.js';

export interface LockOptions {
  readonly signal?: AbortSignal | undefined;
  /** How long the lock is held at most before it lapses (a crashed holder). Default 30 s. */
  readonly ttlMs?: number | undefined;
  /** How long to wait for the lock before failing with `ERR_STORE_FAILURE`. Default 30 s. */
  readonly waitMs?: number | undefined;
}

/**
 * Where connection records (tokens, status, deadlines) live. The engine's only persistence port:
 * in-memory, encrypted file and Redis implementations fit behind it.
 *
 * `withLock` is what makes a refresh happen once across every process sharing the store: the
 * engine takes the lock, re-reads the record, and refreshes only if nobody did meanwhile. An
 * in-process store may implement it with a mutex; a distributed one with a lease.
 */
export interface TokenStore {
  get(key: string): Promise<ConnectionRecord | undefined>;
  /** Durable when the promise resolves: the engine hands out a rotated token only after this. */
  set(key: string, record: ConnectionRecord): Promise<void>;
  delete(key: string): Promise<void>;
  withLock<T>(key: string, fn: () => Promise<T>, options?: LockOptions): Promise<T>;
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
}
