import type { ConnectionInput, DeclaredClientAuthentication } from '@aic/connector-core';
import type { ScenarioContext } from './context.js';
import { check, expectResolved, formOf } from './expect.js';
import { authorize, declaredTokenBody, obtainToken, reachExpiry, tokenBody } from './flows.js';
import type { RecordedRequest } from './provider-script.js';

/** The token requests a connector makes, by the manifest's names for them. */
export type GrantKind = 'codeExchange' | 'refresh' | 'clientCredentials';

/** One token request the kit provoked, and what it must carry. */
export interface GrantRequest {
  readonly kind: GrantKind;
  readonly request: RecordedRequest;
  /** The code the provider issued (code exchange only). */
  readonly code?: string | undefined;
  /** The refresh token the connector held (refresh only). */
  readonly refreshToken?: string | undefined;
}

const GRANT_TYPES: Readonly<Record<GrantKind, string>> = {
  codeExchange: 'authorization_code',
  refresh: 'refresh_token',
  clientCredentials: 'client_credentials',
};

/** The `grant_type` a kind of request carries. */
export const grantTypeOf = (kind: GrantKind): string => GRANT_TYPES[kind];

/** How the manifest says the client authenticates on a kind of request. */
export const declaredAuth = (
  ctx: ScenarioContext,
  kind: GrantKind,
): DeclaredClientAuthentication | undefined => ctx.manifest.clientAuthentication[kind];

/** The kinds of token request the connector makes, from its manifest. */
export function grantKinds(ctx: ScenarioContext): GrantKind[] {
  const first: GrantKind = ctx.isAuthorizationCode ? 'codeExchange' : 'clientCredentials';
  return ctx.manifest.capabilities.refreshToken ? [first, 'refresh'] : [first];
}

/**
 * Makes the connector send each kind of token request once for `connection`: its first grant
 * (code exchange or client credentials), then — when it refreshes — a refresh at expiry, with
 * the refresh token the first response issued.
 */
export async function exerciseGrants(
  ctx: ScenarioContext,
  connection: ConnectionInput,
): Promise<GrantRequest[]> {
  const refreshes = ctx.manifest.capabilities.refreshToken;
  const first = declaredTokenBody(ctx);
  const out: GrantRequest[] = [];
  if (ctx.isAuthorizationCode) {
    const { request, code } = await authorize(ctx, connection, first);
    out.push({ kind: 'codeExchange', request, code });
  } else {
    out.push({ kind: 'clientCredentials', request: await obtainToken(ctx, connection, first) });
  }
  if (!refreshes) return out;
  await reachExpiry(ctx, connection);
  ctx.provider.token().reply(200, tokenBody(ctx, {}, { refreshToken: true }));
  const before = ctx.provider.tokenRequests().length;
  await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'getAccessToken after expiry');
  const request = ctx.provider.tokenRequests()[before];
  check(request !== undefined, 'getAccessToken after expiry returned without renewing the token');
  const grantType = formOf(request).get('grant_type');
  check(
    grantType === 'refresh_token',
    `the connector holds a refresh token but renewed with grant_type=${grantType ?? '(none)'} instead of refresh_token`,
  );
  out.push({ kind: 'refresh', request, refreshToken: String(first['refresh_token']) });
  return out;
}
