import { check, describeError, errorCode } from '../../kit/expect.js';
import { callProbe, declaredTokenBody, obtainToken, scriptProbe, probe } from '../../kit/flows.js';
import { REDIRECT_ORIGIN, expectNoCredentialsFollowed, scriptRedirectTarget } from '../../kit/redirects.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

/**
 * An API answering with a redirect hands it back as the response (or a typed error): the Bearer
 * token never follows a 3xx, neither to another origin nor to another path of the API's origin
 * outside the base (RFC 9110 §15.4: a redirect is the server's suggestion; RFC 6750 §5.2/§5.3: a
 * token must only reach its audience).
 */
export const apiNoCredentialsOnRedirect = defineScenario({
  id: 'api-request.no-credentials-on-redirect',
  title: 'The Bearer token never follows a 3xx from the API (other origin, or outside the base)',
  family: 'api-request',
  rule: rfc(9110, ['15.4'], '; RFC 6750 §5.2, §5.3'),
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    await obtainToken(ctx, connection, declaredTokenBody(ctx));
    const { method } = probe(ctx.manifest);
    const apiOrigin = ctx.provider.apiUrl('/').origin;
    const cases = [
      { status: 302, location: new URL(`${REDIRECT_ORIGIN}/landing`) },
      { status: 307, location: new URL(`${apiOrigin}/elsewhere/landing`) },
      { status: 308, location: new URL(`${REDIRECT_ORIGIN}/moved`) },
    ];
    for (const { status, location } of cases) {
      const since = ctx.sequence.current;
      scriptProbe(ctx).reply(status, '', { Location: location.href });
      for (const verb of new Set([method, 'GET'])) scriptRedirectTarget(ctx, location, verb, 404);
      let outcome: { status: number } | undefined;
      let error: unknown;
      try {
        outcome = await callProbe(ctx, connection);
        ctx.observed.outputs.push(outcome);
      } catch (caught) {
        error = caught;
        ctx.observed.errors.push(caught);
      }
      await ctx.provider.settle();
      expectNoCredentialsFollowed(ctx, since, location, `the ${status} from the API`);
      check(
        outcome !== undefined || errorCode(error) !== undefined,
        `an API call answered ${status} failed without a typed error: ${describeError(error)}`,
      );
    }
  },
});
