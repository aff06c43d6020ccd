import { check, describeError, errorCode } from '../../kit/expect.js';
import { attemptFirstGrant } from '../../kit/first-grant.js';
import { canRenew, declaredTokenBody, obtainToken, reachExpiry } from '../../kit/flows.js';
import { REDIRECT_ORIGIN, expectNoCredentialsFollowed, scriptRedirectTarget } from '../../kit/redirects.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

/** Fails unless a token call that met a redirect failed with a typed error. */
function expectTypedFailure(error: unknown, what: string): void {
  check(
    error !== undefined,
    `${what}: the connector reported success although the token endpoint redirected`,
  );
  check(errorCode(error) !== undefined, `${what}: it failed without a typed error (${describeError(error)})`);
}

/**
 * A token endpoint that answers with a redirect is not a token endpoint to send credentials to:
 * the client secret (Basic header or body), the authorization code, the PKCE verifier and the
 * refresh token never follow a 3xx — a 307/308 would make a naive client re-send the whole form
 * (RFC 9110 §15.4.8). The token call fails with a typed error instead.
 */
export const tokenNoCredentialsOnRedirect = defineScenario({
  id: 'token-request.no-credentials-on-redirect',
  title: 'No client secret, code or refresh token follows a 3xx from the token endpoint',
  family: 'token-request',
  rule: rfc(6749, ['3.2', '2.3.1'], '; RFC 9110 §15.4.8, §15.4.9'),
  appliesTo: always,
  async run(ctx) {
    const first = ctx.isAuthorizationCode ? 'code exchange' : 'client credentials request';
    const elsewhere = new URL(`${REDIRECT_ORIGIN}/oauth2/token`);
    let since = ctx.sequence.current;
    scriptRedirectTarget(ctx, elsewhere, 'POST');
    const attempt = await attemptFirstGrant(ctx, ctx.connection(), (token) =>
      token.reply(307, '', { Location: elsewhere.href }),
    );
    await ctx.provider.settle();
    expectNoCredentialsFollowed(ctx, since, elsewhere, `the 307 from the token endpoint (${first})`);
    expectTypedFailure(attempt.error, `a ${first} answered 307`);

    if (!canRenew(ctx.manifest)) return;
    const connection = ctx.connection();
    await obtainToken(ctx, connection, declaredTokenBody(ctx));
    await reachExpiry(ctx, connection);
    const sameOrigin = new URL('/moved/oauth2/token', ctx.plan.token.origin);
    since = ctx.sequence.current;
    scriptRedirectTarget(ctx, sameOrigin, 'POST');
    ctx.provider.token().reply(308, '', { Location: sameOrigin.href });
    // A client credentials connector may fall back to its first grant when a refresh fails.
    ctx.provider.token().optionally().reply(308, '', { Location: sameOrigin.href });
    let error: unknown;
    try {
      ctx.observed.outputs.push(await ctx.connector.getAccessToken(connection));
    } catch (caught) {
      error = caught;
      ctx.observed.errors.push(caught);
    }
    await ctx.provider.settle();
    expectNoCredentialsFollowed(ctx, since, sameOrigin, 'the 308 from the token endpoint (renewal)');
    expectTypedFailure(error, 'a renewal answered 308');
  },
});
