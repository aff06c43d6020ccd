import { check, expectResolved, formOf } from '../../kit/expect.js';
import { obtainToken, reachExpiry, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { refreshes } from '../applies.js';
import { rfc } from '../rules.js';

/**
 * A refresh response may omit `refresh_token` (RFC 6749 §6: the server MAY issue a new one):
 * the connector keeps the one it has, stores it, and uses it for the next refresh.
 */
export const refreshTokenAbsent = defineScenario({
  id: 'token-response.refresh-token-absent',
  title: 'A refresh response without refresh_token keeps the old refresh token',
  family: 'token-response',
  rule: rfc(6749, '6'),
  appliesTo: refreshes,
  async run(ctx) {
    const connection = ctx.connection();
    const first = tokenBody(ctx, {}, { refreshToken: true });
    const original = String(first['refresh_token']);
    await obtainToken(ctx, connection, first);
    for (let round = 1; round <= 2; round++) {
      await reachExpiry(ctx, connection);
      ctx.provider.token().reply(200, tokenBody(ctx, {}, { refreshToken: false }));
      await expectResolved(ctx, ctx.connector.getAccessToken(connection), `refresh #${round}`);
      const request = ctx.provider.tokenRequests().at(-1);
      check(
        request !== undefined && formOf(request).get('refresh_token') === original,
        `refresh #${round} did not use the refresh token the provider issued first`,
      );
      const stored = (await ctx.store.get(ctx.storeKey(connection)))?.tokens?.refreshToken;
      check(stored === original, `after refresh #${round} the store no longer holds the refresh token`);
    }
  },
});
