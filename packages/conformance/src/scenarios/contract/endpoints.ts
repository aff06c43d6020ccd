import { check, expectResolved, fail } from '../../kit/expect.js';
import { callProbe, declaredTokenBody, obtainToken, scriptProbe, startFlow } from '../../kit/flows.js';
import { KIT_ENDPOINTS } from '../../kit/plan.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';

/**
 * A host must be able to point a connection at other hosts than the provider's production ones
 * (a sandbox, a proxy, a test double: DESIGN.md), and so must this kit — otherwise every scenario
 * runs against a script of the real hosts and a connector that calls anywhere else goes unseen.
 * The credential schema needs an `endpoints` object with the keys the grant uses, and the
 * connector must use what a connection puts there.
 */
export const endpointsOverridable = defineScenario({
  id: 'contract.endpoints-overridable',
  title: 'The kit can point the connector at its own hosts through the credentials (endpoints)',
  family: 'contract',
  rule: { source: 'DESIGN.md (endpoints per connection: sandboxes, proxies, tests)' },
  appliesTo: always,
  async run(ctx) {
    const needed = ctx.isAuthorizationCode
      ? (['authorization', 'token', 'apiBase'] as const)
      : (['token', 'apiBase'] as const);
    const missing = needed.filter((key) => !ctx.plan.overridableKeys.includes(key));
    if (missing.length > 0) {
      const field = ctx.manifest.credentialSchema.properties['endpoints'];
      fail(
        `the kit cannot point the connector at its own hosts: the credential schema ${field === undefined ? 'has no "endpoints" object' : `has "endpoints" without ${missing.join(', ')}`}. Add endpoints: baseFields.endpoints([${needed.map((k) => `'${k}'`).join(', ')}]) to the credential schema (hosts need it too, for sandboxes and proxies); meanwhile the kit scripts the provider's own hosts of region ${ctx.plan.region ?? '—'}`,
      );
    }
    const connection = ctx.connection();
    if (ctx.isAuthorizationCode) {
      const flow = await startFlow(ctx, connection);
      const used = `${flow.url.origin}${flow.url.pathname}`;
      check(
        used === KIT_ENDPOINTS.authorization,
        `the connection's endpoints.authorization is ${KIT_ENDPOINTS.authorization}, but the authorization URL goes to ${used}`,
      );
    }
    await obtainToken(ctx, connection, declaredTokenBody(ctx));
    scriptProbe(ctx).reply(200, { ok: true });
    await expectResolved(
      ctx,
      callProbe(ctx, connection),
      `an API call on the connection's endpoints.apiBase (${KIT_ENDPOINTS.apiBase})`,
    );
  },
});
