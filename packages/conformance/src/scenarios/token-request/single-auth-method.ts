import type { ConnectionInput } from '@aic/connector-core';
import { check, fail, formOf } from '../../kit/expect.js';
import { declaredAuth, exerciseGrants } from '../../kit/grants.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

const credentialsOf = (
  ctx: { manifest: { clientFields: { id: string; secret: string } } },
  c: ConnectionInput,
) => {
  const values = c.credentials as Record<string, unknown>;
  return {
    id: String(values[ctx.manifest.clientFields.id]),
    secret: String(values[ctx.manifest.clientFields.secret]),
  };
};

/**
 * "The client MUST NOT use more than one authentication method in each request" (RFC 6749
 * §2.3.1): each token request carries the client's credentials exactly where the manifest says —
 * the `Authorization` header for client_secret_basic, the body for client_secret_post — and
 * nowhere else.
 */
export const singleAuthMethod = defineScenario({
  id: 'token-request.single-auth-method',
  title: 'Each token request authenticates the client by the declared method only',
  family: 'token-request',
  rule: rfc(6749, '2.3.1'),
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    const client = credentialsOf(ctx, connection);
    for (const { kind, request } of await exerciseGrants(ctx, connection)) {
      const declared = declaredAuth(ctx, kind);
      if (declared === undefined) fail(`the manifest declares no client authentication for ${kind}`);
      const form = formOf(request);
      const header = request.headers['authorization'];
      const bodySecret = form.getAll('client_secret');
      const bodyId = form.getAll('client_id');
      const where = `${kind} request (declared ${declared.method})`;
      if (declared.method === 'client_secret_basic') {
        check(header?.startsWith('Basic ') === true, `${where}: no Basic Authorization header`);
        check(bodySecret.length === 0, `${where}: the client secret is also in the body (two methods)`);
        check(
          bodyId.length === 0 || (bodyId.length === 1 && bodyId[0] === client.id),
          `${where}: the body carries a client_id that is not the Basic user`,
        );
      } else if (declared.method === 'client_secret_post') {
        check(
          header === undefined,
          `${where}: an Authorization header is sent as well as the body credentials`,
        );
        check(
          bodyId.length === 1 && bodyId[0] === client.id,
          `${where}: the body must carry client_id once, exactly the configured id`,
        );
        check(
          bodySecret.length === 1 && bodySecret[0] === client.secret,
          `${where}: the body must carry client_secret once, exactly the configured secret`,
        );
      } else {
        check(header === undefined, `${where}: a public client sends an Authorization header`);
        check(bodySecret.length === 0, `${where}: a public client sends a client secret`);
        check(bodyId.length === 1 && bodyId[0] === client.id, `${where}: the body must carry client_id once`);
      }
    }
  },
});
