import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';

/**
 * The `ERR_ABORTED` error every cancelled operation ends with, whatever was cancelled (an HTTP
 * call, a backoff sleep, a wait for a lock or for a shared refresh). The signal's reason is kept
 * as `cause` (a `TimeoutError` tells a timeout from a cancellation).
 */
export function abortedError(context: ErrorContext, reason: unknown): ConnectorError {
  return new ConnectorError(
    ErrorCode.Aborted,
    text('La operación fue cancelada.', 'The operation was aborted.'),
    {
      ...context,
      cause: reason,
    },
  );
}

/** Throws `ERR_ABORTED` when `signal` is already aborted (unlike `signal.throwIfAborted()`, typed). */
export function throwIfAborted(signal: AbortSignal | undefined, context: ErrorContext = {}): void {
  if (signal?.aborted === true) throw abortedError(context, signal.reason);
}

/**
 * Races `work` against one caller's `signal`: the caller stops waiting with `ERR_ABORTED`, the work
 * itself goes on (other callers may share it, e.g. a single-flight refresh whose rotated refresh
 * token must still be persisted).
 */
export function abandonOnAbort<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  context: ErrorContext = {},
): Promise<T> {
  if (signal === undefined) return work;
  if (signal.aborted) return Promise.reject(abortedError(context, signal.reason));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(abortedError(context, signal.reason));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
