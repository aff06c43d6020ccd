import { randomUUID } from 'node:crypto';
import {
  abortedError,
  slotTimeout,
  type Logger,
  type SlotRequest,
  type TokenRequestLimiter,
  type TokenRequestSlot,
} from '@aic/connector-core';
import { databaseOf, type SqliteTokenStore } from './sqlite-token-store.js';
import type { StoreDatabase } from './store-database.js';

export interface SqliteTokenRequestLimiterOptions {
  /**
   * Token requests in flight per token endpoint origin, for all the processes sharing the store
   * together. Give every process the same value. Default 16.
   */
  readonly concurrency?: number | undefined;
  /**
   * A slot held longer than this is taken back (its process crashed). Must exceed the longest
   * token call (the hosts' `CallDeadlines.tokenMs`, default 30 s). Default 60 s.
   */
  readonly slotTtlMs?: number | undefined;
  /** Pause between two looks for a free slot while this process has waiters (ms, ±50 %). Default 5. */
  readonly pollMs?: number | undefined;
  /**
   * A slot freed here is offered to this process's waiters after a random 0…jitterMs (other
   * processes find it on their next look). Default 2.
   */
  readonly jitterMs?: number | undefined;
  readonly random?: (() => number) | undefined;
  /** Told when a slot could not be given back (it then lapses by its TTL). */
  readonly logger?: Logger | undefined;
}

interface Claimed {
  readonly slot: number;
  readonly owner: string;
}

interface Waiter {
  readonly grant: (claimed: Claimed) => void;
  readonly fail: (error: unknown) => void;
  settled: boolean;
}

interface OriginQueue {
  readonly waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
  polling: boolean;
}

/**
 * A {@link TokenRequestLimiter} shared by every process using one SQLite store: per token endpoint
 * origin, at most `concurrency` rows of `aic_token_slots` are held at a time, whichever process
 * holds them. A process's waiters queue first in, first out; while any waits, the process looks
 * for free slots every `pollMs` and claims as many as it has waiters in one transaction. A slot
 * freed in this process goes to its next waiter after a small random delay, so a synchronized
 * expiry drains as a trickle. A slot whose process died is taken back after `slotTtlMs`.
 */
export class SqliteTokenRequestLimiter implements TokenRequestLimiter {
  readonly concurrency: number;
  readonly #db: StoreDatabase;
  readonly #slotTtlMs: number;
  readonly #pollMs: number;
  readonly #jitterMs: number;
  readonly #random: () => number;
  readonly #logger: Logger | undefined;
  readonly #origins = new Map<string, OriginQueue>();

  constructor(store: SqliteTokenStore, options: SqliteTokenRequestLimiterOptions = {}) {
    this.#db = databaseOf(store);
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 16));
    this.#slotTtlMs = options.slotTtlMs ?? 60_000;
    this.#pollMs = Math.max(1, options.pollMs ?? 5);
    this.#jitterMs = Math.max(0, options.jitterMs ?? 2);
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
  }

  async acquire(origin: string, request: SlotRequest): Promise<TokenRequestSlot> {
    const context = request.context ?? {};
    if (request.signal?.aborted === true) throw abortedError(context, request.signal.reason);
    if (this.waiting(origin) === 0) {
      const [claimed] = await this.#claim(origin, 1);
      if (claimed !== undefined) return this.#slot(origin, claimed);
    }
    return new Promise<TokenRequestSlot>((resolve, reject) => {
      const queue = this.#queue(origin);
      const finish = (outcome: { claimed: Claimed } | { error: unknown }): void => {
        waiter.settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if ('claimed' in outcome) resolve(this.#slot(origin, outcome.claimed));
        else reject(outcome.error as Error);
      };
      const waiter: Waiter = {
        grant: (claimed) => finish({ claimed }),
        fail: (error) => finish({ error }),
        settled: false,
      };
      const onAbort = (): void => finish({ error: abortedError(context, request.signal?.reason) });
      // Not unref'd: a caller waiting for a slot is work in progress.
      const timer = setTimeout(
        () => finish({ error: slotTimeout(request.waitMs, context) }),
        Math.max(0, request.waitMs),
      );
      request.signal?.addEventListener('abort', onAbort, { once: true });
      queue.waiters.push(waiter);
      this.#schedule(origin, queue, this.#pollMs * (0.5 + this.#random()));
    });
  }

  /** Slots this process holds or waits for, per origin (for tests and metrics). */
  waiting(origin: string): number {
    return this.#origins.get(origin)?.waiters.filter((w) => !w.settled).length ?? 0;
  }

  #queue(origin: string): OriginQueue {
    let queue = this.#origins.get(origin);
    if (queue === undefined) {
      queue = { waiters: [], timer: undefined, polling: false };
      this.#origins.set(origin, queue);
    }
    return queue;
  }

  #schedule(origin: string, queue: OriginQueue, delayMs: number): void {
    if (queue.timer !== undefined || queue.polling) return;
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.#poll(origin, queue);
    }, delayMs);
  }

  async #poll(origin: string, queue: OriginQueue): Promise<void> {
    const live = (): Waiter[] => {
      const waiting = queue.waiters.filter((w) => !w.settled);
      queue.waiters.splice(0, queue.waiters.length, ...waiting);
      return waiting;
    };
    const wanted = live().length;
    if (wanted === 0) {
      this.#forget(origin, queue);
      return;
    }
    queue.polling = true;
    try {
      const claimed = await this.#claim(origin, wanted);
      for (const slot of claimed) {
        const waiter = live()[0];
        if (waiter === undefined) void this.#release(origin, slot);
        else waiter.grant(slot);
      }
    } catch (error) {
      for (const waiter of live()) waiter.fail(error);
    } finally {
      queue.polling = false;
    }
    if (live().length > 0) this.#schedule(origin, queue, this.#pollMs * (0.5 + this.#random()));
    else if (queue.timer === undefined) this.#forget(origin, queue);
  }

  #forget(origin: string, queue: OriginQueue): void {
    if (this.#origins.get(origin) === queue) this.#origins.delete(origin);
  }

  /** Claims up to `wanted` free slots of `origin` in one transaction (none: no write at all). */
  async #claim(origin: string, wanted: number): Promise<Claimed[]> {
    const busy = await this.#db.read(
      () =>
        (
          this.#db
            .statement(
              'SELECT count(*) AS n FROM aic_token_slots WHERE origin = ? AND slot < ? AND expires_at > ?',
            )
            .get(origin, this.concurrency, Date.now()) as { n: number }
        ).n,
    );
    if (busy >= this.concurrency) return [];
    return this.#db.write(
      () => {
        const now = Date.now();
        const busy = new Set(
          (
            this.#db
              .statement('SELECT slot FROM aic_token_slots WHERE origin = ? AND expires_at > ?')
              .all(origin, now) as unknown as { slot: number }[]
          ).map((row) => row.slot),
        );
        const claimed: Claimed[] = [];
        for (let slot = 0; slot < this.concurrency && claimed.length < wanted; slot++) {
          if (busy.has(slot)) continue;
          const owner = randomUUID();
          this.#db
            .statement(
              'INSERT INTO aic_token_slots (origin, slot, owner, expires_at) VALUES (?, ?, ?, ?) ' +
                'ON CONFLICT (origin, slot) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at',
            )
            .run(origin, slot, owner, now + this.#slotTtlMs);
          claimed.push({ slot, owner });
        }
        return claimed;
      },
      { durable: false },
    );
  }

  #slot(origin: string, claimed: Claimed): TokenRequestSlot {
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        await this.#release(origin, claimed);
        const queue = this.#origins.get(origin);
        if (queue !== undefined && queue.waiters.some((w) => !w.settled)) {
          // Offer the freed slot here first, after a small random delay (a trickle, not a burst).
          clearTimeout(queue.timer);
          queue.timer = undefined;
          this.#schedule(origin, queue, this.#jitterMs === 0 ? 0 : this.#random() * this.#jitterMs);
        }
      },
    };
  }

  /** Gives a slot back if it is still ours. Never throws: a slot not given back lapses by its TTL. */
  async #release(origin: string, claimed: Claimed): Promise<void> {
    try {
      await this.#db.write(
        () => {
          this.#db
            .statement('DELETE FROM aic_token_slots WHERE origin = ? AND slot = ? AND owner = ?')
            .run(origin, claimed.slot, claimed.owner);
        },
        { durable: false },
      );
    } catch {
      this.#logger?.log('warn', 'could not give back a token request slot; it lapses by its TTL', {
        store: this.#db.path,
        origin,
      });
    }
  }
}
