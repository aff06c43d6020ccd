import { ErrorCode, type ConnectionInput } from '@aic/connector-core';
import { BACKOFF_BOUNDS } from '../../kit/bounds.js';
import type { ScenarioContext } from '../../kit/context.js';
import { check, expectRejected, expectResolved } from '../../kit/expect.js';
import { declaredTokenBody, obtainToken, reachExpiry } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { renewable } from '../applies.js';

const rule = {
  source: 'RFC 9110 §15.6.4, §10.2.3; RFC 6585 §4',
  url: 'https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3',
};

/** A connection with a token that is due for renewal, and the counts before the renewal. */
async function dueConnection(
  ctx: ScenarioContext,
): Promise<{ connection: ConnectionInput; requests: number; sleeps: number }> {
  const connection = ctx.connection();
  await obtainToken(ctx, connection, declaredTokenBody(ctx));
  await reachExpiry(ctx, connection);
  return { connection, requests: ctx.provider.tokenRequests().length, sleeps: ctx.clock.sleeps.length };
}

/** The renewal attempts and backoff sleeps since `before`, checked against the kit's bounds. */
function measure(ctx: ScenarioContext, before: { requests: number; sleeps: number }) {
  const attempts = ctx.provider.tokenRequests().length - before.requests;
  const sleeps = ctx.clock.sleeps.slice(before.sleeps);
  const total = sleeps.reduce((a, b) => a + b, 0);
  check(
    attempts <= BACKOFF_BOUNDS.maxAttempts,
    `${attempts} attempts for one renewal; the bound is ${BACKOFF_BOUNDS.maxAttempts}`,
  );
  check(
    sleeps.every((ms) => ms >= 0 && ms <= BACKOFF_BOUNDS.maxSleepMs),
    `a backoff sleep of ${Math.max(...sleeps)} ms exceeds the bound of ${BACKOFF_BOUNDS.maxSleepMs} ms`,
  );
  check(
    total <= BACKOFF_BOUNDS.maxTotalSleepMs,
    `backoff slept ${total} ms in total; the bound is ${BACKOFF_BOUNDS.maxTotalSleepMs} ms`,
  );
  return { attempts, sleeps, total };
}

/** Scripts `count` optional extra answers, so a connector may retry up to the bound. */
function optionalRepeats(
  ctx: ScenarioContext,
  count: number,
  reply: (i: ReturnType<ScenarioContext['provider']['token']>) => void,
) {
  for (let i = 0; i < count; i++) reply(ctx.provider.token().optionally());
}

/** 503 then 500 then success: retried after a backoff sleep each time, on the injected clock. */
export const backoff5xx = defineScenario({
  id: 'refresh.backoff-5xx',
  title: 'A 503/500 from the token endpoint is retried with backoff, within bounds',
  family: 'refresh',
  rule,
  appliesTo: renewable,
  async run(ctx) {
    const before = await dueConnection(ctx);
    ctx.provider.token().reply(503, 'Service Unavailable', { 'Content-Type': 'text/plain' });
    ctx.provider.token().reply(500, { error: 'server_error' });
    const fresh = declaredTokenBody(ctx);
    ctx.provider.token().reply(200, fresh);
    const token = await expectResolved(
      ctx,
      ctx.connector.getAccessToken(before.connection),
      'a renewal through 503 and 500',
    );
    const { attempts, sleeps } = measure(ctx, before);
    check(attempts === 3, `expected 3 attempts (503, 500, success); the provider saw ${attempts} attempts`);
    check(
      sleeps.length >= 2,
      `the connector retried without sleeping on the injected clock (${sleeps.length} sleeps for 2 retries)`,
    );
    check(
      token.accessToken === fresh['access_token'],
      'the renewal did not return the token of the successful answer',
    );
  },
});

/** A token endpoint that stays down: the connector gives up in bounded time with a typed error and keeps the grant. */
export const givesUp5xx = defineScenario({
  id: 'refresh.gives-up-5xx',
  title: 'A token endpoint that stays down yields a typed error in bounded time, grant kept',
  family: 'refresh',
  rule,
  appliesTo: renewable,
  async run(ctx) {
    const before = await dueConnection(ctx);
    const record = await ctx.store.get(ctx.storeKey(before.connection));
    ctx.provider.token().reply(503, 'Service Unavailable');
    optionalRepeats(ctx, BACKOFF_BOUNDS.maxAttempts - 1, (i) => i.reply(503, 'Service Unavailable'));
    await expectRejected(
      ctx,
      ctx.connector.getAccessToken(before.connection),
      'a renewal against a token endpoint that stays down',
      [ErrorCode.ProviderUnavailable],
    );
    const { attempts } = measure(ctx, before);
    check(attempts >= 2, 'a 503 was not retried at all');
    const status = await ctx.connector.getStatus(before.connection);
    check(
      status.state !== 'reauthorization_required',
      'a provider outage made the connection require reauthorization',
    );
    const after = await ctx.store.get(ctx.storeKey(before.connection));
    check(
      after?.tokens?.refreshToken === record?.tokens?.refreshToken,
      'a provider outage changed or dropped the stored refresh token',
    );
  },
});

/** 429 with `Retry-After: 2`: the retry waits at least 2 s (RFC 6585 §4, RFC 9110 §10.2.3). */
export const retryAfter429 = defineScenario({
  id: 'refresh.retry-after-429',
  title: 'A 429 with Retry-After is retried no sooner than Retry-After',
  family: 'refresh',
  rule,
  appliesTo: renewable,
  async run(ctx) {
    const before = await dueConnection(ctx);
    ctx.provider.token().reply(429, { error: 'slow_down' }, { 'Retry-After': '2' });
    ctx.provider.token().reply(200, declaredTokenBody(ctx));
    await expectResolved(ctx, ctx.connector.getAccessToken(before.connection), 'a renewal through a 429');
    const { attempts, total } = measure(ctx, before);
    check(attempts === 2, `expected 2 attempts (429, success); the provider saw ${attempts} attempts`);
    check(total >= 2000, `the retry came ${total} ms after the 429; Retry-After asked for 2000 ms`);
  },
});

/** 429 with `Retry-After: 3600`: far beyond any sane budget — fail at once with a typed, actionable error. */
export const rateLimitBudget = defineScenario({
  id: 'refresh.rate-limit-budget',
  title: 'A 429 asking for an hour fails promptly as rate-limited, with the retry-after',
  family: 'refresh',
  rule,
  appliesTo: renewable,
  async run(ctx) {
    const before = await dueConnection(ctx);
    ctx.provider.token().reply(429, { error: 'slow_down' }, { 'Retry-After': '3600' });
    optionalRepeats(ctx, BACKOFF_BOUNDS.maxAttempts - 1, (i) =>
      i.reply(429, { error: 'slow_down' }, { 'Retry-After': '3600' }),
    );
    const error = await expectRejected(
      ctx,
      ctx.connector.getAccessToken(before.connection),
      'a renewal answered 429 Retry-After: 3600',
      [ErrorCode.RateLimited],
    );
    measure(ctx, before);
    const retryAfterMs = (error as { retryAfterMs?: unknown }).retryAfterMs;
    check(
      retryAfterMs === undefined || retryAfterMs === 3_600_000,
      `the rate-limited error reports retryAfterMs ${String(retryAfterMs)}, not 3600000`,
    );
  },
});

/**
 * 429 with `Retry-After` as an HTTP-date (RFC 9110 §10.2.3 allows both forms; proxies and some
 * providers send the date): the retry waits until that date on the injected clock.
 */
export const retryAfterDate = defineScenario({
  id: 'refresh.retry-after-date',
  title: 'A 429 with Retry-After as an HTTP-date is retried no sooner than that date',
  family: 'refresh',
  rule,
  appliesTo: renewable,
  async run(ctx) {
    const before = await dueConnection(ctx);
    const now = ctx.clock.now();
    // An HTTP-date has whole seconds: the first whole second at least 3 s away.
    const at = Math.ceil((now + 3_000) / 1_000) * 1_000;
    const date = new Date(at).toUTCString();
    ctx.provider.token().reply(429, { error: 'slow_down' }, { 'Retry-After': date });
    ctx.provider.token().reply(200, declaredTokenBody(ctx));
    await expectResolved(
      ctx,
      ctx.connector.getAccessToken(before.connection),
      'a renewal through a 429 with an HTTP-date Retry-After',
    );
    const { attempts, total } = measure(ctx, before);
    check(attempts === 2, `expected 2 attempts (429, success); the provider saw ${attempts} attempts`);
    check(
      total >= at - now,
      `the retry came ${total} ms after the 429; Retry-After: ${date} asked for ${at - now} ms`,
    );
  },
});
