import { check, formOf } from '../../kit/expect.js';
import { authorize } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';
import { rfc } from '../rules.js';

/**
 * A redirect URI a careless client normalizes: trailing slash, a query of its own, an encoded
 * slash. It must travel byte for byte.
 */
export const TRICKY_REDIRECT_URI = 'https://aic.conformance.test/oauth/callback/?tenant=acme&next=%2Fhome';

/**
 * The token request carries `redirect_uri` identical to the one in the authorization request
 * (RFC 6749 §4.1.3: "their values MUST be identical"), and both are the configured one.
 */
export const redirectUriReused = defineScenario({
  id: 'authorization-request.redirect-uri-reused',
  title: 'The exact redirect URI of the authorization request is sent in the token request',
  family: 'authorization-request',
  rule: rfc(6749, '4.1.3'),
  appliesTo: authorizationCode,
  async run(ctx) {
    const configurable = ctx.plan.redirectUri !== undefined;
    const connection = ctx.connection(configurable ? { redirectUri: TRICKY_REDIRECT_URI } : {});
    const { flow, request } = await authorize(ctx, connection);
    if (configurable) {
      check(
        flow.redirectUri === TRICKY_REDIRECT_URI,
        'the authorization URL does not carry the configured redirect URI byte for byte',
      );
    } else {
      ctx.note(
        'the credential schema has no redirectUri field: checked with the connector’s own redirect URI',
      );
    }
    const sent = formOf(request).getAll('redirect_uri');
    check(sent.length === 1, `the code exchange carries redirect_uri ${sent.length} times, not once`);
    check(
      sent[0] === flow.redirectUri,
      'the code exchange redirect_uri differs from the authorization request’s',
    );
  },
});
