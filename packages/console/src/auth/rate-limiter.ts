import type { Clock } from '@aic/connector-core';

/** At most `max` events per `windowMs` for one key (an operator, an address). */
export interface RateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** The answer of {@link RateLimiter.check}: allowed, or when the next event will be. */
export type RateDecision =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterMs: number };

/**
 * A sliding-window limiter: the times of the last `max` events per key, kept in memory. An
 * event is allowed while fewer than `max` happened in the last `windowMs`. Keys are bounded
 * (`maxKeys`): when full, keys whose window has passed are dropped, then the oldest.
 */
export class RateLimiter {
  readonly #limit: RateLimit;
  readonly #clock: Clock;
  readonly #maxKeys: number;
  readonly #events = new Map<string, number[]>();

  constructor(limit: RateLimit, clock: Clock, maxKeys = 10_000) {
    if (!(limit.max >= 1) || !(limit.windowMs > 0))
      throw new RangeError('a rate limit needs max >= 1 and windowMs > 0');
    this.#limit = limit;
    this.#clock = clock;
    this.#maxKeys = maxKeys;
  }

  #recent(key: string, now: number): number[] {
    const times = this.#events.get(key);
    if (times === undefined) return [];
    const since = now - this.#limit.windowMs;
    const recent = times.filter((time) => time > since);
    if (recent.length === 0) this.#events.delete(key);
    else this.#events.set(key, recent);
    return recent;
  }

  /** Whether one more event is allowed now for `key` (nothing is recorded). */
  check(key: string): RateDecision {
    const now = this.#clock.now();
    const recent = this.#recent(key, now);
    if (recent.length < this.#limit.max) return { allowed: true };
    const oldest = recent[recent.length - this.#limit.max]!;
    return { allowed: false, retryAfterMs: Math.max(1, oldest + this.#limit.windowMs - now) };
  }

  /** Records one event for `key`. */
  record(key: string): void {
    const now = this.#clock.now();
    const recent = this.#recent(key, now);
    recent.push(now);
    if (recent.length > this.#limit.max) recent.splice(0, recent.length - this.#limit.max);
    this.#events.delete(key); // re-insert: the map's order is last-use order
    this.#events.set(key, recent);
    if (this.#events.size > this.#maxKeys) this.#evict(now);
  }

  /** Checks and, when allowed, records in one step. */
  take(key: string): RateDecision {
    const decision = this.check(key);
    if (decision.allowed) this.record(key);
    return decision;
  }

  /** Forgets a key (e.g. an operator's failed sign-ins after a success). */
  reset(key: string): void {
    this.#events.delete(key);
  }

  /** Number of keys held (for tests and metrics). */
  get size(): number {
    return this.#events.size;
  }

  #evict(now: number): void {
    for (const key of [...this.#events.keys()]) this.#recent(key, now);
    while (this.#events.size > this.#maxKeys) {
      const oldest = this.#events.keys().next().value as string;
      this.#events.delete(oldest);
    }
  }
}
