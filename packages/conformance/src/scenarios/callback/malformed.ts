import { ErrorCode } from '@aic/connector-core';
import { expectRefusedOffline, expectTokenRequests } from '../../kit/expect.js';
import { startFlow } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';

/** A callback with state but no code (RFC 6749 §4.1.2: `code` is REQUIRED). */
export const codeMissing = defineScenario({
  id: 'callback.code-missing',
  title: 'A callback without code is rejected before any token request',
  family: 'callback',
  rule: { source: 'RFC 6749 §4.1.2', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2' },
  appliesTo: authorizationCode,
  async run(ctx) {
    const connection = ctx.connection();
    const flow = await startFlow(ctx, connection);
    await expectRefusedOffline(
      ctx,
      ctx.connector.completeAuthorization(connection, flow.callback({ state: flow.state })),
      'a callback without code',
      [ErrorCode.InvalidCallback],
    );
    expectTokenRequests(ctx, 0, 'for a callback without code');
  },
});

/**
 * Parameters "MUST NOT be included more than once" (RFC 6749 §3.1): a callback with two codes or
 * two states is ambiguous — which one would be exchanged? — and is refused.
 */
export const duplicatedParameters = defineScenario({
  id: 'callback.duplicated-parameters',
  title: 'A callback with a duplicated code or state is rejected before any token request',
  family: 'callback',
  rule: { source: 'RFC 6749 §3.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-3.1' },
  appliesTo: authorizationCode,
  async run(ctx) {
    const connection = ctx.connection();
    const first = await startFlow(ctx, connection);
    await expectRefusedOffline(
      ctx,
      ctx.connector.completeAuthorization(
        connection,
        first.callback({
          code: [ctx.values.authorizationCode(), ctx.values.authorizationCode()],
          state: first.state,
        }),
      ),
      'a callback with two code parameters',
      [ErrorCode.InvalidCallback],
    );
    const second = await startFlow(ctx, connection);
    await expectRefusedOffline(
      ctx,
      ctx.connector.completeAuthorization(
        connection,
        second.callback({ code: ctx.values.authorizationCode(), state: [second.state, second.state] }),
      ),
      'a callback with the state parameter twice',
      [ErrorCode.InvalidCallback],
    );
    expectTokenRequests(ctx, 0, 'for callbacks with duplicated parameters');
  },
});
