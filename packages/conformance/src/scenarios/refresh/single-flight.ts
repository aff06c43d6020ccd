import { check, expectTokenRequests } from '../../kit/expect.js';
import { declaredTokenBody, obtainToken, reachExpiry } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { renewable } from '../applies.js';
import { rfc } from '../rules.js';

const CALLERS = 50;

/**
 * Fifty callers ask for a token at the moment it expired: exactly one renewal reaches the token
 * endpoint and all fifty get its token. Several concurrent refreshes waste quota and, with
 * rotating refresh tokens, invalidate each other.
 */
export const singleFlight = defineScenario({
  id: 'refresh.single-flight',
  title: `${CALLERS} concurrent callers on an expired token cause exactly one token request`,
  family: 'refresh',
  rule: rfc(9700, '4.14.2', ' (rotation makes concurrent refreshes collide)'),
  appliesTo: renewable,
  async run(ctx) {
    const connection = ctx.connection();
    await obtainToken(ctx, connection, declaredTokenBody(ctx));
    await reachExpiry(ctx, connection);
    const fresh = declaredTokenBody(ctx);
    ctx.provider.token().reply(200, fresh);
    for (let i = 1; i < CALLERS; i++) {
      ctx.provider.token().optionally().reply(200, declaredTokenBody(ctx));
    }
    const outcomes = await Promise.allSettled(
      Array.from({ length: CALLERS }, () => ctx.connector.getAccessToken(connection)),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    for (const o of failed) ctx.observed.errors.push(o.reason);
    check(failed.length === 0, `${failed.length} of ${CALLERS} concurrent callers failed`);
    expectTokenRequests(ctx, 2, `for ${CALLERS} concurrent callers (the first token and one renewal)`);
    const tokens = new Set(outcomes.map((o) => (o.status === 'fulfilled' ? o.value.accessToken : '')));
    check(
      tokens.size === 1 && tokens.has(String(fresh['access_token'])),
      `the ${CALLERS} callers got ${tokens.size} different tokens`,
    );
  },
});
