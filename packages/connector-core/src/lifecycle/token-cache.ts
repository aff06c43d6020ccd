import type { GrantOrigins } from '../stores/connection-record.js';
import type { AccessToken } from '../tokens/token-set.js';

/**
 * A cached access token: it is itself the {@link AccessToken} callers get (frozen; the cache's
 * bookkeeping lives in private fields, invisible to `JSON.stringify` and `util.inspect`), so a
 * cached connection costs one object and, once served from the cache, one resolved promise.
 */
export class CachedToken implements AccessToken {
  readonly accessToken: string;
  readonly tokenType = 'Bearer' as const;
  readonly expiresAt: number;
  /** When to stop serving it (expiry minus the refresh margin). */
  readonly #refreshAt: number;
  /** The origins the grant is bound to: a connection pointing elsewhere gets no hit. */
  readonly #origins: GrantOrigins;
  /** Second-chance bit of the CLOCK eviction: set on every hit. */
  #used = false;
  #resolved: Promise<AccessToken> | undefined;

  constructor(accessToken: string, expiresAt: number, refreshAt: number, origins: GrantOrigins) {
    this.accessToken = accessToken;
    this.expiresAt = expiresAt;
    this.#refreshAt = refreshAt;
    this.#origins = origins;
    Object.freeze(this);
  }

  /** This token as an already-resolved promise: a cache hit allocates nothing after the first. */
  get resolved(): Promise<AccessToken> {
    return (this.#resolved ??= Promise.resolve(this));
  }

  /** Fresh at `now` and bound to `origins`. */
  serves(now: number, origins: GrantOrigins): boolean {
    return (
      now < this.#refreshAt &&
      this.#origins.apiBase === origins.apiBase &&
      this.#origins.token === origins.token
    );
  }

  /** Marks a hit (the CLOCK reference bit). */
  touch(): void {
    this.#used = true;
  }

  /** Whether it was hit since the hand last passed, clearing the mark. */
  secondChance(): boolean {
    const used = this.#used;
    this.#used = false;
    return used;
  }

  toJSON(): AccessToken {
    return { accessToken: this.accessToken, tokenType: 'Bearer', expiresAt: this.expiresAt };
  }
}

/**
 * Access tokens by connection key, bounded: past `capacity`, the least recently used entry goes
 * (CLOCK, an LRU approximation whose hit is a single field write: the hot path stays a
 * `Map.get`). An evicted connection is simply read from the store again on its next call.
 */
export class TokenCache {
  readonly capacity: number;
  readonly #entries = new Map<string, CachedToken>();

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** The entry, if it is still fresh at `now` and bound to `origins`. */
  hit(key: string, now: number, origins: GrantOrigins): CachedToken | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined || !entry.serves(now, origins)) return undefined;
    entry.touch();
    return entry;
  }

  set(key: string, entry: CachedToken): void {
    this.#entries.delete(key);
    if (this.#entries.size >= this.capacity) this.#evict();
    this.#entries.set(key, entry);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Drops the oldest entry not used since the hand last passed it. */
  #evict(): void {
    for (;;) {
      const [key, entry] = this.#entries.entries().next().value as [string, CachedToken];
      this.#entries.delete(key);
      if (!entry.secondChance()) return;
      this.#entries.set(key, entry);
    }
  }
}
