import { generateKeyPair, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type ClientMetadata, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { InteropStore } from './adapter.js';
import type { InteropPlan } from './plan.js';

/** The one account every interop authorization logs in as. */
export const INTEROP_ACCOUNT = 'interop-user';

/** What the kit's user agent decides at the server's consent page. */
export type ConsentDecision = 'approve' | 'deny';

/** A client the kit registers for one scenario. */
export interface InteropClient {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly redirectUri: string | undefined;
}

/** A token as the authorization server knows it (never its value). */
export interface TokenFacts {
  readonly clientId: string;
  readonly scope: string | undefined;
  readonly grantId: string | undefined;
}

let signingKey: Promise<Record<string, unknown>> | undefined;

/** One RSA key per process for id_tokens (generating it costs ~100 ms; every server shares it). */
function idTokenSigningKey(): Promise<Record<string, unknown>> {
  signingKey ??= new Promise((resolve, reject) =>
    generateKeyPair('rsa', { modulusLength: 2048 }, (error, _publicKey, privateKey) => {
      if (error !== null) reject(error);
      else
        resolve({ ...privateKey.export({ format: 'jwk' }), kid: 'interop-rs256', use: 'sig', alg: 'RS256' });
    }),
  );
  return signingKey;
}

const json = (res: ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  res.end(JSON.stringify(body));
};

/**
 * panva's `oidc-provider` — a certified OpenID Provider — on a loopback port, configured from an
 * {@link InteropPlan} (itself derived from the connector's manifest): the grant, the client
 * authentication method the clients are registered with, PKCE, refresh tokens with rotation on
 * every use (a replayed rotated refresh token revokes the whole grant, as does a replayed code),
 * revocation, and the interaction pages (login, consent) answered by the kit's user agent over
 * plain HTTP: `GET /interaction/:uid` describes the prompt, `POST /interaction/:uid/approve` or
 * `/deny` answers it.
 */
export class AuthorizationServer {
  readonly issuer: string;
  readonly provider: Provider;
  readonly #server: Server;
  readonly #store: InteropStore;
  readonly #plan: InteropPlan;

  private constructor(
    issuer: string,
    provider: Provider,
    server: Server,
    store: InteropStore,
    plan: InteropPlan,
  ) {
    this.issuer = issuer;
    this.provider = provider;
    this.#server = server;
    this.#store = store;
    this.#plan = plan;
  }

  /** Starts a server on 127.0.0.1 (a free port). */
  static async start(plan: InteropPlan): Promise<AuthorizationServer> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const issuer = `http://127.0.0.1:${port}`;
    const store = new InteropStore();
    const provider = new Provider(issuer, await configuration(plan, store));
    const instance = new AuthorizationServer(issuer, provider, server, store, plan);
    const handle = provider.callback();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', issuer);
      if (url.pathname.startsWith('/interaction/')) {
        instance.#interaction(req, res, url).catch((error: unknown) => {
          json(res, 500, { error: 'server_error', error_description: String((error as Error).message) });
        });
        return;
      }
      handle(req, res);
    });
    return instance;
  }

  get authorizationEndpoint(): string {
    return `${this.issuer}/auth`;
  }

  get tokenEndpoint(): string {
    return `${this.issuer}/token`;
  }

  /** Registers a client for one scenario (its own id and secret). */
  registerClient(client: InteropClient): void {
    const plan = this.#plan;
    const code = plan.grant === 'authorization_code';
    const metadata: ClientMetadata = {
      client_id: client.clientId,
      client_secret: client.clientSecret,
      token_endpoint_auth_method: plan.registeredMethod,
      grant_types: code
        ? ['authorization_code', ...(plan.refresh ? ['refresh_token'] : [])]
        : ['client_credentials'],
      response_types: code ? ['code'] : [],
      redirect_uris: code && client.redirectUri !== undefined ? [client.redirectUri] : [],
    };
    this.#store.putClient(metadata as ClientMetadata & { client_id: string });
  }

  /** An access token (or client credentials token) the server still honours, or undefined. */
  async findAccessToken(value: string): Promise<TokenFacts | undefined> {
    const token =
      (await this.provider.AccessToken.find(value)) ?? (await this.provider.ClientCredentials.find(value));
    if (token === undefined || token.isExpired) return undefined;
    return {
      clientId: token.clientId ?? '',
      scope: token.scope,
      grantId: 'grantId' in token ? (token.grantId as string | undefined) : undefined,
    };
  }

  /** Revokes one access token server-side (RFC 7009 semantics: the grant stays). */
  async revokeAccessToken(value: string): Promise<boolean> {
    const token =
      (await this.provider.AccessToken.find(value)) ?? (await this.provider.ClientCredentials.find(value));
    if (token === undefined) return false;
    await token.destroy();
    return true;
  }

  /** Revokes a refresh token and with it its whole grant (every token issued under it). */
  async revokeRefreshToken(value: string): Promise<boolean> {
    const token = await this.provider.RefreshToken.find(value, { ignoreExpiration: true });
    if (token === undefined) return false;
    await token.destroy();
    if (token.grantId !== undefined) await this.revokeGrant(token.grantId);
    return true;
  }

  /** Revokes a grant: the grant itself and every code and token issued under it. */
  async revokeGrant(grantId: string): Promise<void> {
    await this.#store.factory('Grant').revokeByGrantId(grantId);
    const grant = await this.provider.Grant.find(grantId);
    await grant?.destroy();
  }

  /**
   * The interaction pages. `GET` describes the pending prompt (what a login or consent page
   * shows); `POST …/approve` logs in or consents (granting every scope the prompt asks for);
   * `POST …/deny` answers `access_denied`.
   */
  async #interaction(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const details = await this.provider.interactionDetails(req, res);
    const action = url.pathname.split('/')[3];
    if (req.method === 'GET' && action === undefined) {
      json(res, 200, {
        uid: details.uid,
        prompt: details.prompt.name,
        reasons: details.prompt.reasons,
        scope: details.params['scope'] ?? null,
        requestedPrompt: details.params['prompt'] ?? null,
        missingScope: (details.prompt.details['missingOIDCScope'] as string[] | undefined) ?? [],
      });
      return;
    }
    if (req.method !== 'POST' || (action !== 'approve' && action !== 'deny')) {
      json(res, 405, { error: 'invalid_request' });
      return;
    }
    if (action === 'deny') {
      await this.provider.interactionFinished(
        req,
        res,
        { error: 'access_denied', error_description: 'End-User denied the request' },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    if (details.prompt.name === 'login') {
      await this.provider.interactionFinished(
        req,
        res,
        { login: { accountId: INTEROP_ACCOUNT } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    const clientId = String(details.params['client_id']);
    const grant =
      details.grantId === undefined
        ? new this.provider.Grant({ accountId: INTEROP_ACCOUNT, clientId })
        : ((await this.provider.Grant.find(details.grantId)) ??
          new this.provider.Grant({ accountId: INTEROP_ACCOUNT, clientId }));
    const missing = details.prompt.details['missingOIDCScope'];
    if (Array.isArray(missing)) grant.addOIDCScope(missing.join(' '));
    const missingClaims = details.prompt.details['missingOIDCClaims'];
    if (Array.isArray(missingClaims)) grant.addOIDCClaims(missingClaims as string[]);
    const grantId = await grant.save();
    await this.provider.interactionFinished(
      req,
      res,
      { consent: { grantId } },
      { mergeWithLastSubmission: true },
    );
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

async function configuration(plan: InteropPlan, store: InteropStore): Promise<Configuration> {
  const ttl = plan.accessTokenTtlSeconds;
  return {
    adapter: store.factory,
    // Statically configured clients: none. Every scenario registers its own through the adapter.
    clients: [],
    findAccount: (_ctx: KoaContextWithOIDC, sub: string) =>
      Promise.resolve({ accountId: sub, claims: () => Promise.resolve({ sub }) }),
    jwks: { keys: [(await idTokenSigningKey()) as never] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access', ...plan.scopes],
    responseTypes: ['code'],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    pkce: { required: () => plan.pkce },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      clientCredentials: { enabled: plan.grant === 'client_credentials' },
      rpInitiatedLogout: { enabled: false },
    },
    // Rotate on every use; oidc-provider revokes the grant when a consumed one comes back.
    rotateRefreshToken: true,
    /**
     * OpenID Connect requests (scope `openid`) follow OIDC Core §11: a refresh token only when the
     * authorization request asked for `offline_access` (which the server keeps only with
     * `prompt=consent`). A plain OAuth 2.0 request gets one whenever the client may refresh.
     */
    issueRefreshToken: (_ctx, client, code) =>
      Promise.resolve(
        client.grantTypeAllowed('refresh_token') &&
          (code.scopes.has('openid') ? code.scopes.has('offline_access') : true),
      ),
    expiresWithSession: () => Promise.resolve(false),
    ttl: {
      AccessToken: ttl,
      ClientCredentials: ttl,
      AuthorizationCode: 120,
      RefreshToken: 30 * 86_400,
      Grant: 30 * 86_400,
      Interaction: 600,
      Session: 3600,
      IdToken: 3600,
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => {
      ctx.type = 'application/json';
      ctx.body = out;
      return Promise.resolve();
    },
  };
}
