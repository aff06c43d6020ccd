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

/**
 * One call's total deadline joined with the caller's signal: {@link signal} aborts when either
 * fires. Wall-clock time (`performance.now()`), whatever clock the engine is given: a deadline
 * protects real sockets and real locks.
 */
export class Deadline {
  readonly ms: number;
  readonly signal: AbortSignal;
  readonly #end: number;
  readonly #controller = new AbortController();
  readonly #timer: NodeJS.Timeout;
  readonly #caller: AbortSignal | undefined;
  readonly #onCallerAbort: (() => void) | undefined;
  #expired = false;

  constructor(ms: number, caller?: AbortSignal) {
    this.ms = ms;
    this.#end = performance.now() + ms;
    this.signal = this.#controller.signal;
    this.#timer = setTimeout(() => {
      this.#expired = true;
      this.#controller.abort(new DOMException('The call deadline passed.', 'TimeoutError'));
    }, ms);
    this.#timer.unref();
    this.#caller = caller;
    if (caller !== undefined) {
      if (caller.aborted) {
        this.#controller.abort(caller.reason);
      } else {
        this.#onCallerAbort = () => this.#controller.abort(caller.reason);
        caller.addEventListener('abort', this.#onCallerAbort, { once: true });
      }
    }
  }

  /** True once the deadline itself (not the caller) ended the call. */
  get expired(): boolean {
    return this.#expired;
  }

  remainingMs(): number {
    return Math.max(0, this.#end - performance.now());
  }

  dispose(): void {
    clearTimeout(this.#timer);
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
