import { ErrorCode } from '@aic/connector-core';
import { expectCallbackRefused } from '../../kit/callback.js';
import {
  check,
  describeRequests,
  expectRejected,
  expectResolved,
  expectTokenRequests,
} from '../../kit/expect.js';
import {
  authorize,
  callProbe,
  declaredTokenBody,
  obtainToken,
  scriptProbe,
  startFlow,
} from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { always, authorizationCode } from '../applies.js';

const rule = {
  source: 'RFC 6819 §5.1.5.3, §5.3.5; DESIGN.md (disconnect forgets the connection)',
  url: 'https://www.rfc-editor.org/rfc/rfc6819#section-5.1.5.3',
};

/**
 * After `disconnect`, nothing of the old grant is used again: the status is "not authorized", the
 * store keeps no token, and the next token or API call neither sends the old access token nor
 * renews with the old refresh token. An authorization code connection must be authorized again
 * (`ERR_REAUTHORIZATION_REQUIRED`, no token request); a client credentials one gets a new token.
 */
export const disconnectForgetsTokens = defineScenario({
  id: 'connection.disconnect-forgets-tokens',
  title: 'disconnect forgets the tokens: none is stored, sent or renewed afterwards',
  family: 'connection',
  rule,
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    const body = declaredTokenBody(ctx);
    await obtainToken(ctx, connection, body);
    const old = { access: String(body['access_token']), refresh: body['refresh_token'] };
    await expectResolved(ctx, ctx.connector.disconnect(connection), 'disconnect');
    const since = ctx.sequence.current;
    const tokenCalls = ctx.provider.tokenRequests().length;

    const status = await expectResolved(
      ctx,
      ctx.connector.getStatus(connection),
      'getStatus after disconnect',
    );
    check(
      status.state === 'not_authorized',
      `after disconnect the connection's state must be not_authorized; it is ${status.state}`,
    );
    const record = await ctx.store.get(ctx.storeKey(connection));
    check(record?.tokens === undefined, 'after disconnect the token store still holds the tokens');

    if (ctx.isAuthorizationCode) {
      await expectRejected(ctx, ctx.connector.getAccessToken(connection), 'getAccessToken after disconnect', [
        ErrorCode.ReauthorizationRequired,
      ]);
      await expectRejected(ctx, callProbe(ctx, connection), 'an API call after disconnect', [
        ErrorCode.ReauthorizationRequired,
      ]);
      expectTokenRequests(ctx, tokenCalls, 'after disconnect (nothing left to renew with)');
    } else {
      const fresh = declaredTokenBody(ctx);
      ctx.provider.token().reply(200, fresh);
      const token = await expectResolved(
        ctx,
        ctx.connector.getAccessToken(connection),
        'getAccessToken after disconnect',
      );
      check(
        token.accessToken !== old.access,
        'getAccessToken after disconnect returned the forgotten access token',
      );
      check(
        token.accessToken === fresh['access_token'],
        'getAccessToken after disconnect did not fetch a new token',
      );
    }
    const reused = ctx.provider.requests.filter(
      (r) =>
        r.seq > since &&
        (r.headers['authorization'] === `Bearer ${old.access}` ||
          (typeof old.refresh === 'string' &&
            new URLSearchParams(r.body).get('refresh_token') === old.refresh)),
    );
    check(
      reused.length === 0,
      `after disconnect the connector still used the old grant (${reused[0]?.headers['authorization'] === `Bearer ${old.access}` ? 'the access token' : 'the refresh token'})`,
      describeRequests(reused),
    );
  },
});

/**
 * `disconnect` also forgets pending authorizations: a person who started an authorization before
 * the connection was disconnected cannot complete it afterwards (the callback is refused before
 * any token request, as a stale state), and a new authorization works.
 */
export const disconnectForgetsPending = defineScenario({
  id: 'connection.disconnect-forgets-pending',
  title: 'disconnect forgets pending authorizations: a flow started before cannot complete after it',
  family: 'connection',
  rule: {
    ...rule,
    source: 'RFC 6749 §10.12; RFC 6819 §5.3.5; DESIGN.md (disconnect forgets the connection)',
  },
  appliesTo: authorizationCode,
  async run(ctx) {
    const connection = ctx.connection();
    const started = await startFlow(ctx, connection);
    await expectResolved(ctx, ctx.connector.disconnect(connection), 'disconnect');
    await expectCallbackRefused(
      ctx,
      connection,
      started.callback({ code: ctx.values.authorizationCode(), state: started.state }),
      'the callback of an authorization started before disconnect',
      [ErrorCode.StateExpired, ErrorCode.StateMismatch],
    );
    const status = await expectResolved(ctx, ctx.connector.getStatus(connection), 'getStatus');
    check(
      status.state === 'not_authorized',
      `after a refused stale callback the connection must stay not_authorized; it is ${status.state}`,
    );
    await authorize(ctx, connection);
    scriptProbe(ctx).reply(200, { ok: true });
    await expectResolved(ctx, callProbe(ctx, connection), 'an API call after authorizing again');
  },
});
