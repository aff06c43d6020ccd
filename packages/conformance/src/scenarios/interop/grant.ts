import { ErrorCode } from '@aic/connector-core';
import { check } from '../../kit/expect.js';
import { defineInteropScenario } from './define.js';

const OIDC = 'https://openid.net/specs/openid-connect-core-1_0.html#OfflineAccess';

export const interopFirstGrant = defineInteropScenario({
  id: 'interop.first-grant',
  title:
    'A certified server grants access: login and consent, code exchange (or client credentials), API call',
  rule: { source: 'RFC 6749 §4.1, §4.4, §5.1; OIDC Core §11; RFC 6750 §2.1', url: OIDC },
  needs: 'any',
  async run(session) {
    const { ctx } = session;
    const connection = session.connection();
    await session.firstGrant(connection);
    const exchanges = session.exchanges();
    const first = ctx.isAuthorizationCode ? 'authorization_code' : 'client_credentials';
    check(
      exchanges.length === 1 && exchanges[0]?.grantType === first && exchanges[0].status === 200,
      `the first grant must be one successful ${first} token request`,
      session.describeTraffic(),
    );
    await session.callApi(connection, 'the first API call');
    const calls = session.calls();
    check(
      calls.length === 1 && calls[0]?.token === 'valid',
      'the API call must carry the access token the server issued',
      session.describeTraffic(),
    );
  },
});

export const interopConsentDenied = defineInteropScenario({
  id: 'interop.consent-denied',
  title: 'The person denies consent at the server: access_denied, no token request, nothing stored',
  rule: { source: 'RFC 6749 §4.1.2.1', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1' },
  needs: 'authorization_code',
  async run(session) {
    const { ctx } = session;
    const connection = session.connection();
    const { callback } = await session.browse(connection, 'deny');
    check(
      callback.searchParams.get('error') === 'access_denied',
      'the server did not redirect back with error=access_denied',
    );
    await session.expectRejected(
      ctx.connector.completeAuthorization(connection, callback.href),
      'completing a denied authorization',
      [ErrorCode.AuthorizationDenied],
    );
    check(
      session.exchanges().length === 0,
      'a denied authorization must make no token request',
      session.describeTraffic(),
    );
    const status = await ctx.connector.getStatus(connection);
    check(
      status.state === 'not_authorized',
      `after a denied authorization the connection must stay not_authorized; it is ${status.state}`,
    );
  },
});

export const interopCodeReplay = defineInteropScenario({
  id: 'interop.code-replay',
  title: 'A replayed callback is refused locally; a used code in a new flow is refused by the server',
  rule: {
    source: 'RFC 6749 §4.1.2, §10.5; RFC 9700 §4.2.4',
    url: 'https://www.rfc-editor.org/rfc/rfc6749#section-10.5',
  },
  needs: 'authorization_code',
  async run(session) {
    const { ctx } = session;
    const connection = session.connection();
    await session.firstGrant(connection);
    const [first] = session.authorizations;
    if (first === undefined) throw new Error('no authorization recorded');
    // 1. The same callback again: refused before any token request (the code would reach the
    //    server a second time, and a certified server then revokes the grant it issued).
    await session.expectRejected(
      ctx.connector.completeAuthorization(connection, first.callback.href),
      'replaying the completed callback',
      [ErrorCode.StateMismatch, ErrorCode.StateExpired, ErrorCode.InvalidCallback],
    );
    check(
      session.exchanges().length === 1,
      'the replayed callback reached the token endpoint: the server took it as a replayed code and revoked the grant (RFC 6749 §4.1.2)',
      session.describeTraffic(),
    );
    await session.callApi(connection, 'the API call after the refused replay');
    // 2. A new flow whose callback carries the used code (code injection): the server refuses it.
    const start = await ctx.connector.startAuthorization(connection);
    const injected = new URL(first.callback.href);
    injected.searchParams.set('state', start.state);
    await session.expectRejected(
      ctx.connector.completeAuthorization(connection, injected.href),
      'exchanging an already used code',
      [ErrorCode.InvalidAuthorizationCode],
    );
    const last = session.exchanges().at(-1);
    check(
      session.exchanges().length === 2 &&
        last?.grantType === 'authorization_code' &&
        last.error === 'invalid_grant',
      'the used code must be sent once and refused by the server with invalid_grant',
      session.describeTraffic(),
    );
  },
});
