import { ErrorCode, type ConnectionInput } from '@aic/connector-core';
import type { ScenarioContext } from '../../kit/context.js';
import { check, describeError, errorCode, expectResolved } from '../../kit/expect.js';
import { probe, tokenBody } from '../../kit/flows.js';
import { KIT_ENDPOINTS } from '../../kit/plan.js';
import { defineScenario } from '../../scenario.js';
import { rfc } from '../rules.js';

const REFUSED = [ErrorCode.InsecureEndpoint, ErrorCode.InvalidCredentials];
const LOOPBACK = 'http://127.0.0.1:48081';

/** Runs the connection's first steps (authorization, token, API call) until something throws. */
async function attempt(ctx: ScenarioContext, connection: ConnectionInput): Promise<unknown> {
  try {
    ctx.connector.validateCredentials(connection.credentials);
    if (ctx.isAuthorizationCode) {
      const start = await ctx.connector.startAuthorization(connection);
      const url = new URL(start.url);
      const back = new URL(url.searchParams.get('redirect_uri') ?? '');
      back.searchParams.set('code', ctx.values.authorizationCode());
      back.searchParams.set('state', start.state);
      await ctx.connector.completeAuthorization(connection, back.href);
    }
    await ctx.connector.getAccessToken(connection);
    const call = probe(ctx.manifest);
    await ctx.connector.request(connection, { method: call.method, path: call.path, query: call.query });
    return undefined;
  } catch (error) {
    return error;
  }
}

/**
 * Endpoints must be https: plain http would carry codes, secrets and tokens in clear (RFC 6749
 * §3.1, §3.2 require TLS). Loopback http is the one exception (RFC 8252 §7.3): local tools and
 * tests listen there. Each overridable endpoint set to a non-loopback http URL must be refused
 * with a typed error and no request to it; all of them on loopback http must work.
 */
export const httpsEndpoints = defineScenario({
  id: 'authorization-request.https-endpoints',
  title: 'Non-https endpoints are refused (loopback http excepted)',
  family: 'authorization-request',
  rule: rfc(6749, ['3.1', '3.2'], '; RFC 8252 §7.3'),
  appliesTo: ({ plan }) =>
    plan.overridableKeys.length > 0 || 'the credential schema has no endpoint overrides to set to http',
  async run(ctx) {
    const insecure = Object.fromEntries(
      ctx.plan.overridableKeys.map((key) => [key, KIT_ENDPOINTS[key].replace('https://', 'http://')]),
    );
    if (ctx.plan.redirectUri !== undefined)
      insecure['redirectUri'] = 'http://aic.conformance.test/oauth/callback';
    for (const [key, url] of Object.entries(insecure)) {
      const connection =
        key === 'redirectUri'
          ? ctx.connection({ redirectUri: url })
          : ctx.connection({ endpoints: { [key]: url } });
      ctx.provider.token().optionally().reply(200, tokenBody(ctx));
      ctx.provider.api(probe(ctx.manifest).method, probe(ctx.manifest).path).optionally().reply(200, {});
      const error = await attempt(ctx, connection);
      if (error !== undefined) ctx.observed.errors.push(error);
      check(
        error !== undefined && REFUSED.includes(errorCode(error) as never),
        `an http ${key} (${url}) must be refused with ${REFUSED.join(' or ')}; ${error === undefined ? 'the connection worked' : `it failed with ${describeError(error)}`}`,
      );
      const sent = ctx.provider.requests.filter((r) => r.url.protocol === 'http:');
      check(sent.length === 0, `a request was sent over plain http to ${sent[0]?.url.host ?? ''}`);
    }

    const loopback = Object.fromEntries(
      ctx.plan.overridableKeys.map((key) => [key, KIT_ENDPOINTS[key].replace(/^https:\/\/[^/]+/, LOOPBACK)]),
    );
    const connection = ctx.connection({
      endpoints: loopback,
      ...(ctx.plan.redirectUri === undefined ? {} : { redirectUri: 'http://127.0.0.1:8765/callback' }),
    });
    const call = probe(ctx.manifest);
    const token = loopback['token'] === undefined ? ctx.plan.token : new URL(loopback['token']);
    ctx.provider.intercept(token, 'POST').reply(200, tokenBody(ctx));
    const apiBase = loopback['apiBase'] === undefined ? ctx.plan.apiBase : new URL(loopback['apiBase']);
    const basePath = apiBase.pathname.replace(/\/$/, '');
    ctx.provider.intercept(new URL(`${basePath}${call.path}`, apiBase.origin), call.method).reply(200, {});
    const error = await attempt(ctx, connection);
    if (error !== undefined)
      await expectResolved(ctx, Promise.reject(error as Error), 'a connection on loopback http');
  },
});
