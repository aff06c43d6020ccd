import type { ConnectorManifest } from '@aic/connector-core';
import type { ScenarioContext } from '../../kit/context.js';
import { fail } from '../../kit/expect.js';
import { findLeaks } from '../../kit/hygiene.js';
import { planInterop, type InteropPlan } from '../../interop/plan.js';
import { acquireInteropServer } from '../../interop/servers.js';
import { InteropSession, scopeTokens, withRealNetwork } from '../../interop/session.js';
import { defineScenario, type RuleReference, type Scenario, type ScenarioSubject } from '../../scenario.js';

/** What an interop scenario needs from the connector, beyond overridable endpoints. */
export type InteropNeed = 'any' | 'authorization_code' | 'refresh_token' | 'basic';

export interface InteropScenarioDefinition {
  readonly id: string;
  readonly title: string;
  readonly rule: RuleReference;
  readonly needs: InteropNeed;
  /** A client secret for this scenario's client (default: a fresh kit secret). */
  readonly clientSecret?: ((ctx: ScenarioContext) => string) | undefined;
  /** Further applicability (after the `needs` check). */
  readonly appliesTo?: ((subject: ScenarioSubject, plan: InteropPlan) => true | string) | undefined;
  run(session: InteropSession): Promise<void>;
}

function needMet(manifest: ConnectorManifest, plan: InteropPlan, need: InteropNeed): true | string {
  const code = manifest.capabilities.authorizationCode;
  switch (need) {
    case 'any':
      return true;
    case 'authorization_code':
      return code || 'no authorization code grant (client credentials connector)';
    case 'refresh_token':
      if (!code) return 'client credentials: the server issues no refresh token (RFC 6749 §4.4.3)';
      return plan.refresh || 'the manifest declares no refresh grant';
    case 'basic':
      return (
        Object.values(plan.auth).some((a) => a?.method === 'client_secret_basic') ||
        'no token request declares HTTP Basic client authentication'
      );
  }
}

/** The scope tokens the connector asks for (its authorization URL; none for client credentials). */
async function requestedScopes(ctx: ScenarioContext): Promise<readonly string[]> {
  if (!ctx.isAuthorizationCode) return [];
  const start = await ctx.connector.startAuthorization(ctx.connection({ id: 'interop-scope-probe' }));
  return scopeTokens(new URL(start.url));
}

/**
 * An interop scenario: the connector against the certified authorization server on loopback
 * (one per connector and run, shared by the family), through its public contract only. It
 * applies when the credential schema lets a connection override the authorization, token and
 * API endpoints (how the kit points it at loopback) and the manifest declares what it needs.
 */
export function defineInteropScenario(definition: InteropScenarioDefinition): Scenario {
  return defineScenario({
    id: definition.id,
    title: definition.title,
    family: 'interop',
    rule: definition.rule,
    appliesTo(subject) {
      if (!subject.plan.overridden) {
        return 'the credential schema has no endpoints override (authorization, token, apiBase): the kit cannot point the connector at its loopback authorization server';
      }
      const plan = planInterop(subject.manifest);
      const met = needMet(subject.manifest, plan, definition.needs);
      if (met !== true) return met;
      return definition.appliesTo?.(subject, plan) ?? true;
    },
    run: (ctx) =>
      withRealNetwork(async () => {
        const { server, release } = await acquireInteropServer(ctx.target, ctx.manifest, () =>
          requestedScopes(ctx),
        );
        const session = new InteropSession(ctx, server, {
          ...(definition.clientSecret === undefined ? {} : { clientSecret: definition.clientSecret(ctx) }),
        });
        try {
          await definition.run(session);
        } finally {
          session.exchanges();
          release();
        }
        // The real server's tokens and codes are secrets too: none may show in logs, errors or outputs.
        const leaks = findLeaks(ctx);
        if (leaks.length > 0)
          fail(`a secret of the exchange with the real server leaked: ${leaks[0] ?? ''}`, leaks);
      }),
  });
}
