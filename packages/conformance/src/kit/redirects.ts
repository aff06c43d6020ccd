import type { ScenarioContext } from './context.js';
import { describeRequests, fail } from './expect.js';
import { credentialsOf } from './unscripted.js';

/** A host the kit redirects to: another origin than every endpoint of the connection. */
export const REDIRECT_ORIGIN = 'https://redirected.conformance.test';

/**
 * Scripts `location` to answer whatever a connector that follows a redirect sends (once,
 * optionally: a connector that does not follow never calls it), so following without
 * credentials is allowed and following with them is seen.
 */
export function scriptRedirectTarget(
  ctx: ScenarioContext,
  location: URL,
  method: string,
  status = 400,
): void {
  ctx.provider
    .intercept(location, method)
    .optionally()
    .times(3)
    .reply(status, { error: 'invalid_request', error_description: 'redirect target of the conformance kit' });
}

/**
 * Fails when a request to `location` since `since` carried a credential (an `Authorization`
 * header, a client secret, a refresh token, a code or a PKCE verifier): the connector followed
 * `what` (e.g. "the 307 from the token endpoint") with it.
 */
export function expectNoCredentialsFollowed(
  ctx: ScenarioContext,
  since: number,
  location: URL,
  what: string,
): void {
  const followed = ctx.provider.requests.filter(
    (r) => r.seq > since && r.url.origin === location.origin && r.url.pathname === location.pathname,
  );
  const leaking = followed.find((r) => credentialsOf(r).length > 0);
  if (leaking === undefined) return;
  fail(
    `the connector followed ${what} to ${location.origin}${location.pathname} with ${credentialsOf(leaking).join(' and ')}`,
    describeRequests(followed),
  );
}
