import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time, injectable so that expiry, backoff and deadlines are testable without waiting.
 * `now()` is epoch milliseconds.
 */
export interface Clock {
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = Object.freeze({
  now: () => Date.now(),
  sleep: async (ms: number, signal?: AbortSignal) => {
    await delay(ms, undefined, signal === undefined ? {} : { signal });
  },
});

/**
 * A clock that only moves when told to; `sleep` advances it instantly. For tests and for the
 * conformance kit, where backoff must be measured, not waited for.
 */
export class ManualClock implements Clock {
  #now: number;
  /** Every sleep requested, in order (ms). */
  readonly sleeps: number[] = [];

  constructor(start: number | Date = Date.UTC(2026, 0, 1)) {
    this.#now = typeof start === 'number' ? start : start.getTime();
  }

  now(): number {
    return this.#now;
  }

  advance(ms: number): void {
    this.#now += ms;
  }

  set(time: number | Date): void {
    this.#now = typeof time === 'number' ? time : time.getTime();
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.sleeps.push(ms);
    this.#now += ms;
    return Promise.resolve();
  }
}
