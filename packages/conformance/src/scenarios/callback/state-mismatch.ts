import { ErrorCode } from '@aic/connector-core';
import { expectCallbackRefused, startOnNewConnection } from '../../kit/callback.js';
import { check, expectTokenRequests } from '../../kit/expect.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';
import { rfc } from '../rules.js';

/** A well-formed state nobody issued: 256 bits in base64url, like a real one. */
export const FORGED_STATE = 'kitForgedState0000000000000000000000000000Zz';

/**
 * The callback's `state` must match a pending authorization of this connection: a forged one, or
 * another connection's, is a CSRF attempt (HP asks for HTTP 401 semantics). Nothing may reach the
 * token endpoint and nothing may be stored.
 */
export const stateMismatch = defineScenario({
  id: 'callback.state-mismatch',
  title: 'A callback with an unknown state is rejected before any token request',
  family: 'callback',
  rule: rfc(6749, '10.12'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const { connection, flow } = await startOnNewConnection(ctx);
    const withState = (state: string): string =>
      flow.callback({ code: ctx.values.authorizationCode(), state });
    await expectCallbackRefused(ctx, connection, withState(FORGED_STATE), 'a callback with a forged state', [
      ErrorCode.StateMismatch,
    ]);

    const other = await startOnNewConnection(ctx);
    await expectCallbackRefused(
      ctx,
      connection,
      withState(other.flow.state),
      "a callback carrying another connection's state",
      [ErrorCode.StateMismatch],
    );
    expectTokenRequests(ctx, 0, 'for callbacks with a mismatched state');
    const status = await ctx.connector.getStatus(connection);
    check(
      status.state === 'not_authorized',
      `after a rejected callback the connection must stay not_authorized; its status is ${status.state}`,
    );
  },
});
