import { createHash } from 'node:crypto';
import type { Clock } from '@aic/connector-core';

/** Caps on authorizations started and not yet completed. */
export interface PendingLimits {
  /** Per browser session. Default 3. */
  readonly perSession: number;
  /** Per connection, across every session (each one is an entry in the connector's pending store). Default 5. */
  readonly perConnection: number;
}

export const defaultPendingLimits: PendingLimits = Object.freeze({ perSession: 3, perConnection: 5 });

/** What a session started: which connection, until when the provider may call back. */
export interface PendingBinding {
  readonly connectionId: string;
  readonly expiresAt: number;
}

export type Admission =
  | { readonly admitted: true }
  | { readonly admitted: false; readonly cap: 'session' | 'connection'; readonly retryAfterMs: number };

const digest = (state: string): string => createHash('sha256').update(state, 'utf8').digest('hex');

/**
 * Binds each started authorization's `state` to the session that started it (server side, by
 * digest: the raw state is not kept), and caps how many may be pending per session and per
 * connection. A callback is only completed for the session holding its state
 * ({@link claim}); any other session's callback is refused before the connector sees it.
 *
 * Entries end at their `expiresAt` (the connector's pending lifetime), when claimed, or — for
 * the per-session view — when the session ends; the per-connection count keeps an ended
 * session's entries until they expire, because the connector's store still holds them.
 */
export class PendingAuthorizations {
  readonly #limits: PendingLimits;
  readonly #clock: Clock;
  /** session id → state digest → binding */
  readonly #bySession = new Map<string, Map<string, PendingBinding>>();
  /** connection id → state digest → expiry */
  readonly #byConnection = new Map<string, Map<string, number>>();

  constructor(limits: PendingLimits, clock: Clock) {
    this.#limits = limits;
    this.#clock = clock;
  }

  #live<V>(entries: Map<string, V> | undefined, expiry: (value: V) => number, now: number): number {
    if (entries === undefined) return 0;
    for (const [key, value] of entries) if (expiry(value) <= now) entries.delete(key);
    return entries.size;
  }

  /** Whether `sessionId` may start one more authorization for `connectionId`. */
  admit(sessionId: string, connectionId: string): Admission {
    const now = this.#clock.now();
    const session = this.#bySession.get(sessionId);
    if (this.#live(session, (b) => b.expiresAt, now) >= this.#limits.perSession) {
      return { admitted: false, cap: 'session', retryAfterMs: earliest(session!, (b) => b.expiresAt) - now };
    }
    const connection = this.#byConnection.get(connectionId);
    if (this.#live(connection, (e) => e, now) >= this.#limits.perConnection) {
      return { admitted: false, cap: 'connection', retryAfterMs: earliest(connection!, (e) => e) - now };
    }
    return { admitted: true };
  }

  /** Records a started authorization (after {@link admit} said yes and the connector started it). */
  bind(sessionId: string, connectionId: string, state: string, expiresAt: number): void {
    const key = digest(state);
    let session = this.#bySession.get(sessionId);
    if (session === undefined) this.#bySession.set(sessionId, (session = new Map()));
    session.set(key, { connectionId, expiresAt });
    let connection = this.#byConnection.get(connectionId);
    if (connection === undefined) this.#byConnection.set(connectionId, (connection = new Map()));
    connection.set(key, expiresAt);
  }

  /**
   * The binding of `state` if `sessionId` started it and it has not expired, removed (single
   * use). `undefined` otherwise, and then nothing is removed: another session's state stays
   * bound to that session.
   */
  claim(sessionId: string | undefined, state: string | null): PendingBinding | undefined {
    if (sessionId === undefined || state === null || state.length === 0) return undefined;
    const session = this.#bySession.get(sessionId);
    const key = digest(state);
    const binding = session?.get(key);
    if (binding === undefined) return undefined;
    session!.delete(key);
    this.#byConnection.get(binding.connectionId)?.delete(key);
    return binding.expiresAt > this.#clock.now() ? binding : undefined;
  }

  /** Forgets a session's bindings (it signed out or expired); their connection entries run out. */
  endSession(sessionId: string): void {
    this.#bySession.delete(sessionId);
  }

  /** Live authorizations pending for a connection (all sessions). */
  pendingFor(connectionId: string): number {
    return this.#live(this.#byConnection.get(connectionId), (e) => e, this.#clock.now());
  }
}

function earliest<V>(entries: Map<string, V>, expiry: (value: V) => number): number {
  let min = Infinity;
  for (const value of entries.values()) min = Math.min(min, expiry(value));
  return min;
}
