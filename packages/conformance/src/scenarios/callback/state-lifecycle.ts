import { ErrorCode } from '@aic/connector-core';
import { expectCallbackRefused, startOnNewConnection } from '../../kit/callback.js';
import { check, expectTokenRequests } from '../../kit/expect.js';
import { authorize } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';
import { rfc } from '../rules.js';

/** The kit's bound on how long a started authorization may wait for its callback. */
export const MAX_PENDING_AGE_MS = 60 * 60 * 1000;

/** A callback without `state` cannot be bound to a request of ours (RFC 6749 §4.1.2, §10.12). */
export const stateMissing = defineScenario({
  id: 'callback.state-missing',
  title: 'A callback without state is rejected before any token request',
  family: 'callback',
  rule: rfc(6749, '10.12'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const { connection, flow } = await startOnNewConnection(ctx);
    await expectCallbackRefused(
      ctx,
      connection,
      flow.callback({ code: ctx.values.authorizationCode() }),
      'a callback without state',
      [ErrorCode.InvalidCallback, ErrorCode.StateMismatch],
    );
    expectTokenRequests(ctx, 0, 'for a callback without state');
  },
});

/** A state is single-use: replaying a completed callback must not exchange the code again. */
export const stateReplayed = defineScenario({
  id: 'callback.state-replayed',
  title: 'Replaying a completed callback is rejected without a second token request',
  family: 'callback',
  rule: rfc(6749, '10.12'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const connection = ctx.connection();
    const { flow, code } = await authorize(ctx, connection);
    const stored = (await ctx.store.get(ctx.storeKey(connection)))?.tokens?.accessToken;
    await expectCallbackRefused(
      ctx,
      connection,
      flow.callback({ code, state: flow.state }),
      'replaying the completed callback',
      [ErrorCode.StateMismatch],
    );
    expectTokenRequests(ctx, 1, 'after a replayed callback (only the first exchange)');
    const after = (await ctx.store.get(ctx.storeKey(connection)))?.tokens?.accessToken;
    check(stored !== undefined && after === stored, 'a replayed callback changed the stored tokens');
  },
});

/** A pending authorization expires: a callback an hour later is refused. */
export const stateExpired = defineScenario({
  id: 'callback.state-expired',
  title: 'A callback arriving after the pending authorization expired is rejected',
  family: 'callback',
  rule: rfc(6819, '5.3.5', ' (bounded lifetime of the request state)'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const { connection, flow } = await startOnNewConnection(ctx);
    ctx.clock.advance(MAX_PENDING_AGE_MS + 1000);
    await expectCallbackRefused(
      ctx,
      connection,
      flow.callback({ code: ctx.values.authorizationCode(), state: flow.state }),
      `a callback ${MAX_PENDING_AGE_MS / 60_000} minutes after the authorization started`,
      [ErrorCode.StateExpired, ErrorCode.StateMismatch],
    );
    expectTokenRequests(ctx, 0, 'for an expired pending authorization');
  },
});
