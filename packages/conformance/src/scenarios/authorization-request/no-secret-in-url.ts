import { check, expectResolved } from '../../kit/expect.js';
import { callProbe, obtainToken, reachExpiry, scriptProbe, startFlow, tokenBody } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

/** Parameter names that put a secret in a URL. */
const SECRET_PARAMS = [
  'client_secret',
  'code_verifier',
  'refresh_token',
  'access_token',
  'password',
  'id_token',
];

/**
 * Secrets never travel in a URL — browser history, proxy and server logs keep URLs: the client
 * secret MUST NOT be in the request URI (RFC 6749 §2.3.1), access tokens belong in the
 * Authorization header (RFC 6750 §2.1, §5.3). The kit runs a whole journey — authorization, API
 * call, renewal — and searches every URL for every secret it knows.
 */
export const noSecretInUrl = defineScenario({
  id: 'authorization-request.no-secret-in-url',
  title: 'No client secret, token, code or verifier in any URL',
  family: 'authorization-request',
  rule: rfc(6749, '2.3.1', ', RFC 6750 §5.3'),
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    const urls: { what: string; url: string }[] = [];
    if (ctx.isAuthorizationCode) {
      const flow = await startFlow(ctx, connection);
      urls.push({ what: 'the authorization URL', url: flow.start.url });
    }
    await obtainToken(ctx, connection);
    scriptProbe(ctx).reply(200, {});
    await expectResolved(ctx, callProbe(ctx, connection), 'an API call');
    if (ctx.manifest.capabilities.refreshToken || ctx.manifest.capabilities.clientCredentials) {
      await reachExpiry(ctx, connection);
      ctx.provider.token().reply(200, tokenBody(ctx));
      await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'a renewal');
    }
    for (const request of ctx.provider.requests) {
      urls.push({ what: `the ${request.role} request URL`, url: request.url.href });
    }
    for (const { what, url } of urls) {
      const leaked = ctx.secrets.find(url);
      check(leaked.length === 0, `${what} contains the ${leaked.join(', ')}`);
      const named = SECRET_PARAMS.filter((name) => new URL(url).searchParams.has(name));
      check(named.length === 0, `${what} has a ${named.join(', ')} parameter`);
    }
  },
});
