import { ErrorCode } from '@aic/connector-core';
import { expectCallbackRefused, startOnNewConnection } from '../../kit/callback.js';
import { check, expectTokenRequests } from '../../kit/expect.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';
import { rfc } from '../rules.js';

/**
 * The provider redirects back with `error=access_denied` (RFC 6749 §4.1.2.1): a typed error, no
 * token request, and the pending authorization is closed — a later callback with a code for the
 * same state is refused too.
 */
export const accessDenied = defineScenario({
  id: 'callback.access-denied',
  title: 'error=access_denied becomes a typed error, with no token request, and closes the flow',
  family: 'callback',
  rule: rfc(6749, '4.1.2.1'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const { connection, flow } = await startOnNewConnection(ctx);
    const error = await expectCallbackRefused(
      ctx,
      connection,
      flow.callback({ error: 'access_denied', error_description: 'The user said no', state: flow.state }),
      'a callback with error=access_denied',
      [ErrorCode.AuthorizationDenied],
    );
    const oauthError = (error as { oauthError?: unknown }).oauthError;
    check(
      oauthError === undefined || oauthError === 'access_denied',
      `the error reports the provider error as "${String(oauthError)}", not "access_denied"`,
    );
    await expectCallbackRefused(
      ctx,
      connection,
      flow.callback({ code: ctx.values.authorizationCode(), state: flow.state }),
      'a callback with a code for the state the provider already denied',
      [ErrorCode.StateMismatch, ErrorCode.StateExpired],
    );
    expectTokenRequests(ctx, 0, 'after a denied authorization');
  },
});
