import type { GrantOrigins } from '../stores/connection-record.js';
import type { AccessToken } from '../tokens/token-set.js';

/** A cached access token. */
export interface CacheEntry {
  readonly access: AccessToken;
  /** `access`, already resolved: a cache hit allocates nothing. */
  readonly resolved: Promise<AccessToken>;
  /** When to stop serving it (expiry minus the refresh margin). */
  readonly refreshAt: number;
  /** The origins the grant is bound to: a connection pointing elsewhere gets no hit. */
  readonly origins: GrantOrigins;
  /** Second-chance bit of the CLOCK eviction: set on every hit. */
  used: boolean;
}

/**
 * Access tokens by connection key, bounded: past `capacity`, the least recently used entry goes
 * (CLOCK, an LRU approximation whose hit is a single boolean write: the hot path stays a
 * `Map.get`). An evicted connection is simply read from the store again on its next call.
 */
export class TokenCache {
  readonly capacity: number;
  readonly #entries = new Map<string, CacheEntry>();

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  /** The entry, if it is still fresh at `now` and bound to `origins`. */
  hit(key: string, now: number, origins: GrantOrigins): CacheEntry | undefined {
    const entry = this.#entries.get(key);
    if (
      entry === undefined ||
      now >= entry.refreshAt ||
      entry.origins.apiBase !== origins.apiBase ||
      entry.origins.token !== origins.token
    ) {
      return undefined;
    }
    entry.used = true;
    return entry;
  }

  set(key: string, entry: CacheEntry): void {
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
      const [key, entry] = this.#entries.entries().next().value as [string, CacheEntry];
      this.#entries.delete(key);
      if (!entry.used) return;
      entry.used = false;
      this.#entries.set(key, entry);
    }
  }
}
