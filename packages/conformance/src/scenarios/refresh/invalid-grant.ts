import { ErrorCode } from '@aic/connector-core';
import {
  check,
  expectApiRequests,
  expectRejected,
  expectResolved,
  expectTokenRequests,
  formOf,
} from '../../kit/expect.js';
import { callProbe, obtainToken, reachExpiry, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCodeWithRefresh, clientCredentialsWithRefresh } from '../applies.js';
import { rfc } from '../rules.js';

const rule = rfc(6749, ['5.2', '6']);

/**
 * `invalid_grant` on refresh means the grant is gone (revoked, expired, superseded): only a
 * person can fix it. The connector records reauthorization-required and never calls the token
 * endpoint again for it — no retry, no loop — until a new authorization.
 */
export const refreshInvalidGrant = defineScenario({
  id: 'refresh.invalid-grant',
  title: 'invalid_grant on refresh: reauthorization required, persisted, no further token calls',
  family: 'refresh',
  rule,
  appliesTo: authorizationCodeWithRefresh,
  async run(ctx) {
    const connection = ctx.connection();
    await obtainToken(ctx, connection);
    await reachExpiry(ctx, connection);
    ctx.provider.token().reply(400, { error: 'invalid_grant', error_description: 'Refresh token revoked' });
    await expectRejected(ctx, ctx.connector.getAccessToken(connection), 'a refresh answered invalid_grant', [
      ErrorCode.ReauthorizationRequired,
    ]);
    await expectRejected(
      ctx,
      ctx.connector.getAccessToken(connection),
      'getAccessToken after invalid_grant',
      [ErrorCode.ReauthorizationRequired],
    );
    await expectRejected(ctx, callProbe(ctx, connection), 'an API call after invalid_grant', [
      ErrorCode.ReauthorizationRequired,
    ]);
    expectTokenRequests(ctx, 2, 'for the exchange and the one refresh answered invalid_grant');
    expectApiRequests(ctx, 0, 'once reauthorization is required');
    const status = await ctx.connector.getStatus(connection);
    check(
      status.state === 'reauthorization_required',
      `after invalid_grant the connection status is ${status.state}, not reauthorization_required`,
    );
  },
});

/**
 * A client credentials connector that got a refresh token: when the refresh fails with
 * `invalid_grant` it requests a new token with its client credentials instead (PROVIDERS.md,
 * LeanCore: never fail because a refresh token is absent or dead).
 */
export const refreshInvalidGrantFallback = defineScenario({
  id: 'refresh.invalid-grant-fallback',
  title: 'Client credentials: invalid_grant on refresh falls back to the client credentials grant',
  family: 'refresh',
  rule: { source: 'RFC 6749 §4.4, §6; PROVIDERS.md (LeanCore)', url: rule.url },
  appliesTo: clientCredentialsWithRefresh,
  async run(ctx) {
    const connection = ctx.connection();
    await obtainToken(ctx, connection, tokenBody(ctx, {}, { refreshToken: true }));
    await reachExpiry(ctx, connection);
    ctx.provider.token().reply(400, { error: 'invalid_grant', error_description: 'Refresh token expired' });
    const fresh = tokenBody(ctx);
    ctx.provider.token().reply(200, fresh);
    const token = await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'getAccessToken');
    const grants = expectTokenRequests(
      ctx,
      3,
      'for the first token, the failed refresh and the fallback',
    ).map((r) => formOf(r).get('grant_type'));
    check(
      grants.join(',') === 'client_credentials,refresh_token,client_credentials',
      `token requests went ${grants.join(' → ')}, not client_credentials → refresh_token → client_credentials`,
    );
    check(token.accessToken === fresh['access_token'], 'getAccessToken did not return the fallback token');
  },
});
