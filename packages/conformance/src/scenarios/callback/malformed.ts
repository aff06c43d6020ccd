import { ErrorCode } from '@aic/connector-core';
import { expectCallbackRefused, startOnNewConnection } from '../../kit/callback.js';
import { expectTokenRequests } from '../../kit/expect.js';
import { startFlow } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';
import { rfc } from '../rules.js';

/** A callback with state but no code (RFC 6749 §4.1.2: `code` is REQUIRED). */
export const codeMissing = defineScenario({
  id: 'callback.code-missing',
  title: 'A callback without code is rejected before any token request',
  family: 'callback',
  rule: rfc(6749, '4.1.2'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const { connection, flow } = await startOnNewConnection(ctx);
    await expectCallbackRefused(
      ctx,
      connection,
      flow.callback({ state: flow.state }),
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
  rule: rfc(6749, '3.1'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const { connection, flow: first } = await startOnNewConnection(ctx);
    const twoCodes = [ctx.values.authorizationCode(), ctx.values.authorizationCode()];
    await expectCallbackRefused(
      ctx,
      connection,
      first.callback({ code: twoCodes, state: first.state }),
      'a callback with two code parameters',
      [ErrorCode.InvalidCallback],
    );
    const second = await startFlow(ctx, connection);
    await expectCallbackRefused(
      ctx,
      connection,
      second.callback({ code: ctx.values.authorizationCode(), state: [second.state, second.state] }),
      'a callback with the state parameter twice',
      [ErrorCode.InvalidCallback],
    );
    expectTokenRequests(ctx, 0, 'for callbacks with duplicated parameters');
  },
});
