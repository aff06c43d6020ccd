import type { ConnectionInput } from '@aic/connector-core';
import type { ScenarioContext } from '../../kit/context.js';
import { check, describeRequests, expectResolved, formOf } from '../../kit/expect.js';
import { callProbe, canRenew, declaredTokenBody, obtainToken, scriptProbe } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

interface Held {
  readonly name: string;
  readonly connection: ConnectionInput;
  accessToken: string;
  refreshToken: string | undefined;
}

async function authorized(ctx: ScenarioContext, name: string): Promise<Held> {
  const body = declaredTokenBody(ctx);
  const connection = ctx.connection({ id: `conformance-${name}` });
  await obtainToken(ctx, connection, body);
  return {
    name,
    connection,
    accessToken: String(body['access_token']),
    refreshToken: typeof body['refresh_token'] === 'string' ? body['refresh_token'] : undefined,
  };
}

/** One probe call on `held`'s connection; the Bearer token it sent must be that connection's. */
async function expectOwnBearer(ctx: ScenarioContext, held: Held, others: readonly Held[], when: string) {
  scriptProbe(ctx).reply(200, { ok: true });
  const before = ctx.provider.apiRequests().length;
  await expectResolved(
    ctx,
    callProbe(ctx, held.connection),
    `an API call of connection ${held.name} ${when}`,
  );
  const sent = ctx.provider.apiRequests()[before]?.headers['authorization'];
  const owner = others.find((other) => sent === `Bearer ${other.accessToken}`);
  check(
    owner === undefined,
    `an API call of connection ${held.name} ${when} carried connection ${owner?.name ?? ''}'s access token`,
  );
  check(
    sent === `Bearer ${held.accessToken}`,
    `an API call of connection ${held.name} ${when} did not carry that connection's access token`,
  );
}

async function expectOwnToken(ctx: ScenarioContext, held: Held, others: readonly Held[], when: string) {
  const token = await expectResolved(
    ctx,
    ctx.connector.getAccessToken(held.connection),
    `getAccessToken of connection ${held.name} ${when}`,
  );
  const owner = others.find((other) => token.accessToken === other.accessToken);
  check(
    owner === undefined,
    `getAccessToken of connection ${held.name} ${when} returned connection ${owner?.name ?? ''}'s access token`,
  );
  check(
    token.accessToken === held.accessToken,
    `getAccessToken of connection ${held.name} ${when} returned a token the provider never issued to it`,
  );
}

/**
 * Two connections of one connector (same client, e.g. two tenants of one AIC installation) each
 * get their own grant: their access tokens are never mixed up, in `getAccessToken`, in API calls,
 * or when one of them renews — its renewal uses its own refresh token and leaves the other alone.
 */
export const tokenIsolation = defineScenario({
  id: 'connection.token-isolation',
  title: 'Two connections of one connector never share an access token',
  family: 'connection',
  rule: rfc(6749, ['10.3', '10.4'], '; RFC 6750 §5.2 (a token is bound to the grant that issued it)'),
  appliesTo: always,
  async run(ctx) {
    const a = await authorized(ctx, 'a');
    const b = await authorized(ctx, 'b');
    check(
      a.accessToken !== b.accessToken,
      'the kit issued the same token twice (a bug in the kit, not in the connector)',
    );
    await expectOwnToken(ctx, a, [b], 'after both connected');
    await expectOwnToken(ctx, b, [a], 'after both connected');
    await expectOwnBearer(ctx, a, [b], 'after both connected');
    await expectOwnBearer(ctx, b, [a], 'after both connected');
    if (!canRenew(ctx.manifest)) return;

    // The API rejects a's token: a renews with its own grant; b keeps its token.
    const renewed = declaredTokenBody(ctx);
    scriptProbe(ctx).reply(401, { error: 'invalid_token' });
    ctx.provider.token().reply(200, renewed);
    scriptProbe(ctx).reply(200, { ok: true });
    const tokenCalls = ctx.provider.tokenRequests().length;
    await expectResolved(ctx, callProbe(ctx, a.connection), 'an API call of connection a answered 401 once');
    const renewal = ctx.provider.tokenRequests()[tokenCalls];
    if (renewal !== undefined && a.refreshToken !== undefined) {
      const sent = formOf(renewal).get('refresh_token');
      check(
        sent !== b.refreshToken,
        "the renewal of connection a sent connection b's refresh token",
        describeRequests(ctx.provider.requests),
      );
      check(
        sent === a.refreshToken,
        "the renewal of connection a did not send that connection's refresh token",
      );
    }
    const previousA = a.accessToken;
    a.accessToken = String(renewed['access_token']);
    const stale = { ...a, name: 'a (its rejected token)', accessToken: previousA };
    await expectOwnToken(ctx, b, [a, stale], "after connection a's renewal");
    await expectOwnBearer(ctx, b, [a, stale], "after connection a's renewal");
    await expectOwnToken(ctx, a, [b, stale], 'after its renewal');
  },
});
