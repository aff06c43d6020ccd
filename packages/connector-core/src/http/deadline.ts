import { ErrorCode } from '../errors/codes.js';
import { isConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { DeadlineExceededError } from '../errors/errors.js';
import type { LocalizedText } from '../errors/localized.js';

/** Total deadlines of one call (ms): connect, headers and the whole body, across retries. */
export interface CallDeadlines {
  /** A token request (code exchange, refresh, client credentials). Default 30 s. */
  readonly tokenMs: number;
  /** An authorized API call, its retries and its 401 retry included. Default 60 s. */
  readonly apiMs: number;
}

export const defaultCallDeadlines: CallDeadlines = Object.freeze({ tokenMs: 30_000, apiMs: 60_000 });

/** How often pending deadlines are checked (ms): a deadline fires at most this late. */
const TICK_MS = 25;

/**
 * The deadlines of calls in flight, checked by one shared timer instead of a timer per call (a
 * timer per call costs more than the rest of a cached-token request's own work). The timer runs
 * only while some call is in flight, and never keeps the process alive by itself.
 */
class DeadlineWheel {
  readonly #pending = new Set<Deadline>();
  #timer: NodeJS.Timeout | undefined;

  add(deadline: Deadline): void {
    this.#pending.add(deadline);
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => this.#tick(), TICK_MS);
      this.#timer.unref();
    }
  }

  delete(deadline: Deadline): void {
    this.#pending.delete(deadline);
    if (this.#pending.size === 0 && this.#timer !== undefined) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }

  #tick(): void {
    const now = performance.now();
    for (const deadline of this.#pending) {
      if (now >= deadline.end) {
        this.delete(deadline);
        deadline.expire();
      }
    }
  }
}

const wheel = new DeadlineWheel();

/**
 * One call's total deadline joined with the caller's signal: {@link signal} aborts when either
 * fires. Wall-clock time (`performance.now()`), whatever clock the engine is given: a deadline
 * protects real sockets and real locks. It fires within 25 ms after it passes.
 */
export class Deadline {
  readonly ms: number;
  readonly signal: AbortSignal;
  /** `performance.now()` at which it passes. */
  readonly end: number;
  readonly #controller = new AbortController();
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  #expired = false;
  /** Cancel hooks of the requests in flight under this deadline (see {@link onAbort}). */
  #hooks: (() => void)[] | undefined;

  constructor(ms: number, caller?: AbortSignal) {
    this.ms = ms;
    this.end = performance.now() + ms;
    this.signal = this.#controller.signal;
    wheel.add(this);
    this.#caller = caller;
    if (caller !== undefined) {
      if (caller.aborted) {
        this.#controller.abort(caller.reason);
      } else {
        this.#onCallerAbort = () => this.#abort(caller.reason);
        caller.addEventListener('abort', this.#onCallerAbort, { once: true });
      }
    }
  }

  /** True once the deadline passed or the caller cancelled. */
  get aborted(): boolean {
    return this.#controller.signal.aborted;
  }

  /** True once the deadline itself (not the caller) ended the call. */
  get expired(): boolean {
    return this.#expired;
  }

  remainingMs(): number {
    return Math.max(0, this.end - performance.now());
  }

  /** Called by the wheel once the deadline has passed. */
  expire(): void {
    if (this.#controller.signal.aborted) return;
    this.#expired = true;
    this.#abort(new DOMException('The call deadline passed.', 'TimeoutError'));
  }

  /**
   * Calls `hook` when the deadline passes or the caller cancels; returns its removal. A plain
   * function call: cheaper than an `abort` listener per request, which is what lets the hot path
   * cancel a request without passing a signal through undici.
   */
  onAbort(hook: () => void): () => void {
    (this.#hooks ??= []).push(hook);
    return () => {
      const hooks = this.#hooks;
      const at = hooks?.indexOf(hook) ?? -1;
      if (at >= 0) hooks?.splice(at, 1);
    };
  }

  #abort(reason: unknown): void {
    if (this.#controller.signal.aborted) return;
    this.#controller.abort(reason);
    for (const hook of this.#hooks?.splice(0) ?? []) hook();
  }

  dispose(): void {
    wheel.delete(this);
    if (this.#onCallerAbort !== undefined) this.#caller?.removeEventListener('abort', this.#onCallerAbort);
  }
}

/**
 * Runs `call` under a {@link Deadline} of `ms`. When the deadline ends it, the error is
 * `ERR_TIMEOUT` ({@link DeadlineExceededError}, naming `what`); a cancellation by the caller stays
 * `ERR_ABORTED`; any other outcome passes through.
 */
export async function withDeadline<T>(
  ms: number,
  caller: AbortSignal | undefined,
  what: LocalizedText,
  context: ErrorContext,
  call: (deadline: Deadline) => Promise<T>,
): Promise<T> {
  const deadline = new Deadline(ms, caller);
  try {
    return await call(deadline);
  } catch (error) {
    if (deadline.expired && endedByAbort(error)) throw new DeadlineExceededError(what, ms, context);
    throw error;
  } finally {
    deadline.dispose();
  }
}

/** An abort, or a transport failure the abort caused. */
function endedByAbort(error: unknown): boolean {
  return (
    isConnectorError(error) &&
    (error.code === ErrorCode.Aborted || error.code === ErrorCode.ProviderUnavailable)
  );
}
