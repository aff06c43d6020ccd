import nock from 'nock';
import type { AuthorizationResult, ConnectionInput } from '@aic/connector-core';
import type { ScenarioContext } from '../kit/context.js';
import { callProbe, probe } from '../kit/flows.js';
import { check, describeError, errorCode, expectResolved, fail } from '../kit/expect.js';
import type { ConsentDecision } from './authorization-server.js';
import type { ApiCall, TokenExchange } from './edge.js';
import type { InteropServer } from './servers.js';
import { browseAuthorization, type BrowsingResult } from './user-agent.js';

let clients = 0;

/** The scope tokens of a URL's `scope` parameter. */
export const scopeTokens = (url: URL): string[] =>
  (url.searchParams.get('scope') ?? '').split(' ').filter((s) => s !== '');

/** An authorization the kit drove through the real server. */
export interface InteropAuthorization {
  readonly url: URL;
  readonly browsing: BrowsingResult;
  readonly callback: URL;
}

/**
 * One interop scenario's view of the shared server: its own client (id, secret, redirect URI),
 * connections pointed at the loopback servers through the credentials' `endpoints` override, the
 * authorizations it drove, and the traffic of its client. Token values seen are tracked as the
 * scenario's secrets, so reports never show them.
 */
export class InteropSession {
  readonly ctx: ScenarioContext;
  readonly server: InteropServer;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly authorizations: InteropAuthorization[] = [];

  constructor(ctx: ScenarioContext, server: InteropServer, options: { clientSecret?: string } = {}) {
    this.ctx = ctx;
    this.server = server;
    clients += 1;
    this.clientId = `interop-${clients}-${ctx.scenarioId.replace(/[^a-z0-9]+/gi, '-')}`;
    this.clientSecret = options.clientSecret ?? ctx.values.clientSecret();
    ctx.secrets.add('client secret', this.clientSecret);
    const client = {
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      redirectUri: ctx.plan.redirectUri,
    };
    server.auth.registerClient(client);
    server.edge.addClient(client);
  }

  #connection: ConnectionInput | undefined;

  /** The session's connection (always the same object): this client, pointed at the loopback servers. */
  connection(): ConnectionInput {
    this.#connection ??= this.newConnection();
    return this.#connection;
  }

  /** Another connection of this session's client, pointed at the loopback servers. */
  newConnection(credentials: Readonly<Record<string, unknown>> = {}): ConnectionInput {
    const { auth, edge } = this.server;
    const wanted: Record<string, string> = {
      authorization: auth.authorizationEndpoint,
      token: edge.tokenEndpoint,
      apiBase: edge.apiBase,
    };
    const endpoints = Object.fromEntries(
      this.ctx.plan.overridableKeys.map((key) => [key, wanted[key] ?? '']),
    );
    return this.ctx.connection({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      endpoints,
      credentials,
    });
  }

  /** Strict mode for this client: Basic headers reach the RFC-strict server as sent. */
  strictBasic(): void {
    this.server.edge.addClient({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      strictBasic: true,
    });
  }

  /** Token exchanges of this client so far (values tracked as secrets). */
  exchanges(): TokenExchange[] {
    const list = this.server.edge.exchanges(this.clientId);
    for (const e of list) {
      this.ctx.secrets.add('access token', e.accessToken);
      this.ctx.secrets.add('refresh token', e.refreshToken);
      this.ctx.secrets.add('refresh token', e.refreshTokenPresented);
    }
    return list;
  }

  /** Resource calls made with this client's tokens. */
  calls(): ApiCall[] {
    const tokens = new Set(
      this.exchanges().flatMap((e) => (e.accessToken === undefined ? [] : [e.accessToken])),
    );
    return this.server.edge.calls(this.clientId, tokens);
  }

  /** Starts an authorization and walks the server's pages; returns where the browser was sent. */
  async browse(
    connection: ConnectionInput,
    decision: ConsentDecision = 'approve',
  ): Promise<InteropAuthorization> {
    const start = await expectResolved(
      this.ctx,
      this.ctx.connector.startAuthorization(connection),
      'startAuthorization',
    );
    const url = new URL(start.url);
    const browsing = await browseAuthorization(start.url, this.server.auth.issuer, decision);
    if (browsing.callback === undefined) {
      const error = browsing.error;
      fail(
        `the authorization server refused the authorization request: ${error?.error ?? 'no redirect'} (HTTP ${error?.status ?? 0})${error?.description === undefined || error.description === '' ? '' : `: ${error.description}`}`,
        [`authorization request parameters: ${[...url.searchParams.keys()].join(', ')}`],
      );
    }
    const code = browsing.callback.searchParams.get('code');
    if (code !== null) this.ctx.secrets.add('authorization code', code);
    const done = { url, browsing, callback: browsing.callback };
    this.authorizations.push(done);
    return done;
  }

  /**
   * The whole first grant: authorization code (browse, callback, exchange) or client credentials
   * (a token), checked against what the manifest declares. Fails with the cause when the server
   * issued no refresh token to a connector that declares refreshing.
   */
  async firstGrant(connection: ConnectionInput): Promise<AuthorizationResult | undefined> {
    if (!this.ctx.isAuthorizationCode) {
      await expectResolved(
        this.ctx,
        this.ctx.connector.getAccessToken(connection),
        'the first client credentials token',
      );
      return undefined;
    }
    const authorization = await this.browse(connection);
    let result: AuthorizationResult;
    try {
      result = await this.ctx.connector.completeAuthorization(connection, authorization.callback.href);
    } catch (error) {
      this.ctx.observed.errors.push(error);
      this.#explainNoRefreshToken(authorization, `completeAuthorization failed: ${describeError(error)}`);
      fail(`completeAuthorization failed: ${describeError(error)}`, this.describeTraffic());
    }
    this.#explainNoRefreshToken(
      authorization,
      'the connection holds no refresh token after the code exchange',
    );
    if (this.server.plan.refresh) {
      check(
        result.hasRefreshToken,
        'the connector reports no refresh token although the server issued one',
        this.describeTraffic(),
      );
    }
    return result;
  }

  /** Fails naming the cause when a refresh-declaring connector got no refresh token. */
  #explainNoRefreshToken(authorization: InteropAuthorization, what: string): void {
    if (!this.server.plan.refresh) return;
    const exchange = this.exchanges().find((e) => e.grantType === 'authorization_code' && e.status === 200);
    if (exchange === undefined || exchange.refreshToken !== undefined) return;
    const scopes = scopeTokens(authorization.url);
    const prompt = (authorization.url.searchParams.get('prompt') ?? '').split(' ');
    const exchangeScopes = (exchange.scope ?? '').split(' ');
    let cause: string;
    if (scopes.includes('openid') && !scopes.includes('offline_access')) {
      cause = exchangeScopes.includes('offline_access')
        ? 'the authorization request did not ask for offline_access — the connector sent it only in the code exchange’s scope, which an OpenID Connect server ignores: it decides on the authorization request’s scope (OIDC Core §11, RFC 6749 §4.1.3 has no scope)'
        : 'the authorization request did not ask for offline_access (OIDC Core §11)';
    } else if (scopes.includes('openid') && !prompt.includes('consent')) {
      cause =
        'the authorization request asked for offline_access without prompt=consent, which an OpenID Connect server must then ignore (OIDC Core §11)';
    } else {
      cause = 'the server issued none for this authorization request';
    }
    fail(`no refresh token: ${cause}; ${what}`, [
      `authorization request scope: "${scopes.join(' ')}", prompt: "${prompt.join(' ')}"`,
      `code exchange scope: "${exchange.scope ?? ''}"`,
      ...this.describeTraffic(),
    ]);
  }

  /** Makes the kit's authorized call (the validation probe, else a kit path) and expects 200. */
  async callApi(connection: ConnectionInput, what: string): Promise<void> {
    const response = await expectResolved(this.ctx, callProbe(this.ctx, connection), what);
    check(
      response.status === 200,
      `${what}: the protected resource answered HTTP ${response.status}, expected 200`,
      this.describeTraffic(),
    );
  }

  /** The client's token requests and resource calls, in order, in words without secrets. */
  describeTraffic(): string[] {
    const issued = new Map<string, number>();
    const lines: string[] = [];
    this.exchanges().forEach((e, i) => {
      const n = i + 1;
      if (e.refreshToken !== undefined) issued.set(e.refreshToken, n);
      const presented =
        e.refreshTokenPresented === undefined
          ? ''
          : `, presenting the refresh token of exchange #${issued.get(e.refreshTokenPresented) ?? '?'}`;
      const outcome =
        e.status === 200
          ? `200${e.refreshToken === undefined ? '' : ' with a refresh token'}`
          : `${e.status} ${e.error ?? ''}${e.errorDescription === undefined ? '' : ` (${e.errorDescription})`}`;
      lines.push(
        `token request #${n}: ${e.grantType ?? 'no grant_type'}, client authentication ${e.presented}${e.basic === undefined ? '' : ` (${e.basic})`}${e.translation === 'none' ? '' : `, translated by the proxy (${e.translation})`}${presented} → ${outcome}`,
      );
    });
    const path = probe(this.ctx.manifest).path;
    for (const call of this.calls()) {
      lines.push(
        `resource call ${call.method} ${call.path} (probe ${path}) → ${call.status} (token ${call.token})`,
      );
    }
    return lines;
  }

  /** The latest refresh token the server issued to this client. */
  latestRefreshToken(): string | undefined {
    return this.exchanges()
      .filter((e) => e.refreshToken !== undefined)
      .at(-1)?.refreshToken;
  }

  /** The latest access token the server issued to this client. */
  latestAccessToken(): string | undefined {
    return this.exchanges()
      .filter((e) => e.accessToken !== undefined)
      .at(-1)?.accessToken;
  }

  /** Expects `promise` to reject with one of `codes`; returns the error. */
  async expectRejected(promise: Promise<unknown>, what: string, codes: readonly string[]): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      this.ctx.observed.errors.push(error);
      const code = errorCode(error);
      check(
        error instanceof Error && code !== undefined && codes.includes(code),
        `${what} must fail with ${codes.join(' or ')}; it failed with ${describeError(error)}`,
        this.describeTraffic(),
      );
      return error;
    }
    return fail(`${what} must fail with ${codes.join(' or ')}; it succeeded`, this.describeTraffic());
  }
}

/**
 * Runs `body` with real loopback traffic: nock's interception is switched off while an interop
 * scenario talks to the servers (it intercepts every socket of the process), then switched on
 * again, as the rest of the catalogue expects.
 */
export async function withRealNetwork<T>(body: () => Promise<T>): Promise<T> {
  const active = nock.isActive();
  if (active) nock.restore();
  try {
    return await body();
  } finally {
    if (active) nock.activate();
  }
}
