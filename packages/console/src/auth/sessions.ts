import { randomBytes } from 'node:crypto';
import { constantTimeEqual, type Clock, type LocalizedText } from '@aic/connector-core';

/** Someone allowed to use the console. */
export interface Operator {
  /** The name they sign in with (or the trusted proxy's header value). */
  readonly username: string;
  /** How they were authenticated. */
  readonly via: 'password' | 'proxy';
}

/** A one-time notice shown on the next page (post/redirect/get). */
export interface Flash {
  readonly kind: 'ok' | 'error';
  readonly message: LocalizedText;
}

/**
 * A browser's session. Anonymous sessions exist only to carry the sign-in form's CSRF token;
 * signing in replaces the session (new id, new token), so a planted session id is worthless.
 */
export interface Session {
  /** The cookie value: 256 random bits. Never logged. */
  readonly id: string;
  /** Synchronizer token every form of this session carries (OWASP CSRF cheat sheet). */
  readonly csrfToken: string;
  readonly operator: Operator | undefined;
  readonly createdAt: number;
  lastSeenAt: number;
  flash: Flash | undefined;
}

export interface SessionPolicy {
  /** A signed-in session ends after this long without a request. Default 30 min. */
  readonly idleMs: number;
  /** …and this long after sign-in whatever happens. Default 12 h. */
  readonly absoluteMs: number;
  /** An anonymous (sign-in form) session ends after this long. Default 15 min. */
  readonly anonymousMs: number;
  /** Sessions held at most; when full, anonymous ones go first, then the least recently used. Default 10,000. */
  readonly maxSessions: number;
}

export const defaultSessionPolicy: SessionPolicy = Object.freeze({
  idleMs: 30 * 60_000,
  absoluteMs: 12 * 3_600_000,
  anonymousMs: 15 * 60_000,
  maxSessions: 10_000,
});

const token = (): string => randomBytes(32).toString('base64url');

/** Sessions in memory (one process). Expired sessions are refused on read and swept on create. */
export class SessionStore {
  readonly #policy: SessionPolicy;
  readonly #clock: Clock;
  readonly #sessions = new Map<string, Session>();
  readonly #onEnd: (session: Session) => void;

  constructor(policy: SessionPolicy, clock: Clock, onEnd: (session: Session) => void = () => undefined) {
    this.#policy = policy;
    this.#clock = clock;
    this.#onEnd = onEnd;
  }

  #expired(session: Session, now: number): boolean {
    if (session.operator === undefined) return now - session.createdAt >= this.#policy.anonymousMs;
    return (
      now - session.lastSeenAt >= this.#policy.idleMs || now - session.createdAt >= this.#policy.absoluteMs
    );
  }

  /** A new session (anonymous unless `operator` is given). */
  create(operator?: Operator): Session {
    const now = this.#clock.now();
    if (this.#sessions.size >= this.#policy.maxSessions) this.#makeRoom(now);
    const session: Session = {
      id: token(),
      csrfToken: token(),
      operator,
      createdAt: now,
      lastSeenAt: now,
      flash: undefined,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, touched (its idle time restarts); `undefined` if none or expired. */
  get(id: string | undefined): Session | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    const now = this.#clock.now();
    if (this.#expired(session, now)) {
      this.destroy(session);
      return undefined;
    }
    session.lastSeenAt = now;
    // Re-insert: the map's order is least-recently-used first.
    this.#sessions.delete(id);
    this.#sessions.set(id, session);
    return session;
  }

  /** Signs `operator` in: the old session ends, a new one (new id and CSRF token) starts. */
  signIn(previous: Session | undefined, operator: Operator): Session {
    if (previous !== undefined) this.destroy(previous);
    return this.create(operator);
  }

  destroy(session: Session): void {
    if (this.#sessions.delete(session.id)) this.#onEnd(session);
  }

  /** True when `submitted` is this session's CSRF token (constant-time comparison). */
  csrfMatches(session: Session, submitted: string | null | undefined): boolean {
    return (
      typeof submitted === 'string' && submitted.length > 0 && constantTimeEqual(submitted, session.csrfToken)
    );
  }

  get size(): number {
    return this.#sessions.size;
  }

  #makeRoom(now: number): void {
    for (const session of [...this.#sessions.values()]) {
      if (this.#expired(session, now)) this.destroy(session);
    }
    for (const session of [...this.#sessions.values()]) {
      if (this.#sessions.size < this.#policy.maxSessions) return;
      if (session.operator === undefined) this.destroy(session);
    }
    for (const session of [...this.#sessions.values()]) {
      if (this.#sessions.size < this.#policy.maxSessions) return;
      this.destroy(session);
    }
  }
}
