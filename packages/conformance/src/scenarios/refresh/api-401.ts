import { ErrorCode } from '@aic/connector-core';
import {
  check,
  expectApiRequests,
  expectRejected,
  expectResolved,
  expectTokenRequests,
  formOf,
} from '../../kit/expect.js';
import { callProbe, declaredTokenBody, obtainToken, renewalGrant, scriptProbe } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { renewable } from '../applies.js';
import { rfc } from '../rules.js';

const rule = rfc(6750, '3.1', '; PROVIDERS.md (HP: 401 before local expiry)');
const INVALID_TOKEN = {
  'WWW-Authenticate': 'Bearer error="invalid_token", error_description="token revoked"',
};

/**
 * The API rejects a token before its local expiry (HP: a later flow invalidated it). The
 * connector renews once and retries the call once with the new token.
 */
export const api401Rotation = defineScenario({
  id: 'refresh.api-401-rotation',
  title: 'An API 401 before local expiry leads to exactly one renewal and one retry',
  family: 'refresh',
  rule,
  appliesTo: renewable,
  async run(ctx) {
    const connection = ctx.connection();
    const refreshes = ctx.manifest.capabilities.refreshToken;
    const first = declaredTokenBody(ctx);
    await obtainToken(ctx, connection, first);
    scriptProbe(ctx).reply(401, { error: 'invalid_token' }, INVALID_TOKEN);
    scriptProbe(ctx).reply(200, { ok: true });
    const renewed = declaredTokenBody(ctx);
    ctx.provider.token().reply(200, renewed);
    const response = await expectResolved(ctx, callProbe(ctx, connection), 'an API call answered 401 once');
    check(response.status === 200, `the retried call answered ${response.status}, not 200`);
    const [rejected, retried] = expectApiRequests(ctx, 2, 'for one 401 (the call and one retry)');
    const tokens = expectTokenRequests(ctx, 2, 'for one 401 (the first token and one renewal)');
    check(
      rejected?.headers['authorization'] === `Bearer ${String(first['access_token'])}`,
      'the first call did not use the first token',
    );
    check(
      retried?.headers['authorization'] === `Bearer ${String(renewed['access_token'])}`,
      'the retry did not use the renewed token',
    );
    const grant = formOf(tokens[1]!).get('grant_type');
    const expected = renewalGrant(refreshes);
    check(grant === expected, `the renewal used grant_type=${grant ?? '(none)'}, not ${expected}`);
  },
});

/**
 * A second 401 right after a renewal means the grant itself is refused: reauthorization
 * required, and no further calls — a connector that loops here hammers the provider.
 */
export const api401Reauthorization = defineScenario({
  id: 'refresh.api-401-reauthorization',
  title: 'A second API 401 after the renewal is reauthorization-required, with no further calls',
  family: 'refresh',
  rule,
  appliesTo: renewable,
  async run(ctx) {
    const connection = ctx.connection();
    await obtainToken(ctx, connection, declaredTokenBody(ctx));
    scriptProbe(ctx).reply(401, { error: 'invalid_token' }, INVALID_TOKEN);
    scriptProbe(ctx).reply(401, { error: 'invalid_token' }, INVALID_TOKEN);
    ctx.provider.token().reply(200, declaredTokenBody(ctx));
    await expectRejected(ctx, callProbe(ctx, connection), 'an API call answered 401 twice', [
      ErrorCode.ReauthorizationRequired,
    ]);
    expectApiRequests(ctx, 2, 'for two 401s (the call and one retry, nothing more)');
    expectTokenRequests(ctx, 2, 'for two 401s (the first token and one renewal)');
  },
});
