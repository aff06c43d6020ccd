import { ErrorCode } from '@aic/connector-core';
import { check, describeError, describeRequests, errorCode, expectResolved } from '../../kit/expect.js';
import { callProbe, declaredTokenBody, obtainToken, probe, scriptProbe } from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';
import { rfc } from '../rules.js';

/** Where the kit tries to send a connector's Bearer token: a host no scenario scripts. */
export const ATTACKER_ORIGIN = 'https://attacker.conformance.test';

/**
 * Paths a host (or data from a provider, like a "next page" link) may hand to `request()` that
 * would take the Bearer token out of the API base: absolute and protocol-relative URLs, `..`
 * segments, and the encoded forms a server or proxy may decode before normalizing.
 */
export const HOSTILE_PATHS: readonly (readonly [string, string])[] = [
  ['an absolute URL', `${ATTACKER_ORIGIN}/steal`],
  ['an absolute http URL', 'http://attacker.conformance.test/steal'],
  ['a protocol-relative URL', '//attacker.conformance.test/steal'],
  ['a backslash-prefixed URL', '/\\attacker.conformance.test/steal'],
  ['a path escaping the base with ..', '/../admin'],
  ['a deeper escape', '/things/../../admin'],
  ['an encoded escape (%2e%2e)', '/%2e%2e/admin'],
  ['an escape with an encoded slash (..%2F)', '/..%2Fadmin'],
  ['an escape with encoded dots and slash (%2E%2E%2F)', '/things/%2E%2E%2F%2E%2E%2Fadmin'],
  ['an escape with an encoded backslash (..%5C)', '/..%5Cadmin'],
];

/**
 * The Bearer token goes only to the connection's API base (RFC 6750 §5.2: a token must not reach
 * a party that is not its audience). Every hostile path is refused with `ERR_FOREIGN_ORIGIN`
 * before any request; the connector still makes its ordinary calls.
 */
export const bearerStaysInBase = defineScenario({
  id: 'api-request.bearer-stays-in-base',
  title: 'The Bearer token never leaves the API base: absolute, protocol-relative and .. paths refused',
  family: 'api-request',
  rule: rfc(6750, ['5.2', '5.3']),
  appliesTo: always,
  async run(ctx) {
    const connection = ctx.connection();
    await obtainToken(ctx, connection, declaredTokenBody(ctx));
    scriptProbe(ctx).reply(200, { ok: true });
    await expectResolved(ctx, callProbe(ctx, connection), 'an ordinary API call');
    const { method } = probe(ctx.manifest);
    for (const [label, path] of HOSTILE_PATHS) {
      const since = ctx.sequence.current;
      let error: unknown;
      try {
        ctx.observed.outputs.push(await ctx.connector.request(connection, { method, path }));
      } catch (caught) {
        error = caught;
        ctx.observed.errors.push(caught);
      }
      await ctx.provider.settle();
      const sent = ctx.provider.requests.filter((r) => r.seq > since);
      const withToken = sent.filter((r) => r.headers['authorization'] !== undefined);
      check(
        withToken.length === 0,
        `request() with ${label} (${path}) sent the access token to ${withToken[0]?.url.origin ?? ''}${withToken[0]?.url.pathname ?? ''}`,
        describeRequests(sent),
      );
      check(
        sent.length === 0,
        `request() with ${label} (${path}) made a request to ${sent[0]?.url.href ?? ''}; it must be refused`,
        describeRequests(sent),
      );
      check(
        errorCode(error) === ErrorCode.ForeignOrigin,
        `request() with ${label} (${path}) must be refused with ${ErrorCode.ForeignOrigin}; ${error === undefined ? 'it succeeded' : `it failed with ${describeError(error)}`}`,
      );
    }
  },
});
