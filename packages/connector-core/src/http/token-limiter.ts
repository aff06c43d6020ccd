import type { ErrorContext } from '../errors/connector-error.js';
import { DeadlineExceededError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { abortedError } from '../support/abort.js';

/** A slot for one token request; give it back when the request is over. */
export interface TokenRequestSlot {
  release(): void | Promise<void>;
}

export interface SlotRequest {
  /** How long to wait for a slot: then `ERR_TIMEOUT`. */
  readonly waitMs: number;
  readonly signal?: AbortSignal | undefined;
  readonly context?: ErrorContext | undefined;
}

/**
 * Bounds the token requests in flight per token endpoint origin, so a synchronized expiry of
 * thousands of connections queues instead of flooding the provider. One limiter serves every
 * connector of a host; an implementation shared through a store (Redis, SQLite) bounds several
 * processes together.
 */
export interface TokenRequestLimiter {
  acquire(origin: string, request: SlotRequest): Promise<TokenRequestSlot>;
}

export interface MemoryTokenRequestLimiterOptions {
  /** Token requests in flight per origin. Default 16. */
  readonly concurrency?: number | undefined;
  /** A freed slot goes to the next waiter after a random 0…jitterMs (ms). Default 10. */
  readonly jitterMs?: number | undefined;
  /** Uniform [0, 1). Default `Math.random`. */
  readonly random?: (() => number) | undefined;
}

interface Waiter {
  readonly grant: () => void;
  settled: boolean;
}

interface Origin {
  active: number;
  readonly queue: Waiter[];
}

/** The slot wait's own `ERR_TIMEOUT`, naming what was waited for. */
export function slotTimeout(waitMs: number, context: ErrorContext = {}): DeadlineExceededError {
  return new DeadlineExceededError(
    text('La espera de turno para pedir un token', 'Waiting for a turn to request a token'),
    waitMs,
    context,
  );
}

/**
 * A {@link TokenRequestLimiter} for one process: per origin, at most `concurrency` slots out;
 * further requests wait first in, first out, and a freed slot is handed on after a small random
 * delay so a queue drains as a trickle, not a burst.
 */
export class MemoryTokenRequestLimiter implements TokenRequestLimiter {
  readonly concurrency: number;
  readonly #jitterMs: number;
  readonly #random: () => number;
  readonly #origins = new Map<string, Origin>();

  constructor(options: MemoryTokenRequestLimiterOptions = {}) {
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? 16));
    this.#jitterMs = Math.max(0, options.jitterMs ?? 10);
    this.#random = options.random ?? Math.random;
  }

  acquire(origin: string, request: SlotRequest): Promise<TokenRequestSlot> {
    const context = request.context ?? {};
    if (request.signal?.aborted === true) return Promise.reject(abortedError(context, request.signal.reason));
    let state = this.#origins.get(origin);
    if (state === undefined) {
      state = { active: 0, queue: [] };
      this.#origins.set(origin, state);
    }
    if (state.active < this.concurrency && state.queue.length === 0) {
      state.active += 1;
      return Promise.resolve(this.#slot(origin, state));
    }
    const queued = state;
    return new Promise<TokenRequestSlot>((resolve, reject) => {
      const finish = (error?: Error): void => {
        waiter.settled = true;
        clearTimeout(timer);
        request.signal?.removeEventListener('abort', onAbort);
        if (error === undefined) resolve(this.#slot(origin, queued));
        else reject(error);
      };
      const waiter: Waiter = { grant: () => finish(), settled: false };
      const onAbort = (): void => finish(abortedError(context, request.signal?.reason));
      // Not unref'd: a caller waiting for a slot is work in progress, the process must not exit.
      const timer = setTimeout(
        () => finish(slotTimeout(request.waitMs, context)),
        Math.max(0, request.waitMs),
      );
      request.signal?.addEventListener('abort', onAbort, { once: true });
      queued.queue.push(waiter);
    });
  }

  /** Requests in flight and waiting for `origin` (for tests and metrics). */
  load(origin: string): { active: number; waiting: number } {
    const state = this.#origins.get(origin);
    return { active: state?.active ?? 0, waiting: state?.queue.filter((w) => !w.settled).length ?? 0 };
  }

  #slot(origin: string, state: Origin): TokenRequestSlot {
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        this.#handOn(origin, state);
      },
    };
  }

  /** Gives the freed slot to the next live waiter, after the jitter; or frees it. */
  #handOn(origin: string, state: Origin): void {
    let next = state.queue.shift();
    while (next?.settled === true) next = state.queue.shift();
    if (next === undefined) {
      state.active -= 1;
      if (state.active === 0) this.#origins.delete(origin);
      return;
    }
    const waiter = next;
    const delay = this.#jitterMs === 0 ? 0 : Math.floor(this.#random() * this.#jitterMs);
    setTimeout(() => {
      // The slot stays counted as active meanwhile; a waiter gone by then passes it on again.
      if (waiter.settled) this.#handOn(origin, state);
      else waiter.grant();
    }, delay);
  }
}
