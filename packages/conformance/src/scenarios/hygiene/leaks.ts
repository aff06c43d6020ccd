import { check, expectResolved } from '../../kit/expect.js';
import { attemptFirstGrant } from '../../kit/first-grant.js';
import {
  callProbe,
  canRenew,
  declaredTokenBody,
  obtainToken,
  reachExpiry,
  scriptProbe,
  tokenBody,
} from '../../kit/flows.js';
import { findLeaks } from '../../kit/hygiene.js';
import type { ScenarioContext } from '../../kit/context.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';

const rule = {
  source: 'RFC 6749 §10.3, §10.5; RFC 6819 §5.1.4',
  url: 'https://www.rfc-editor.org/rfc/rfc6819#section-5.1.4',
};

function expectClean(ctx: ScenarioContext): void {
  const leaks = findLeaks(ctx);
  check(leaks.length === 0, leaks[0] ?? '', leaks.slice(1));
}

/**
 * A whole working life of a connection — authorization (or first token), API calls, a 401 with
 * a rotated refresh token, a renewal at expiry, "Validar conexión", the status — leaves no
 * client secret, token, code or PKCE verifier in any log line, error or output.
 */
export const hygieneSuccessPaths = defineScenario({
  id: 'hygiene.success-paths',
  title: 'No secret in logs, errors or outputs along the normal life of a connection',
  family: 'hygiene',
  rule,
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    await obtainToken(ctx, connection, declaredTokenBody(ctx));
    scriptProbe(ctx).reply(200, { ok: true });
    await expectResolved(ctx, callProbe(ctx, connection), 'an API call');
    if (canRenew(ctx.manifest)) {
      scriptProbe(ctx).reply(401, { error: 'invalid_token' });
      ctx.provider.token().reply(200, declaredTokenBody(ctx));
      scriptProbe(ctx).reply(200, { ok: true });
      await expectResolved(ctx, callProbe(ctx, connection), 'an API call answered 401 once');
      await reachExpiry(ctx, connection);
      ctx.provider.token().reply(200, declaredTokenBody(ctx));
      await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'a renewal at expiry');
    }
    if (ctx.manifest.validation !== undefined) scriptProbe(ctx).reply(200, { ok: true });
    ctx.observed.outputs.push(
      await expectResolved(ctx, ctx.connector.validateConnection(connection), 'validateConnection'),
    );
    ctx.observed.outputs.push(await expectResolved(ctx, ctx.connector.getStatus(connection), 'getStatus'));
    expectClean(ctx);
  },
});

/**
 * Providers echo what they received (client secret, code, PKCE verifier, refresh token) in their
 * error texts; proxies answer HTML; endpoints go
 * down. Every failure the kit provokes carries the scenario's secrets in the provider's words —
 * none may reach a log line, an error or an output.
 */
export const hygieneErrorPaths = defineScenario({
  id: 'hygiene.error-paths',
  title: 'No secret in logs, errors or outputs when the provider fails and echoes secrets',
  family: 'hygiene',
  rule,
  appliesTo: always,
  async run(ctx) {
    const echo = (connection: { credentials: unknown }, extra = ''): string =>
      `received client_secret=${String((connection.credentials as Record<string, unknown>)[ctx.manifest.clientFields.secret])} ${extra}`;

    const denied = ctx.connection();
    await attemptFirstGrant(ctx, denied, (token) =>
      token.reply(async (request: Request) => {
        const form = new URLSearchParams(await request.text());
        const sent = ['code', 'code_verifier'].map((name) => `${name}=${form.get(name) ?? ''}`).join(' ');
        return [400, { error: 'invalid_grant', error_description: echo(denied, sent) }];
      }),
    );
    const rejected = ctx.connection();
    await attemptFirstGrant(ctx, rejected, (token) =>
      token.reply(401, { error: 'invalid_client', error_description: echo(rejected) }),
    );
    const html = ctx.connection();
    await attemptFirstGrant(ctx, html, (token) =>
      token.reply(200, `<html><body>${echo(html)}</body></html>`, { 'Content-Type': 'text/html' }),
    );
    const other = ctx.connection();
    await attemptFirstGrant(ctx, other, (token) =>
      token.reply(400, { error: 'invalid_request', error_description: echo(other) }),
    );

    if (ctx.manifest.capabilities.refreshToken) {
      const refreshed = ctx.connection();
      const first = tokenBody(ctx, {}, { refreshToken: true });
      await obtainToken(ctx, refreshed, first);
      await reachExpiry(ctx, refreshed);
      ctx.provider.token().reply(400, {
        error: 'invalid_grant',
        error_description: echo(refreshed, `refresh_token=${String(first['refresh_token'])}`),
      });
      for (let i = 0; i < 3; i++) {
        ctx.provider
          .token()
          .optionally()
          .reply(401, { error: 'invalid_client', error_description: echo(refreshed) });
      }
      await ctx.connector
        .getAccessToken(refreshed)
        .catch((error: unknown) => ctx.observed.errors.push(error));
      ctx.observed.outputs.push(await ctx.connector.validateConnection(refreshed));
    }

    const invalid = ctx.connection();
    const credentials = {
      ...(invalid.credentials as Record<string, unknown>),
      [ctx.manifest.clientFields.id]: [echo(invalid)],
    };
    try {
      ctx.connector.validateCredentials(credentials);
    } catch (error) {
      ctx.observed.errors.push(error);
    }
    ctx.observed.outputs.push(await ctx.connector.validateConnection({ id: invalid.id, credentials }));
    check(
      ctx.observed.errors.length >= 4,
      `only ${ctx.observed.errors.length} of the provoked failures raised an error`,
    );
    expectClean(ctx);
  },
});
