import { ErrorCode } from '@aic/connector-core';
import { check, expectRejected, expectResolved, expectTokenRequests } from '../../kit/expect.js';
import { authorize, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCodeWithRefresh, both } from '../applies.js';

const DAY_MS = 86_400_000;

/**
 * A refresh token with an absolute lifetime from the authorization (ABBYY: 30 days, "cannot be
 * extended"): refreshing before the deadline works and does not move it, even when the refresh
 * token rotates; at the deadline the connector requires reauthorization without calling the
 * token endpoint in vain.
 */
export const absoluteDeadline = defineScenario({
  id: 'refresh.absolute-deadline',
  title: 'The refresh token deadline is not extended by refreshing; past it, no token call',
  family: 'refresh',
  rule: { source: 'PROVIDERS.md (ABBYY Vantage: refresh token 30 days, cannot be extended)' },
  appliesTo: both(
    authorizationCodeWithRefresh,
    ({ manifest }) =>
      (manifest.capabilities.refreshTokenDeadline &&
        manifest.expiry.refreshTokenMaxAgeSeconds !== undefined) ||
      'the connector declares no absolute refresh token deadline',
  ),
  async run(ctx) {
    const maxAge = (ctx.manifest.expiry.refreshTokenMaxAgeSeconds ?? 0) * 1000;
    const connection = ctx.connection();
    const authorizedAt = ctx.clock.now();
    await authorize(ctx, connection);
    const deadline = authorizedAt + maxAge;

    ctx.clock.set(deadline - Math.min(DAY_MS, maxAge / 2));
    ctx.provider.token().reply(200, tokenBody(ctx, {}, { refreshToken: true }));
    await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'a refresh before the deadline');
    expectTokenRequests(ctx, 2, 'for the authorization and one refresh before the deadline');
    const status = await ctx.connector.getStatus(connection);
    if (status.reauthorizationRequiredAt !== undefined) {
      check(
        status.reauthorizationRequiredAt === deadline,
        `a refresh moved the reauthorization deadline by ${(status.reauthorizationRequiredAt - deadline) / 1000} s`,
      );
    }

    ctx.clock.set(deadline);
    await expectRejected(ctx, ctx.connector.getAccessToken(connection), 'getAccessToken at the deadline', [
      ErrorCode.ReauthorizationRequired,
    ]);
    expectTokenRequests(ctx, 2, 'at the deadline (no refresh attempt)');
  },
});
