import { check, formOf } from '../../kit/expect.js';
import { exerciseGrants, grantTypeOf } from '../../kit/grants.js';
import type { RecordedRequest } from '../../kit/provider-script.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

const FORM = 'application/x-www-form-urlencoded';

/** Names that occur more than once in a form body. */
function duplicated(request: RecordedRequest): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const [name] of formOf(request)) (seen.has(name) ? twice : seen).add(name);
  return [...twice];
}

/**
 * Token requests are POSTs with an `application/x-www-form-urlencoded` UTF-8 body (RFC 6749
 * §3.2, §4.1.3, §6, §4.4.2) whose parameters appear once (§3.2) and carry exactly the values
 * the grant needs: the code from the callback (its `/`, `+` and `=` intact), the refresh token held.
 */
export const formPost = defineScenario({
  id: 'token-request.form-post',
  title: 'Token requests are form-encoded POSTs with exact grant parameters',
  family: 'token-request',
  rule: rfc(6749, ['3.2', '4.1.3', '6']),
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    for (const { kind, request, code, refreshToken } of await exerciseGrants(ctx, connection)) {
      const where = `${kind} request`;
      check(request.method === 'POST', `${where}: sent with ${request.method}, not POST`);
      const type = request.headers['content-type'] ?? '';
      check(
        type.split(';')[0]?.trim().toLowerCase() === FORM,
        `${where}: Content-Type is "${type}", not ${FORM}`,
      );
      const twice = duplicated(request);
      check(twice.length === 0, `${where}: parameters sent more than once: ${twice.join(', ')}`);
      const form = formOf(request);
      check(
        form.get('grant_type') === grantTypeOf(kind),
        `${where}: grant_type is "${form.get('grant_type') ?? ''}", not ${grantTypeOf(kind)}`,
      );
      if (code !== undefined) {
        check(form.get('code') === code, `${where}: the code sent is not exactly the code of the callback`);
      }
      if (refreshToken !== undefined) {
        check(
          form.get('refresh_token') === refreshToken,
          `${where}: the refresh_token sent is not the one the provider issued`,
        );
      }
    }
  },
});

/** Token responses are JSON (RFC 6749 §5.1): the request says it accepts `application/json`. */
export const acceptJson = defineScenario({
  id: 'token-request.accept-json',
  title: 'Token requests send Accept: application/json',
  family: 'token-request',
  rule: rfc(6749, '5.1'),
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    for (const { kind, request } of await exerciseGrants(ctx, connection)) {
      const accept = request.headers['accept'] ?? '';
      check(
        accept
          .split(',')
          .map((part) => part.split(';')[0]?.trim().toLowerCase())
          .includes('application/json'),
        `${kind} request: Accept is "${accept}", which does not include application/json`,
      );
    }
  },
});
