import type { ConnectionInput, FieldSchema } from '@aic/connector-core';
import type { ScenarioContext } from '../../kit/context.js';
import { check } from '../../kit/expect.js';
import { startFlow } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { authorizationCode } from '../applies.js';

/** A configuration value that tries to smuggle reserved parameters into the authorization URL. */
export const INJECTION =
  'kit&state=injected&redirect_uri=https%3A%2F%2Fevil.conformance.test%2F&response_type=token&client_id=evil';

/** Free-form, non-secret string fields: where configuration reaches the authorization URL. */
function injectableFields(ctx: ScenarioContext): string[] {
  const skip = new Set([
    ctx.manifest.clientFields.id,
    ctx.manifest.clientFields.secret,
    'redirectUri',
    'region',
  ]);
  return Object.entries(ctx.manifest.credentialSchema.properties)
    .filter(([name, field]: [string, FieldSchema]) => {
      if (skip.has(name) || field.type !== 'string' || field['x-secret'] === true) return false;
      return field.enum === undefined && field.format === undefined && field.pattern === undefined;
    })
    .map(([name]) => name);
}

async function checkReserved(
  ctx: ScenarioContext,
  connection: ConnectionInput,
  clientId: string,
  label: string,
) {
  const flow = await startFlow(ctx, connection);
  const params = flow.url.searchParams;
  const once = ['state', 'redirect_uri', 'response_type', 'client_id'];
  if (ctx.manifest.capabilities.pkce) once.push('code_challenge', 'code_challenge_method');
  for (const name of once) {
    const count = params.getAll(name).length;
    check(count === 1, `${label}: the authorization URL carries ${name} ${count} times, not once`);
  }
  check(params.get('response_type') === 'code', `${label}: response_type is not "code"`);
  check(params.get('state') === flow.state, `${label}: state was overridden`);
  check(params.get('client_id') === clientId, `${label}: client_id is not the configured client id`);
  const redirect = params.get('redirect_uri') ?? '';
  check(!redirect.includes('evil.conformance.test'), `${label}: redirect_uri was overridden`);
  if (ctx.plan.redirectUri !== undefined) {
    check(redirect === ctx.plan.redirectUri, `${label}: redirect_uri is not the configured redirect URI`);
  }
  if (ctx.manifest.capabilities.pkce) {
    check(params.get('code_challenge_method') === 'S256', `${label}: code_challenge_method was overridden`);
  }
}

/**
 * The parameters the flow's security rests on — state, redirect_uri, response_type, client_id,
 * code_challenge(_method) — appear once and cannot be overridden through configuration (RFC 6749
 * §3.1: parameters MUST NOT be included more than once; §4.1.1). The kit writes an injection
 * attempt into every free-form credential field and into the client id.
 */
export const reservedParams = defineScenario({
  id: 'authorization-request.reserved-params',
  title: 'Reserved authorization parameters appear once and cannot be overridden by configuration',
  family: 'authorization-request',
  rule: { source: 'RFC 6749 §3.1, §4.1.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1' },
  appliesTo: authorizationCode,
  async run(ctx) {
    const baseline = ctx.connection();
    const baselineId = String(
      (baseline.credentials as Record<string, unknown>)[ctx.manifest.clientFields.id],
    );
    await checkReserved(ctx, baseline, baselineId, 'default configuration');
    const attempts: { label: string; connection: ConnectionInput; clientId: string }[] = [
      { label: 'client id', connection: ctx.connection({ clientId: INJECTION }), clientId: INJECTION },
      ...injectableFields(ctx).map((name) => ({
        label: `field "${name}"`,
        connection: ctx.connection({ credentials: { [name]: INJECTION } }),
        clientId: baselineId,
      })),
    ];
    for (const attempt of attempts) {
      try {
        ctx.connector.validateCredentials(attempt.connection.credentials);
      } catch {
        ctx.note(`injection through ${attempt.label} refused by the credential schema`);
        continue;
      }
      await checkReserved(ctx, attempt.connection, attempt.clientId, `injection through ${attempt.label}`);
    }
  },
});
