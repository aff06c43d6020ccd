import { check, expectResolved, expectTokenRequests } from '../../kit/expect.js';
import {
  declaredTokenBody,
  expectedLifetimeMs,
  inDeclaredUnit,
  obtainToken,
  standardLifetimeSeconds,
} from '../../kit/flows.js';
import { defineScenario } from '../../scenario.js';
import { renewable } from '../applies.js';

/**
 * A token is used until its expiry minus the declared margin, then renewed — not before (wasted
 * calls, quota) and not after (a call with a token about to die). The kit issues a token whose
 * lifetime is at least twice the margin and probes 1 ms either side of the refresh moment.
 */
export const refreshMargin = defineScenario({
  id: 'refresh.margin',
  title: 'No renewal before expiry minus the declared margin; renewal at it',
  family: 'refresh',
  rule: { source: 'RFC 6749 §5.1 (expires_in), §6', url: 'https://www.rfc-editor.org/rfc/rfc6749#section-6' },
  appliesTo: renewable,
  async run(ctx) {
    const manifest = ctx.manifest;
    const lifetimeMs = expectedLifetimeMs(
      manifest,
      inDeclaredUnit(manifest, standardLifetimeSeconds(manifest)),
    );
    const marginMs = manifest.expiry.refreshMarginSeconds * 1000;
    check(
      lifetimeMs >= 2 * marginMs,
      `the declared refresh margin (${marginMs / 1000} s) is more than half the longest token lifetime the kit can issue (${lifetimeMs / 1000} s)`,
    );
    const connection = ctx.connection();
    const issuedAt = ctx.clock.now();
    const first = declaredTokenBody(ctx);
    await obtainToken(ctx, connection, first);
    const dueAt = issuedAt + lifetimeMs - marginMs;

    ctx.clock.set(dueAt - 1);
    const early = await expectResolved(
      ctx,
      ctx.connector.getAccessToken(connection),
      'getAccessToken 1 ms before the refresh moment',
    );
    expectTokenRequests(ctx, 1, `1 ms before expiry minus the margin (${marginMs / 1000} s)`);
    check(
      early.accessToken === first['access_token'],
      'before the refresh moment getAccessToken changed the token',
    );

    ctx.clock.set(dueAt);
    const next = declaredTokenBody(ctx);
    ctx.provider.token().reply(200, next);
    const renewed = await expectResolved(
      ctx,
      ctx.connector.getAccessToken(connection),
      'getAccessToken at the refresh moment',
    );
    expectTokenRequests(ctx, 2, 'at expiry minus the margin (one renewal)');
    check(
      renewed.accessToken === next['access_token'],
      'at the refresh moment getAccessToken did not return the renewed token',
    );
  },
});
