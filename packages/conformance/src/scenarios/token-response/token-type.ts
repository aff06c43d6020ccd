import { ErrorCode } from '@aic/connector-core';
import { check, expectResolved } from '../../kit/expect.js';
import { expectFirstGrantAccepted, expectFirstGrantFailure } from '../../kit/first-grant.js';
import { callProbe, scriptProbe, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';

/**
 * `token_type` is case-insensitive (RFC 6749 §5.1, §7.1): `Bearer` and `bearer` both work and
 * the API call says `Authorization: Bearer <token>` (RFC 6750 §2.1). An unknown type is refused —
 * the client cannot know how to use it.
 */
export const tokenType = defineScenario({
  id: 'token-response.token-type',
  title: 'token_type Bearer/bearer accepted (header always "Bearer"), unknown types refused',
  family: 'token-response',
  rule: {
    source: 'RFC 6749 §5.1, §7.1; RFC 6750 §2.1',
    url: 'https://www.rfc-editor.org/rfc/rfc6749#section-7.1',
  },
  appliesTo: always,
  async run(ctx) {
    for (const type of ['Bearer', 'bearer']) {
      const connection = ctx.connection();
      const body = tokenBody(ctx, { token_type: type });
      await expectFirstGrantAccepted(ctx, connection, body, `a token response with token_type "${type}"`);
      scriptProbe(ctx).reply(200, {});
      await expectResolved(ctx, callProbe(ctx, connection), `an API call with a "${type}" token`);
      const call = ctx.provider.apiRequests().at(-1);
      check(
        call?.headers['authorization'] === `Bearer ${String(body['access_token'])}`,
        `with token_type "${type}" the API call does not carry "Authorization: Bearer <access_token>"`,
      );
    }
    await expectFirstGrantFailure(
      ctx,
      (token) => token.reply(200, tokenBody(ctx, { token_type: 'kit-unknown-type' })),
      ErrorCode.InvalidProviderResponse,
      'token_type "kit-unknown-type"',
    );
  },
});
