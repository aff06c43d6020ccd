import { check, expectResolved, formOf } from '../../kit/expect.js';
import { callProbe, obtainToken, reachExpiry, scriptProbe, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { refreshes } from '../applies.js';

/**
 * A refresh response with a new refresh token rotates it (RFC 6749 §6; OAuth 2.0 Security BCP
 * §4.14): the old one may be dead already. The new one must be durable in the token store before
 * the new access token is first used — otherwise a crash loses the grant — and the next refresh
 * must use it.
 */
export const rotationPersisted = defineScenario({
  id: 'refresh.rotation-persisted',
  title: 'A rotated refresh token is stored before the new access token is used, and used next',
  family: 'refresh',
  rule: {
    source: 'RFC 6749 §6; RFC 9700 §4.14.2',
    url: 'https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2',
  },
  appliesTo: refreshes,
  async run(ctx) {
    const connection = ctx.connection();
    const key = ctx.storeKey(connection);
    const first = tokenBody(ctx, {}, { refreshToken: true });
    await obtainToken(ctx, connection, first);

    await reachExpiry(ctx, connection);
    const rotated = tokenBody(ctx, {}, { refreshToken: true });
    ctx.provider.token().reply(200, rotated);
    scriptProbe(ctx).reply(200, {});
    await expectResolved(ctx, callProbe(ctx, connection), 'an API call that needs a refresh');
    const refresh = ctx.provider.tokenRequests().at(-1);
    check(
      refresh !== undefined && formOf(refresh).get('refresh_token') === first['refresh_token'],
      'the refresh did not use the refresh token issued first',
    );
    const call = ctx.provider.apiRequests().at(-1);
    check(
      call !== undefined && call.headers['authorization'] === `Bearer ${String(rotated['access_token'])}`,
      'the API call after the refresh does not use the new access token',
    );
    const write = ctx.store.firstWriteWithRefreshToken(key, String(rotated['refresh_token']));
    check(write !== undefined, 'the rotated refresh token never reached the token store');
    check(
      write.seq < call.seq,
      'the new access token was sent to the API before the rotated refresh token was stored',
    );

    await reachExpiry(ctx, connection);
    ctx.provider.token().reply(200, tokenBody(ctx, {}, { refreshToken: true }));
    await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'the next refresh');
    const next = ctx.provider.tokenRequests().at(-1);
    check(
      next !== undefined && formOf(next).get('refresh_token') === rotated['refresh_token'],
      'the next refresh did not use the rotated refresh token',
    );
  },
});
