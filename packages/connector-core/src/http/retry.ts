import type { Clock } from '../support/clock.js';
import type { ErrorContext } from '../errors/connector-error.js';
import { ProviderUnavailableError, RateLimitedError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { abortedError } from '../support/abort.js';
import { headerValue, TransportError, type HttpResponse } from './send.js';

/**
 * Capped, jittered exponential backoff for transient failures (5xx, 429, resets, timeouts).
 * Bounded both in attempts and in total time, so a provider that is down yields a typed error
 * in bounded time instead of a hot loop.
 */
export interface RetryPolicy {
  /** Total attempts including the first. Default 4. */
  readonly maxAttempts: number;
  /** First backoff ceiling (ms); doubles per attempt. Default 200. */
  readonly baseDelayMs: number;
  /** Cap of one backoff (ms). Default 5 000. */
  readonly maxDelayMs: number;
  /**
   * Cap of the whole call, attempts and sleeps together, on the injected clock (ms): a backoff
   * that would end past it is not taken. Default 15 000. Each attempt is itself bounded by the
   * dispatcher's connect, headers and body timeouts.
   */
  readonly maxElapsedMs: number;
}

export const defaultRetryPolicy: RetryPolicy = Object.freeze({
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
  maxElapsedMs: 15_000,
});

/** Statuses worth retrying: the provider may answer differently in a moment. */
export const TRANSIENT_STATUSES: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504]);

/**
 * `Retry-After` (RFC 9110 §10.2.3) in ms: delay-seconds or an HTTP-date. Undefined when absent
 * or unparsable.
 */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date always names its day and month ("Sun, 06 Nov 1994 08:49:37 GMT").
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export interface RetryDeps {
  readonly clock: Clock;
  readonly policy?: RetryPolicy | undefined;
  /** Uniform [0, 1). Default `Math.random`. */
  readonly random?: (() => number) | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly context?: ErrorContext | undefined;
  /**
   * Time left of the call's total deadline (ms): a backoff that would end past it is not taken.
   * Default: no deadline beyond `maxElapsedMs`.
   */
  readonly remainingMs?: (() => number) | undefined;
  /** Called before each backoff sleep (for logging). */
  readonly onRetry?: ((info: { attempt: number; delayMs: number; status?: number }) => void) | undefined;
}

/**
 * Runs `attempt` until it returns a non-transient response, retrying transient statuses and
 * {@link TransportError}s (resets, timeouts) with capped full-jitter exponential backoff: before
 * attempt `n + 1` it sleeps `random() × min(maxDelayMs, baseDelayMs × 2^(n-1))`.
 *
 * `Retry-After` (RFC 9110 §10.2.3, RFC 6585 §4) is a floor of that sleep. A `Retry-After`
 * longer than `maxDelayMs`, or a sleep that would end past `maxElapsedMs`, or `maxAttempts`
 * reached, ends the call at once: `ERR_RATE_LIMITED` ({@link RateLimitedError} with
 * `retryAfterMs`) for a 429, `ERR_PROVIDER_UNAVAILABLE` otherwise. An aborted `signal` during a
 * sleep ends it with `ERR_ABORTED`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 */
export async function withRetry(
  attempt: () => Promise<HttpResponse>,
  deps: RetryDeps,
): Promise<HttpResponse> {
  const policy = deps.policy ?? defaultRetryPolicy;
  const random = deps.random ?? Math.random;
  const context = deps.context ?? {};
  const started = deps.clock.now();
  for (let n = 1; ; n++) {
    let response: HttpResponse | undefined;
    let failure: TransportError | undefined;
    try {
      response = await attempt();
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      failure = error;
    }
    if (response !== undefined && !TRANSIENT_STATUSES.has(response.status)) return response;

    const retryAfter =
      response === undefined
        ? undefined
        : parseRetryAfter(headerValue(response, 'retry-after'), deps.clock.now());
    const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (n - 1));
    const delay = Math.max(Math.floor(random() * ceiling), retryAfter ?? 0);
    const exhausted =
      n >= policy.maxAttempts ||
      deps.clock.now() - started + delay > policy.maxElapsedMs ||
      (deps.remainingMs !== undefined && delay >= deps.remainingMs()) ||
      (retryAfter !== undefined && retryAfter > policy.maxDelayMs);
    if (exhausted) {
      if (response?.status === 429) throw new RateLimitedError(retryAfter, context);
      throw new ProviderUnavailableError(
        response?.status,
        response === undefined
          ? text(
              `El proveedor no responde tras ${n} intentos.`,
              `The provider did not respond after ${n} attempts.`,
            )
          : text(
              `El proveedor respondió ${response.status} tras ${n} intentos; reintente más tarde.`,
              `The provider answered ${response.status} after ${n} attempts; try again later.`,
            ),
        { ...context, cause: failure },
      );
    }
    deps.onRetry?.({
      attempt: n,
      delayMs: delay,
      ...(response === undefined ? {} : { status: response.status }),
    });
    try {
      await deps.clock.sleep(delay, deps.signal);
    } catch (cause) {
      throw abortedError(context, cause);
    }
  }
}
