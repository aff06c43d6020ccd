import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { ManualClock } from '../support/clock.js';
import {
  TRANSIENT_STATUSES,
  defaultRetryPolicy,
  parseRetryAfter,
  withRetry,
  type RetryPolicy,
} from './retry.js';
import { TransportError, type HttpResponse } from './send.js';

const T0 = Date.UTC(2026, 5, 1);
const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 10_000 };
const response = (status: number, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers,
  body: Buffer.alloc(0),
});
const reset = (): TransportError =>
  new TransportError(ErrorCode.ProviderUnavailable, text('r', 'reset'), {
    cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
  });

/** An attempt function answering from a script, counting calls. */
function script(...steps: (HttpResponse | Error)[]): {
  attempt: () => Promise<HttpResponse>;
  calls: () => number;
} {
  let n = 0;
  return {
    attempt: () => {
      const step = steps[Math.min(n++, steps.length - 1)]!;
      return step instanceof Error ? Promise.reject(step) : Promise.resolve(step);
    },
    calls: () => n,
  };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('resolved');
}

describe('withRetry: capped, jittered exponential backoff', () => {
  it('returns the first non-transient response without sleeping', async () => {
    const clock = new ManualClock(T0);
    const s = script(response(400));
    expect((await withRetry(s.attempt, { clock, policy })).status).toBe(400);
    expect(clock.sleeps).toEqual([]);
  });

  it('sleeps random × min(maxDelay, base × 2^(n-1)) between attempts', async () => {
    const clock = new ManualClock(T0);
    const s = script(response(503), response(502), response(500), response(200));
    const retries: unknown[] = [];
    const result = await withRetry(s.attempt, {
      clock,
      policy,
      random: () => 0.999,
      onRetry: (info) => retries.push(info),
    });
    expect(result.status).toBe(200);
    expect(clock.sleeps).toEqual([99, 199, 399]);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 99, status: 503 },
      { attempt: 2, delayMs: 199, status: 502 },
      { attempt: 3, delayMs: 399, status: 500 },
    ]);
  });

  it('caps each delay at maxDelayMs and never exceeds maxAttempts', async () => {
    const clock = new ManualClock(T0);
    const capped: RetryPolicy = { maxAttempts: 6, baseDelayMs: 400, maxDelayMs: 1000, maxElapsedMs: 60_000 };
    const s = script(response(503));
    const error = await failure(withRetry(s.attempt, { clock, policy: capped, random: () => 0.999999 }));
    expect(clock.sleeps).toEqual([399, 799, 999, 999, 999]);
    expect(s.calls()).toBe(6);
    expect(error).toMatchObject({ code: ErrorCode.ProviderUnavailable, status: 503 });
    expect(error.localized).toEqual({
      es: 'El proveedor respondió 503 tras 6 intentos; reintente más tarde.',
      en: 'The provider answered 503 after 6 attempts; try again later.',
    });
  });

  it('stops before a sleep that would pass maxElapsedMs', async () => {
    const clock = new ManualClock(T0);
    const tight: RetryPolicy = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 1000, maxElapsedMs: 2500 };
    const s = script(response(504));
    const error = await failure(withRetry(s.attempt, { clock, policy: tight, random: () => 0.999 }));
    expect(clock.sleeps).toEqual([999, 999]);
    expect(clock.now() - T0).toBeLessThanOrEqual(2500);
    expect(s.calls()).toBe(3);
    expect(error.code).toBe(ErrorCode.ProviderUnavailable);
  });

  it('counts time spent inside attempts against maxElapsedMs', async () => {
    const clock = new ManualClock(T0);
    const slow = async (): Promise<HttpResponse> => {
      clock.advance(2000);
      return response(503);
    };
    const tight: RetryPolicy = { maxAttempts: 10, baseDelayMs: 100, maxDelayMs: 100, maxElapsedMs: 5000 };
    await failure(withRetry(slow, { clock, policy: tight, random: () => 0.5 }));
    // attempt 1 ends at 2 000, attempt 2 at 4 050, attempt 3 at 6 100: no third sleep.
    expect(clock.sleeps).toEqual([50, 50]);
  });

  it('honours Retry-After in seconds as a floor of the delay', async () => {
    const clock = new ManualClock(T0);
    const s = script(response(429, { 'retry-after': '1' }), response(200));
    await withRetry(s.attempt, { clock, policy, random: () => 0 });
    expect(clock.sleeps).toEqual([1000]);
  });

  it('honours Retry-After as an HTTP-date', async () => {
    const clock = new ManualClock(T0);
    const at = new Date(T0 + 800).toUTCString(); // whole seconds: T0 is on a second boundary
    const s = script(response(503, { 'retry-after': at }), response(200));
    await withRetry(s.attempt, { clock, policy, random: () => 0 });
    expect(clock.sleeps).toEqual([0]);
    const later = new Date(T0 + 1000).toUTCString();
    const clock2 = new ManualClock(T0);
    await withRetry(script(response(429, { 'retry-after': later }), response(200)).attempt, {
      clock: clock2,
      policy,
      random: () => 0,
    });
    expect(clock2.sleeps).toEqual([1000]);
  });

  it('fails at once with ERR_RATE_LIMITED when Retry-After exceeds maxDelayMs', async () => {
    const clock = new ManualClock(T0);
    const s = script(response(429, { 'retry-after': '120' }));
    const error = await failure(
      withRetry(s.attempt, { clock, policy, context: { connectorId: 'acme', connectionId: 'c-1' } }),
    );
    expect(error).toMatchObject({ code: ErrorCode.RateLimited, retryAfterMs: 120_000, connectionId: 'c-1' });
    expect(s.calls()).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('gives ERR_RATE_LIMITED with the last Retry-After once the 429 budget is spent', async () => {
    const clock = new ManualClock(T0);
    const s = script(response(429, { 'retry-after': '1' }));
    const error = await failure(withRetry(s.attempt, { clock, policy, random: () => 0 }));
    expect(error).toMatchObject({ code: ErrorCode.RateLimited, retryAfterMs: 1000 });
    expect(clock.sleeps).toEqual([1000, 1000, 1000]);
    expect(s.calls()).toBe(4);
    const bare = await failure(
      withRetry(script(response(429)).attempt, { clock: new ManualClock(T0), policy }),
    );
    expect(bare).toMatchObject({ code: ErrorCode.RateLimited, retryAfterMs: undefined });
  });

  it('retries transport failures (resets, timeouts) and reports the last one as cause', async () => {
    const clock = new ManualClock(T0);
    const s = script(reset(), reset(), response(200));
    expect((await withRetry(s.attempt, { clock, policy, random: () => 0.5 })).status).toBe(200);
    expect(clock.sleeps).toEqual([50, 100]);

    const last = reset();
    const down = script(reset(), reset(), reset(), last);
    const error = await failure(withRetry(down.attempt, { clock: new ManualClock(T0), policy }));
    expect(error).toMatchObject({ code: ErrorCode.ProviderUnavailable, status: undefined });
    expect(error.cause).toBe(last);
    expect(error.message).toBe('The provider did not respond after 4 attempts.');
  });

  it('does not retry other errors', async () => {
    const boom = new ConnectorError(ErrorCode.Aborted, text('a', 'b'));
    const s = script(boom, response(200));
    await expect(withRetry(s.attempt, { clock: new ManualClock(T0), policy })).rejects.toBe(boom);
    expect(s.calls()).toBe(1);
  });

  it('ends a backoff sleep with ERR_ABORTED when the signal aborts', async () => {
    const clock = new ManualClock(T0);
    const controller = new AbortController();
    const attempt = (): Promise<HttpResponse> => {
      controller.abort();
      return Promise.resolve(response(503));
    };
    const error = await failure(withRetry(attempt, { clock, policy, signal: controller.signal }));
    expect(error.code).toBe(ErrorCode.Aborted);
    expect(clock.sleeps).toEqual([]);
  });

  it('uses the documented defaults', async () => {
    expect(defaultRetryPolicy).toEqual({
      maxAttempts: 4,
      baseDelayMs: 200,
      maxDelayMs: 5000,
      maxElapsedMs: 15_000,
    });
    expect([...TRANSIENT_STATUSES].sort()).toEqual([408, 429, 500, 502, 503, 504]);
    const clock = new ManualClock(T0);
    await failure(withRetry(script(response(500)).attempt, { clock, random: () => 0.5 }));
    expect(clock.sleeps).toEqual([100, 200, 400]);
  });
});

describe('parseRetryAfter (RFC 9110 §10.2.3)', () => {
  it.each([
    [undefined, undefined],
    ['0', 0],
    [' 7 ', 7000],
    ['soon', undefined],
    ['-3', undefined],
    [new Date(T0 + 5000).toUTCString(), 5000],
    [new Date(T0 - 5000).toUTCString(), 0],
  ])('%p → %p ms', (value, ms) => expect(parseRetryAfter(value, T0)).toBe(ms));
});
