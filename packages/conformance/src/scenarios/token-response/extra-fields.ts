import { check, expectResolved } from '../../kit/expect.js';
import { expectFirstGrantAccepted } from '../../kit/first-grant.js';
import { callProbe, scriptProbe, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

/**
 * "The client MUST ignore unrecognized value names in the response" (RFC 6749 §5.1). An
 * `id_token` (OpenID Connect, ABBYY's `openid` scope) is one: it must be tolerated and never
 * used as the access token.
 */
export const extraFields = defineScenario({
  id: 'token-response.extra-fields',
  title: 'id_token and unknown fields are tolerated; the access token stays access_token',
  family: 'token-response',
  rule: rfc(6749, '5.1'),
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    const body = tokenBody(ctx, {
      id_token: ctx.values.idToken(),
      scope: 'kit.read kit.write',
      x_kit_unknown: { nested: [1, 2, { deeper: true }] },
      'ext-expires_in': 'not a number',
      issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
    });
    await expectFirstGrantAccepted(
      ctx,
      connection,
      body,
      'a token response with id_token and unknown fields',
    );
    const token = await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'getAccessToken');
    check(
      token.accessToken === body['access_token'],
      'getAccessToken does not return the access_token of the response',
    );
    scriptProbe(ctx).reply(200, {});
    await expectResolved(ctx, callProbe(ctx, connection), 'an API call');
    check(
      ctx.provider.apiRequests().at(-1)?.headers['authorization'] ===
        `Bearer ${String(body['access_token'])}`,
      'the API call is not authorized with the access_token of the response',
    );
  },
});
