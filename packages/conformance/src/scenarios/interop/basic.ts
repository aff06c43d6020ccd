import { ErrorCode } from '@aic/connector-core';
import { check, describeError, errorCode, fail } from '../../kit/expect.js';
import { reachExpiry } from '../../kit/flows.js';
import type { InteropSession } from '../../interop/session.js';
import { defineInteropScenario } from './define.js';

/**
 * A client secret that RFC 6749 §2.3.1 form-decoding changes: `+` (→ space), `%41` (→ `A`),
 * `%of` (not an escape: a strict server refuses it), a space and a `:`.
 */
const trickySecret = (hash: string): string => `kit+basic:${hash} 50%off/x%41y`;

/** Fails naming the cause when the server refused a Basic-authenticated request. */
function explainRefusedBasic(session: InteropSession): void {
  const refused = session
    .exchanges()
    .find(
      (e) =>
        e.presented !== 'body' &&
        e.presented !== 'none' &&
        (e.error === 'invalid_client' || e.error === 'invalid_request'),
    );
  if (refused === undefined) return;
  const declared = session.server.plan.auth[(refused.grantType ?? '') as 'refresh_token'];
  fail(
    `the RFC 6749 §2.3.1 server refused the Basic-authenticated ${refused.grantType ?? ''} request (${refused.error ?? ''}) for a client secret holding "+", "%" and a space: ${refused.basic ?? 'no diagnosis'}, while the manifest declares ${declared?.method ?? 'nothing'}${declared?.encoding === undefined ? '' : ` with the ${declared.encoding} encoding`} — the server form-decodes the id and secret, so a raw "+" arrives as a space`,
    session.describeTraffic(),
  );
}

/** A renewal (or the first token) that goes through the declared Basic request. */
async function renewThroughBasic(session: InteropSession, what: string): Promise<void> {
  const { ctx } = session;
  const connection = session.connection();
  await reachExpiry(ctx, connection);
  try {
    await session.callApi(connection, what);
  } catch (error) {
    explainRefusedBasic(session);
    throw error;
  }
}

export const interopBasicEncoding = defineInteropScenario({
  id: 'interop.basic-encoding',
  title: 'HTTP Basic with a secret holding "+", "%" and a space, against a server that form-decodes it',
  rule: {
    source: 'RFC 6749 §2.3.1, Appendix B; RFC 7617 §2',
    url: 'https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1',
  },
  needs: 'basic',
  clientSecret: (ctx) => trickySecret(ctx.values.clientSecret().slice(-8)),
  async run(session) {
    const { ctx, server } = session;
    const connection = session.connection();
    try {
      await session.firstGrant(connection);
    } catch (error) {
      explainRefusedBasic(session);
      throw error;
    }
    await session.callApi(connection, 'the first API call');
    if (server.plan.refresh || ctx.manifest.capabilities.clientCredentials) {
      await renewThroughBasic(session, 'the API call after the renewal');
    }
    const plainGrants = Object.entries(server.plan.auth).filter(
      ([, auth]) => auth?.method === 'client_secret_basic' && auth.encoding === 'plain',
    );
    if (plainGrants.length === 0) return;
    // Plain Basic is the provider's documented decoding (the proxy emulated it). Against the
    // RFC-strict server as is, the same secret must fail with a typed error and lose nothing.
    ctx.note(
      `plain Basic (${plainGrants.map(([g]) => g).join(', ')}) passed through the proxy's raw decoding, as the provider documents; an RFC 6749 server refuses this secret`,
    );
    session.strictBasic();
    await reachExpiry(ctx, connection);
    const before = session.exchanges().length;
    let failure: unknown;
    try {
      await ctx.connector.getAccessToken(connection);
    } catch (error) {
      failure = error;
      ctx.observed.errors.push(error);
    }
    const attempt = session.exchanges()[before];
    check(
      attempt !== undefined && attempt.status !== 200,
      'the RFC-strict server accepted a plain Basic header whose secret holds "+" and "%": the kit could not provoke the mismatch',
      session.describeTraffic(),
    );
    const code = errorCode(failure);
    check(
      code === ErrorCode.InvalidClient || code === ErrorCode.OAuthError,
      `a plain Basic request refused by an RFC 6749 server must fail with ${ErrorCode.InvalidClient} or ${ErrorCode.OAuthError}; got ${failure === undefined ? 'success' : describeError(failure)}`,
      session.describeTraffic(),
    );
    const status = await ctx.connector.getStatus(connection);
    check(
      status.state !== 'reauthorization_required' && (!server.plan.refresh || status.hasRefreshToken),
      `a refused client authentication must not cost the grant (state ${status.state}, refresh token ${status.hasRefreshToken ? 'kept' : 'dropped'})`,
    );
    const message = failure instanceof Error ? failure.message : '';
    ctx.note(
      /rfc6749|encoding|codificaci/i.test(message)
        ? 'the error names the Basic encoding as the likely cause'
        : 'the error does not mention the Basic encoding (a person would look at the client id and secret instead)',
    );
  },
});
