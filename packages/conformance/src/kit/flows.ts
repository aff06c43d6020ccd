import type {
  ApiResponse,
  AuthorizationResult,
  AuthorizationStart,
  ConnectionInput,
  ConnectorManifest,
} from '@aic/connector-core';
import type nock from 'nock';
import type { ScenarioContext } from './context.js';
import { check, expectResolved, fail } from './expect.js';
import type { RecordedRequest } from './provider-script.js';

/** A started authorization, and how to build the provider's redirect back. */
export interface StartedFlow {
  readonly start: AuthorizationStart;
  readonly url: URL;
  readonly state: string;
  /** The `redirect_uri` of the authorization URL. */
  readonly redirectUri: string;
  /** The URL the provider redirects the browser to, with these query parameters appended. */
  callback(params: Readonly<Record<string, string | readonly string[]>>): string;
}

/** Starts an authorization and reads its URL. */
export async function startFlow(ctx: ScenarioContext, connection: ConnectionInput): Promise<StartedFlow> {
  const start = await expectResolved(ctx, ctx.connector.startAuthorization(connection), 'startAuthorization');
  check(URL.canParse(start.url), 'startAuthorization returned a URL that does not parse');
  const url = new URL(start.url);
  const redirectUri = url.searchParams.get('redirect_uri');
  check(
    redirectUri !== null && URL.canParse(redirectUri),
    'the authorization URL has no absolute redirect_uri',
  );
  return {
    start,
    url,
    state: start.state,
    redirectUri,
    callback(params) {
      const back = new URL(redirectUri);
      for (const [name, value] of Object.entries(params)) {
        for (const item of typeof value === 'string' ? [value] : value) back.searchParams.append(name, item);
      }
      return back.href;
    },
  };
}

/** The access token lifetime the kit issues: one hour, or the connector's cap when lower (s). */
export function standardLifetimeSeconds(manifest: ConnectorManifest): number {
  return Math.min(3600, manifest.expiry.maxLifetimeSeconds ?? Number.POSITIVE_INFINITY);
}

/** `seconds` written in the unit the connector declares for `expires_in`. */
export function inDeclaredUnit(manifest: ConnectorManifest, seconds: number): number {
  return manifest.expiry.expiresInUnit === 'milliseconds' ? seconds * 1000 : seconds;
}

/**
 * The lifetime (ms) the kit expects from `expires_in` (in the declared unit; absent means the
 * declared default), capped by the declared maximum. Written independently of core.
 */
export function expectedLifetimeMs(manifest: ConnectorManifest, expiresIn: number | undefined): number {
  const { expiresInUnit, defaultLifetimeSeconds, maxLifetimeSeconds } = manifest.expiry;
  const seconds =
    expiresIn === undefined
      ? defaultLifetimeSeconds
      : expiresInUnit === 'milliseconds'
        ? expiresIn / 1000
        : expiresIn;
  return Math.floor(Math.min(seconds, maxLifetimeSeconds ?? Number.POSITIVE_INFINITY) * 1000);
}

/**
 * A successful token response (RFC 6749 §5.1) with fresh kit tokens. Authorization code grants
 * get a refresh token unless told otherwise. `overrides` replace fields; `undefined` removes one.
 */
export function tokenBody(
  ctx: ScenarioContext,
  overrides: Readonly<Record<string, unknown>> = {},
  options: { refreshToken?: boolean } = {},
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    access_token: ctx.values.accessToken(),
    token_type: 'Bearer',
    expires_in: inDeclaredUnit(ctx.manifest, standardLifetimeSeconds(ctx.manifest)),
  };
  if (options.refreshToken ?? ctx.isAuthorizationCode) body['refresh_token'] = ctx.values.refreshToken();
  return Object.fromEntries(
    Object.entries({ ...body, ...overrides }).filter(([, value]) => value !== undefined),
  );
}

/**
 * {@link tokenBody} with a refresh token exactly when the manifest declares the refresh grant:
 * what the kit issues when a scenario will renew the token with whichever grant the connector uses.
 */
export const declaredTokenBody = (
  ctx: ScenarioContext,
  overrides: Readonly<Record<string, unknown>> = {},
): Record<string, unknown> =>
  tokenBody(ctx, overrides, { refreshToken: ctx.manifest.capabilities.refreshToken });

/** Runs a whole authorization: start, provider redirect with a fresh code, scripted exchange. */
export async function authorize(
  ctx: ScenarioContext,
  connection: ConnectionInput,
  body: Record<string, unknown> = tokenBody(ctx),
): Promise<{ flow: StartedFlow; code: string; result: AuthorizationResult; request: RecordedRequest }> {
  const flow = await startFlow(ctx, connection);
  const code = ctx.values.authorizationCode();
  ctx.provider.token().reply(200, body);
  const before = ctx.provider.tokenRequests().length;
  const result = await expectResolved(
    ctx,
    ctx.connector.completeAuthorization(connection, flow.callback({ code, state: flow.state })),
    'completeAuthorization',
  );
  const request = ctx.provider.tokenRequests()[before];
  check(request !== undefined, 'completeAuthorization succeeded without a token request');
  return { flow, code, result, request };
}

/**
 * Gets a connection its first tokens with the connector's grant: an authorization for
 * authorization code connectors, a `getAccessToken` (client credentials) otherwise.
 */
export async function obtainToken(
  ctx: ScenarioContext,
  connection: ConnectionInput,
  body: Record<string, unknown> = tokenBody(ctx),
): Promise<RecordedRequest> {
  if (ctx.isAuthorizationCode) return (await authorize(ctx, connection, body)).request;
  ctx.provider.token().reply(200, body);
  const before = ctx.provider.tokenRequests().length;
  await expectResolved(ctx, ctx.connector.getAccessToken(connection), 'getAccessToken');
  const request = ctx.provider.tokenRequests()[before];
  check(request !== undefined, 'getAccessToken returned a token without a token request');
  return request;
}

/** The grant a renewal uses: refresh when a refresh token is held, else client credentials. */
export function renewalGrant(holdsRefreshToken: boolean): 'refresh_token' | 'client_credentials' {
  return holdsRefreshToken ? 'refresh_token' : 'client_credentials';
}

/** True when the connector can renew a connection's access token without a person. */
export const canRenew = (manifest: ConnectorManifest): boolean =>
  manifest.capabilities.refreshToken || manifest.capabilities.clientCredentials;

/** Moves the clock to the stored access token's expiry, past any refresh margin. */
export async function reachExpiry(ctx: ScenarioContext, connection: ConnectionInput): Promise<void> {
  const record = await ctx.store.get(ctx.storeKey(connection));
  const expiresAt = record?.tokens?.expiresAt;
  if (expiresAt === undefined)
    fail('the token store holds no access token for the connection after it got one');
  ctx.clock.set(Math.max(ctx.clock.now(), expiresAt));
}

/** The authorized call the kit makes: the manifest's validation probe, else a kit path. */
export function probe(manifest: ConnectorManifest): {
  method: string;
  path: string;
  query?: Readonly<Record<string, string>> | undefined;
} {
  return manifest.validation ?? { method: 'GET', path: '/conformance/probe' };
}

/** Scripts the next probe call on the provider. */
export function scriptProbe(ctx: ScenarioContext): nock.Interceptor {
  const call = probe(ctx.manifest);
  return ctx.provider.api(call.method, call.path);
}

/** Makes the probe call through `connector.request`. */
export function callProbe(ctx: ScenarioContext, connection: ConnectionInput): Promise<ApiResponse> {
  const call = probe(ctx.manifest);
  return ctx.connector.request(connection, { method: call.method, path: call.path, query: call.query });
}
