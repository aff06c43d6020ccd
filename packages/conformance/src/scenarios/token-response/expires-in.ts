import { ErrorCode, type ConnectionInput } from '@aic/connector-core';
import type { ScenarioContext } from '../../kit/context.js';
import { check, expectResolved, expectTokenRequests } from '../../kit/expect.js';
import { expectFirstGrantAccepted, expectFirstGrantFailure } from '../../kit/first-grant.js';
import {
  canRenew,
  expectedLifetimeMs,
  inDeclaredUnit,
  standardLifetimeSeconds,
  tokenBody,
} from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

/** Rounding a connector may do (seconds to ms and back). */
const TOLERANCE_MS = 1000;

const rule = rfc(6749, '5.1');

/** Runs the first grant with `expires_in` set to `value` (undefined: absent). */
async function grantWith(
  ctx: ScenarioContext,
  value: unknown,
): Promise<{ connection: ConnectionInput; issuedAt: number }> {
  const connection = ctx.connection();
  const issuedAt = ctx.clock.now();
  await expectFirstGrantAccepted(
    ctx,
    connection,
    tokenBody(ctx, { expires_in: value }),
    `a token response with expires_in ${JSON.stringify(value) ?? 'absent'}`,
  );
  return { connection, issuedAt };
}

/** The access token's expiry as the connector hands it out. */
async function expiryOf(ctx: ScenarioContext, connection: ConnectionInput): Promise<number> {
  return (await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'getAccessToken')).expiresAt;
}

function expectExpiry(actual: number, expected: number, what: string): void {
  check(
    Math.abs(actual - expected) <= TOLERANCE_MS,
    `${what}: the token expires ${(actual - expected) / 1000} s after the moment it should`,
  );
}

/** `expires_in` in the connector's declared unit, capped by its declared maximum. */
export const expiresInUnit = defineScenario({
  id: 'token-response.expires-in-unit',
  title: 'expires_in is read in the declared unit and capped by the declared maximum',
  family: 'token-response',
  rule: rfc(6749, '5.1', '; PROVIDERS.md (HP sends milliseconds)'),
  appliesTo: always,
  async run(ctx) {
    const seconds = standardLifetimeSeconds(ctx.manifest) === 3600 ? 7200 : 1800;
    const value = ctx.manifest.expiry.expiresInUnit === 'milliseconds' ? 1_799_999 : seconds;
    const { connection, issuedAt } = await grantWith(ctx, value);
    const expected = issuedAt + expectedLifetimeMs(ctx.manifest, value);
    const actual = await expiryOf(ctx, connection);
    check(
      Math.abs(actual - expected) <= TOLERANCE_MS,
      `expires_in ${value} (${ctx.manifest.expiry.expiresInUnit}) should expire ${(expected - issuedAt) / 1000} s after issue; the connector says ${(actual - issuedAt) / 1000} s`,
    );
  },
});

/**
 * An `expires_in` far above the declared maximum lifetime (HP's `1799999` read in the wrong unit
 * is 20 days) is capped: the token expires at the declared maximum, never later.
 */
export const maxLifetime = defineScenario({
  id: 'token-response.max-lifetime',
  title: 'An expires_in above the declared maximum lifetime is capped at it',
  family: 'token-response',
  rule: rfc(6749, '5.1', '; PROVIDERS.md (HP: expires_in 1799999)'),
  appliesTo: ({ manifest }) =>
    manifest.expiry.maxLifetimeSeconds !== undefined || 'the connector declares no maximum token lifetime',
  async run(ctx) {
    const cap = ctx.manifest.expiry.maxLifetimeSeconds ?? 0;
    const value = inDeclaredUnit(ctx.manifest, cap * 10);
    const { connection, issuedAt } = await grantWith(ctx, value);
    const actual = await expiryOf(ctx, connection);
    check(
      Math.abs(actual - (issuedAt + cap * 1000)) <= TOLERANCE_MS,
      `expires_in ${value} (${ctx.manifest.expiry.expiresInUnit}) is ten times the declared maximum of ${cap} s: the token must expire ${cap} s after issue; the connector says ${(actual - issuedAt) / 1000} s`,
    );
  },
});

/** A numeric string is a number (some providers quote it). */
export const expiresInString = defineScenario({
  id: 'token-response.expires-in-string',
  title: 'expires_in as a numeric string is read like the number',
  family: 'token-response',
  rule,
  appliesTo: always,
  async run(ctx) {
    const value = inDeclaredUnit(ctx.manifest, standardLifetimeSeconds(ctx.manifest));
    const { connection, issuedAt } = await grantWith(ctx, String(value));
    const actual = await expiryOf(ctx, connection);
    const expected = issuedAt + expectedLifetimeMs(ctx.manifest, value);
    check(
      Math.abs(actual - expected) <= TOLERANCE_MS,
      `expires_in "${value}" should expire ${(expected - issuedAt) / 1000} s after issue; the connector says ${(actual - issuedAt) / 1000} s`,
    );
  },
});

/** `expires_in: 0` is a token that is already expired: it must not be cached as fresh. */
export const expiresInZero = defineScenario({
  id: 'token-response.expires-in-zero',
  title: 'expires_in 0 is accepted as already expired and never served from cache',
  family: 'token-response',
  rule,
  appliesTo: always,
  async run(ctx) {
    const { connection, issuedAt } = await grantWith(ctx, 0);
    const status = await ctx.connector.getStatus(connection);
    if (status.accessTokenExpiresAt !== undefined) {
      expectExpiry(status.accessTokenExpiresAt, issuedAt, 'expires_in 0');
    }
    if (!canRenew(ctx.manifest)) return;
    const before = ctx.provider.tokenRequests().length;
    const renewed = tokenBody(ctx);
    ctx.provider.token().reply(200, renewed);
    const token = await expectResolved(
      ctx,
      ctx.connector.getAccessToken(connection),
      'getAccessToken after expires_in 0',
    );
    expectTokenRequests(ctx, before + 1, 'when the only token has expires_in 0 (one renewal)');
    check(
      token.accessToken === renewed['access_token'],
      'getAccessToken served the token that expired on arrival',
    );
  },
});

/** A negative lifetime is not a lifetime: an invalid response, not a token valid for ever. */
export const expiresInNegative = defineScenario({
  id: 'token-response.expires-in-negative',
  title: 'A negative expires_in is an invalid provider response',
  family: 'token-response',
  rule,
  appliesTo: always,
  async run(ctx) {
    await expectFirstGrantFailure(
      ctx,
      (token) => token.reply(200, tokenBody(ctx, { expires_in: -3600 })),
      ErrorCode.InvalidProviderResponse,
      'expires_in -3600',
    );
    expectTokenRequests(ctx, 1, 'for a negative expires_in (no retry)');
  },
});

/** Absent `expires_in` (it is only RECOMMENDED): the declared default lifetime applies. */
export const expiresInAbsent = defineScenario({
  id: 'token-response.expires-in-absent',
  title: 'Without expires_in the declared default lifetime applies',
  family: 'token-response',
  rule,
  appliesTo: always,
  async run(ctx) {
    const { connection, issuedAt } = await grantWith(ctx, undefined);
    const actual = await expiryOf(ctx, connection);
    const expected = issuedAt + expectedLifetimeMs(ctx.manifest, undefined);
    check(
      Math.abs(actual - expected) <= TOLERANCE_MS,
      `without expires_in the token should live the declared default (${(expected - issuedAt) / 1000} s); the connector says ${(actual - issuedAt) / 1000} s`,
    );
  },
});
