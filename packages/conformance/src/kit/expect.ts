import { types } from 'node:util';
import { AssertionFailure } from '../scenario.js';
import type { ScenarioContext } from './context.js';
import type { RecordedRequest } from './provider-script.js';

/** Fails the scenario. Describe secrets by role, never by value (the runner redacts anyway). */
export function fail(message: string, details: readonly string[] = []): never {
  throw new AssertionFailure(message, details);
}

/** Fails the scenario unless `condition` holds. */
export function check(
  condition: unknown,
  message: string,
  details: readonly string[] = [],
): asserts condition {
  if (!condition) fail(message, details);
}

/** The stable `code` of an error, when it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True for an error from any realm (jest runs test code in its own context, so an error its
 * module loader throws is not an `instanceof Error` here).
 */
export function isErrorLike(value: unknown): value is Error {
  return (
    value instanceof Error ||
    types.isNativeError(value) ||
    (value !== null &&
      typeof value === 'object' &&
      typeof (value as { message?: unknown }).message === 'string' &&
      typeof (value as { name?: unknown }).name === 'string')
  );
}

/** An error in one line: its code (or name) and message. */
export function describeError(error: unknown): string {
  if (isErrorLike(error)) {
    const label = errorCode(error) ?? error.name;
    return error.message.startsWith(`${label}:`) ? error.message : `${label}: ${error.message}`;
  }
  return `non-error value thrown (${typeof error})`;
}

/** Awaits `promise`, failing the scenario (and recording the error) when it rejects. */
export async function expectResolved<T>(ctx: ScenarioContext, promise: Promise<T>, what: string): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof AssertionFailure) throw error;
    ctx.observed.errors.push(error);
    return fail(`${what} failed: ${describeError(error)}`);
  }
}

/**
 * Awaits `promise`, which must reject with a typed error whose `code` is one of `codes`.
 * The error is recorded for hygiene checks and returned.
 */
export async function expectRejected(
  ctx: ScenarioContext,
  promise: Promise<unknown>,
  what: string,
  codes: readonly string[],
): Promise<Error> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    ctx.observed.errors.push(error);
    const code = errorCode(error);
    check(
      error instanceof Error && code !== undefined && codes.includes(code),
      `${what} must fail with ${codes.join(' or ')}; it failed with ${describeError(error)}`,
    );
    return error;
  }
  ctx.observed.outputs.push(outcome);
  return fail(`${what} must fail with ${codes.join(' or ')}; it succeeded`);
}

/** Requests as a short list for failure details: method, URL without query, scripted or not. */
export function describeRequests(requests: readonly RecordedRequest[]): string[] {
  return requests.map(
    (r) =>
      `#${r.seq} ${r.method} ${r.url.origin}${r.url.pathname}${r.scripted ? '' : ' (unscripted)'}` +
      (r.role === 'token' ? ` grant_type=${new URLSearchParams(r.body).get('grant_type') ?? '—'}` : ''),
  );
}

/** Fails unless exactly `expected` of `requests` were made; `what` names one ("token request"). */
function expectCount(
  ctx: ScenarioContext,
  requests: RecordedRequest[],
  what: string,
  expected: number,
  when: string,
): RecordedRequest[] {
  check(
    requests.length === expected,
    `expected exactly ${expected} ${what}${expected === 1 ? '' : 's'} ${when}; the provider received ${requests.length}`,
    describeRequests(ctx.provider.requests),
  );
  return requests;
}

/** Fails unless exactly `expected` token requests were made. */
export function expectTokenRequests(ctx: ScenarioContext, expected: number, when: string): RecordedRequest[] {
  return expectCount(ctx, ctx.provider.tokenRequests(), 'token request', expected, when);
}

/** Fails unless exactly `expected` API requests were made. */
export function expectApiRequests(ctx: ScenarioContext, expected: number, when: string): RecordedRequest[] {
  return expectCount(ctx, ctx.provider.apiRequests(), 'API request', expected, when);
}

/** The form fields of a token request. */
export const formOf = (request: RecordedRequest): URLSearchParams => new URLSearchParams(request.body);

/**
 * Awaits `promise`, which must be refused with one of `codes` before the connector sends any
 * token request (checked first: "it exchanged a forged callback" says more than the error it
 * then got from the unscripted provider).
 */
export async function expectRefusedOffline(
  ctx: ScenarioContext,
  promise: Promise<unknown>,
  what: string,
  codes: readonly string[],
): Promise<Error> {
  const before = ctx.provider.tokenRequests().length;
  const settled = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  await ctx.provider.settle();
  const sent = ctx.provider.tokenRequests().length - before;
  check(
    sent === 0,
    `${what} must be refused before any token request; the connector sent ${sent} token request${sent === 1 ? '' : 's'}`,
    describeRequests(ctx.provider.requests),
  );
  return expectRejected(
    ctx,
    settled.ok ? Promise.resolve(settled.value) : Promise.reject(settled.error as Error),
    what,
    codes,
  );
}
