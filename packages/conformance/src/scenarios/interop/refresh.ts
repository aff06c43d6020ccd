import { ErrorCode } from '@aic/connector-core';
import { expectedBasicHeader } from '../../kit/basic.js';
import { check, fail } from '../../kit/expect.js';
import { reachExpiry } from '../../kit/flows.js';
import type { InteropSession } from '../../interop/session.js';
import { defineInteropScenario } from './define.js';

const ROTATIONS = 5;
const RFC9700 = 'https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2';

/** What went wrong with refresh number `n` (1-based), when the server refused it. */
function explainRefresh(session: InteropSession): string | undefined {
  const exchanges = session.exchanges();
  const issuedBy = new Map<string, number>();
  for (const [i, e] of exchanges.entries()) {
    const presented = e.refreshTokenPresented;
    if (e.grantType === 'refresh_token' && e.status !== 200 && presented !== undefined) {
      const from = issuedBy.get(presented);
      const rotatedAt = exchanges.findIndex(
        (x, j) => j < i && x.refreshTokenPresented === presented && x.status === 200,
      );
      if (rotatedAt >= 0) {
        return `token request #${i + 1} presented the refresh token issued by #${from ?? '?'}, which the server had already rotated at #${rotatedAt + 1}: it took that as a stolen refresh token and revoked the grant (RFC 9700 §4.14.2) — the connector must store and use the refresh token of every refresh response`;
      }
      return `token request #${i + 1} (refresh) was refused: ${e.error ?? e.status}${e.errorDescription === undefined ? '' : ` (${e.errorDescription})`}`;
    }
    if (e.refreshToken !== undefined) issuedBy.set(e.refreshToken, i + 1);
  }
  return undefined;
}

/** The connector renews at expiry: the API call after the kit's clock passes it succeeds. */
async function renewAtExpiry(session: InteropSession, n: number): Promise<void> {
  const connection = session.connection();
  await reachExpiry(session.ctx, connection);
  try {
    await session.callApi(connection, `the API call after expiry #${n}`);
  } catch (error) {
    const cause = explainRefresh(session);
    if (cause !== undefined) fail(`renewal #${n} failed: ${cause}`, session.describeTraffic());
    throw error;
  }
}

export const interopRefreshRotation = defineInteropScenario({
  id: 'interop.refresh-rotation',
  title: `Expiry and renewal ×${ROTATIONS} against a server that rotates the refresh token on every use`,
  rule: { source: 'RFC 6749 §6; RFC 9700 §4.14.2 (rotation, reuse detection)', url: RFC9700 },
  needs: 'any',
  appliesTo: ({ manifest }, plan) =>
    plan.refresh || manifest.capabilities.clientCredentials || 'the connector cannot renew an access token',
  async run(session) {
    await session.firstGrant(session.connection());
    await session.callApi(session.connection(), 'the first API call');
    for (let n = 1; n <= ROTATIONS; n += 1) await renewAtExpiry(session, n);
    const exchanges = session.exchanges();
    const renewal = session.server.plan.refresh ? 'refresh_token' : 'client_credentials';
    const renewals = exchanges.slice(1);
    check(
      renewals.length === ROTATIONS && renewals.every((e) => e.grantType === renewal && e.status === 200),
      `expected exactly ${ROTATIONS} successful ${renewal} requests, one per expiry`,
      session.describeTraffic(),
    );
    if (renewal === 'refresh_token') {
      for (let i = 1; i < exchanges.length; i += 1) {
        check(
          exchanges[i]?.refreshTokenPresented === exchanges[i - 1]?.refreshToken,
          `refresh #${i} did not present the refresh token the previous response issued`,
          session.describeTraffic(),
        );
      }
    }
    check(
      session.calls().every((c) => c.token === 'valid'),
      'every API call must carry a token the server honours',
      session.describeTraffic(),
    );
  },
});

/** The kit, as an attacker holding a copy, replays a refresh token at the server itself. */
async function replayAtServer(session: InteropSession, refreshToken: string): Promise<number> {
  const { auth, plan } = session.server;
  const body = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (plan.registeredMethod === 'client_secret_basic') {
    headers['authorization'] = expectedBasicHeader(session.clientId, session.clientSecret, 'rfc6749');
  } else {
    body.set('client_id', session.clientId);
    if (plan.registeredMethod === 'client_secret_post') body.set('client_secret', session.clientSecret);
  }
  const response = await fetch(auth.tokenEndpoint, { method: 'POST', headers, body: body.toString() });
  await response.body?.cancel();
  return response.status;
}

/** After the grant is gone at the server: one refresh attempt, reauthorization, then no calls. */
async function expectReauthorizationWithoutLoop(session: InteropSession, why: string): Promise<void> {
  const { ctx } = session;
  const connection = session.connection();
  const before = session.exchanges().length;
  const beforeCalls = session.calls().length;
  await reachExpiry(ctx, connection);
  await session.expectRejected(
    ctx.connector.request(connection, { method: 'GET', path: '/interop/after-revocation' }),
    `the API call after ${why}`,
    [ErrorCode.ReauthorizationRequired],
  );
  const attempts = session.exchanges().slice(before);
  check(
    attempts.length === 1 &&
      attempts[0]?.grantType === 'refresh_token' &&
      attempts[0].error === 'invalid_grant',
    `after ${why} the connector must try exactly one refresh (refused with invalid_grant); it made ${attempts.length} token request(s)`,
    session.describeTraffic(),
  );
  check(
    session.calls().length === beforeCalls,
    `after ${why} no API call may be made with a dead grant`,
    session.describeTraffic(),
  );
  const status = await ctx.connector.getStatus(connection);
  check(
    status.state === 'reauthorization_required',
    `the connection must be reauthorization_required after ${why}; it is ${status.state}`,
  );
  await session.expectRejected(ctx.connector.getAccessToken(connection), 'a later getAccessToken', [
    ErrorCode.ReauthorizationRequired,
  ]);
  check(
    session.exchanges().length === before + 1,
    'a connection that needs reauthorization must not call the token endpoint again (no loop)',
    session.describeTraffic(),
  );
}

export const interopReuseDetection = defineInteropScenario({
  id: 'interop.reuse-detection',
  title: 'A rotated refresh token replayed by someone else revokes the grant: reauthorization, no loop',
  rule: { source: 'RFC 9700 §4.14.2; RFC 6749 §5.2', url: RFC9700 },
  needs: 'refresh_token',
  async run(session) {
    const { ctx } = session;
    const connection = session.connection();
    await session.firstGrant(connection);
    const original = session.latestRefreshToken();
    await reachExpiry(ctx, connection);
    await session.callApi(connection, 'the API call after the first expiry');
    if (original === undefined || session.latestRefreshToken() === original) {
      fail('the server did not rotate the refresh token on the first refresh', session.describeTraffic());
    }
    const status = await replayAtServer(session, original);
    check(status === 400, `the server must refuse the replayed refresh token (got HTTP ${status})`);
    await expectReauthorizationWithoutLoop(session, 'the server revoked the grant on reuse');
  },
});

export const interopAccessTokenRevoked = defineInteropScenario({
  id: 'interop.access-token-revoked',
  title: 'An access token revoked at the server: the API answers 401, one renewal, one retry',
  rule: { source: 'RFC 6750 §3.1; RFC 7009 §2.1', url: 'https://www.rfc-editor.org/rfc/rfc6750#section-3.1' },
  needs: 'any',
  appliesTo: ({ manifest }, plan) =>
    plan.refresh || manifest.capabilities.clientCredentials || 'the connector cannot renew an access token',
  async run(session) {
    const connection = session.connection();
    await session.firstGrant(connection);
    const token = session.latestAccessToken();
    check(
      token !== undefined && (await session.server.auth.revokeAccessToken(token)),
      'the kit could not revoke the access token',
    );
    const before = session.exchanges().length;
    await session.callApi(connection, 'the API call with a revoked access token');
    const calls = session.calls();
    check(
      calls.length === 2 && calls[0]?.status === 401 && calls[1]?.status === 200,
      `expected exactly two API calls (401, then 200 after one renewal); saw ${calls.map((c) => c.status).join(', ')}`,
      session.describeTraffic(),
    );
    check(
      session.exchanges().length === before + 1,
      `the 401 must lead to exactly one renewal; there were ${session.exchanges().length - before}`,
      session.describeTraffic(),
    );
  },
});

export const interopRefreshTokenRevoked = defineInteropScenario({
  id: 'interop.refresh-token-revoked',
  title: 'A refresh token revoked at the server: 401, one refresh refused, reauthorization required, no loop',
  rule: {
    source: 'RFC 7009 §2.1; RFC 6749 §5.2, §6',
    url: 'https://www.rfc-editor.org/rfc/rfc7009#section-2.1',
  },
  needs: 'refresh_token',
  async run(session) {
    const { ctx } = session;
    const connection = session.connection();
    await session.firstGrant(connection);
    const refreshToken = session.latestRefreshToken();
    check(
      refreshToken !== undefined && (await session.server.auth.revokeRefreshToken(refreshToken)),
      'the kit could not revoke the refresh token',
    );
    const before = session.exchanges().length;
    await session.expectRejected(
      ctx.connector.request(connection, { method: 'GET', path: '/interop/after-revocation' }),
      'the API call after the grant was revoked',
      [ErrorCode.ReauthorizationRequired],
    );
    const calls = session.calls();
    const attempts = session.exchanges().slice(before);
    check(
      calls.length === 1 && calls[0]?.status === 401,
      `expected exactly one API call (401); saw ${calls.length}`,
      session.describeTraffic(),
    );
    check(
      attempts.length === 1 &&
        attempts[0]?.grantType === 'refresh_token' &&
        attempts[0].error === 'invalid_grant',
      `the 401 must lead to exactly one refresh, refused with invalid_grant; there were ${attempts.length} token requests`,
      session.describeTraffic(),
    );
    await session.expectRejected(ctx.connector.getAccessToken(connection), 'a later getAccessToken', [
      ErrorCode.ReauthorizationRequired,
    ]);
    check(
      session.exchanges().length === before + 1,
      'a connection that needs reauthorization must not call the token endpoint again (no loop)',
      session.describeTraffic(),
    );
  },
});
