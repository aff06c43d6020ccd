import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';
import { escapeHtml } from '@aic/console';

/** oidc-provider's storage, in memory (its own default prints a warning). */
class MemoryAdapter implements Adapter {
  static readonly #entries = new Map<string, { payload: AdapterPayload; expiresAt: number | undefined }>();
  readonly #name: string;

  constructor(name: string) {
    this.#name = name;
  }

  #key = (id: string) => `${this.#name}:${id}`;

  #live(key: string): AdapterPayload | undefined {
    const entry = MemoryAdapter.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      MemoryAdapter.#entries.delete(key);
      return undefined;
    }
    return entry.payload;
  }

  upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    MemoryAdapter.#entries.set(this.#key(id), {
      payload,
      expiresAt: expiresIn === undefined ? undefined : Date.now() + expiresIn * 1000,
    });
    return Promise.resolve();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return Promise.resolve(this.#live(this.#key(id)));
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    for (const key of MemoryAdapter.#entries.keys()) {
      const payload = key.startsWith(`${this.#name}:`) ? this.#live(key) : undefined;
      if (payload?.uid === uid) return Promise.resolve(payload);
    }
    return Promise.resolve(undefined);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    for (const key of MemoryAdapter.#entries.keys()) {
      const payload = key.startsWith(`${this.#name}:`) ? this.#live(key) : undefined;
      if (payload?.userCode === userCode) return Promise.resolve(payload);
    }
    return Promise.resolve(undefined);
  }

  consume(id: string): Promise<void> {
    const payload = this.#live(this.#key(id));
    if (payload !== undefined) payload.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }

  destroy(id: string): Promise<void> {
    MemoryAdapter.#entries.delete(this.#key(id));
    return Promise.resolve();
  }

  revokeByGrantId(grantId: string): Promise<void> {
    for (const [key, entry] of MemoryAdapter.#entries) {
      if (entry.payload.grantId === grantId) MemoryAdapter.#entries.delete(key);
    }
    return Promise.resolve();
  }
}

export interface HpLikeServerOptions {
  /** The console's callback, registered for the client. */
  readonly redirectUri: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Accounts that may sign in at the provider: name → password. */
  readonly accounts: Readonly<Record<string, string>>;
}

const page = (title: string, body: string): string =>
  `<!doctype html><html lang="es"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
  `<body style="font-family:sans-serif;max-width:28em;margin:3em auto"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;

async function readForm(request: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of request as AsyncIterable<Buffer>) body += chunk.toString('utf8');
  return new URLSearchParams(body);
}

/**
 * A real, certified OpenID Provider (panva's `oidc-provider`) configured the way HP TechPulse
 * behaves for the connector: authorization code without PKCE, `client_secret_post` on the code
 * exchange, scope `Read` (an API scope, no `openid`), opaque access tokens whose `expires_in` is
 * 1799999 — HP's number, which the connector reads as milliseconds (30 minutes) — and a refresh
 * token. Its login and consent pages are served here; a small resource server on another
 * loopback port answers HP's probe path (`/analytics/v1/identity/tenants`) for access tokens the
 * provider issued with scope `Read` for that API.
 *
 * `denyDescription` is what the consent page's "Deny" sends back as `error_description`.
 */
export class HpLikeAuthorizationServer {
  denyDescription = 'The user declined.';
  readonly #server: Server;
  readonly #api: Server;
  #provider: Provider | undefined;
  #accounts: Readonly<Record<string, string>> = {};
  issuer = '';
  apiOrigin = '';
  /** Access tokens the resource server accepted / refused (counts only). */
  readonly probes = { accepted: 0, refused: 0 };

  private constructor() {
    this.#server = createServer((request, response) => void this.#serve(request, response));
    this.#api = createServer((request, response) => void this.#serveApi(request, response));
  }

  static async start(options: HpLikeServerOptions): Promise<HpLikeAuthorizationServer> {
    const server = new HpLikeAuthorizationServer();
    await new Promise<void>((resolve) => server.#server.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => server.#api.listen(0, '127.0.0.1', resolve));
    server.issuer = `http://127.0.0.1:${(server.#server.address() as AddressInfo).port}`;
    server.apiOrigin = `http://127.0.0.1:${(server.#api.address() as AddressInfo).port}`;
    const resource = `${server.apiOrigin}/`;
    const signing = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    server.#provider = new Provider(server.issuer, {
      adapter: MemoryAdapter,
      jwks: { keys: [{ ...signing, kid: 'test', use: 'sig', alg: 'ES256' }] },
      cookies: { keys: [randomBytes(32).toString('base64url')] },
      clients: [
        {
          client_id: options.clientId,
          client_secret: options.clientSecret,
          redirect_uris: [options.redirectUri],
          token_endpoint_auth_method: 'client_secret_post',
          id_token_signed_response_alg: 'ES256',
          grant_types: ['authorization_code', 'refresh_token'],
          response_types: ['code'],
        },
      ],
      pkce: { required: () => false },
      scopes: ['openid', 'offline_access'],
      issueRefreshToken: (_ctx, client) => Promise.resolve(client.grantTypeAllowed('refresh_token')),
      features: {
        devInteractions: { enabled: false },
        resourceIndicators: {
          enabled: true,
          defaultResource: () => Promise.resolve(resource),
          useGrantedResource: () => Promise.resolve(true),
          getResourceServerInfo: () =>
            Promise.resolve({
              scope: 'Read',
              accessTokenTTL: 1_799_999,
              accessTokenFormat: 'opaque' as const,
            }),
        },
      },
      ttl: {
        AccessToken: 1_799_999,
        Interaction: 600,
        Session: 3600,
        Grant: 3600,
        AuthorizationCode: 60,
        RefreshToken: 86_400,
      },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      findAccount: (_ctx, id) =>
        Promise.resolve({ accountId: id, claims: () => Promise.resolve({ sub: id }) }),
    });
    server.#accounts = options.accounts;
    return server;
  }

  /** HP-shaped endpoints of this server, for a connection's `endpoints` override. */
  endpoints(): { authorization: string; token: string; apiBase: string } {
    return { authorization: `${this.issuer}/auth`, token: `${this.issuer}/token`, apiBase: this.apiOrigin };
  }

  async #serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const provider = this.#provider!;
    const url = new URL(request.url ?? '/', this.issuer);
    const match = /^\/interaction\/([^/]+)(?:\/(login|confirm|abort))?$/.exec(url.pathname);
    if (match === null) {
      provider.callback()(request, response);
      return;
    }
    try {
      const details = await provider.interactionDetails(request, response);
      const uid = escapeHtml(details.uid);
      const action = match[2];
      if (action === undefined) {
        const html =
          details.prompt.name === 'login'
            ? page(
                'HP ID — Iniciar sesión',
                `<form method="post" action="/interaction/${uid}/login">` +
                  '<p><label>Usuario <input id="hp-username" name="username" autocomplete="off"></label></p>' +
                  '<p><label>Contraseña <input id="hp-password" name="password" type="password"></label></p>' +
                  '<button id="hp-login" type="submit">Iniciar sesión</button></form>',
              )
            : page(
                'HP TechPulse — Autorizar acceso',
                `<p>La aplicación <b>${escapeHtml(String(details.params['client_id']))}</b> pide acceso de lectura (Read).</p>` +
                  `<form method="post" action="/interaction/${uid}/confirm"><button id="hp-allow" type="submit">Permitir</button></form>` +
                  `<form method="post" action="/interaction/${uid}/abort"><button id="hp-deny" type="submit">Denegar</button></form>`,
              );
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(html);
        return;
      }
      const form = await readForm(request);
      if (action === 'login') {
        const username = form.get('username') ?? '';
        if (this.#accounts[username] === undefined || this.#accounts[username] !== form.get('password')) {
          response.writeHead(401, { 'content-type': 'text/html; charset=utf-8' });
          response.end(
            page('HP ID — Usuario o contraseña incorrectos', `<a href="/interaction/${uid}">Volver</a>`),
          );
          return;
        }
        await provider.interactionFinished(
          request,
          response,
          { login: { accountId: username } },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      if (action === 'abort') {
        await provider.interactionFinished(
          request,
          response,
          { error: 'access_denied', error_description: this.denyDescription },
          { mergeWithLastSubmission: false },
        );
        return;
      }
      const grant =
        details.grantId === undefined
          ? new provider.Grant({
              accountId: String(details.session?.accountId),
              clientId: String(details.params['client_id']),
            })
          : (await provider.Grant.find(details.grantId))!;
      const missing = details.prompt.details as {
        missingOIDCScope?: string[];
        missingResourceScopes?: Record<string, string[]>;
      };
      if (missing.missingOIDCScope !== undefined) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
        grant.addResourceScope(indicator, scopes.join(' '));
      }
      const grantId = await grant.save();
      await provider.interactionFinished(
        request,
        response,
        { consent: { grantId } },
        { mergeWithLastSubmission: true },
      );
    } catch {
      if (!response.headersSent) {
        response.writeHead(400, { 'content-type': 'text/plain' });
        response.end('interaction failed');
      }
    }
  }

  /** The resource server: HP's probe path, for access tokens this provider issued for it. */
  async #serveApi(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.apiOrigin);
    const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const token = bearer === undefined ? undefined : await this.#provider!.AccessToken.find(bearer);
    const valid =
      token !== undefined &&
      !token.isExpired &&
      token.aud === `${this.apiOrigin}/` &&
      (token.scope ?? '').split(' ').includes('Read');
    if (url.pathname !== '/analytics/v1/identity/tenants') {
      response.writeHead(404, { 'content-type': 'application/json' });
      response.end('{"error":"not_found"}');
      return;
    }
    if (!valid) {
      this.probes.refused++;
      response.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate': 'Bearer error="invalid_token"',
      });
      response.end('{"error":"invalid_token"}');
      return;
    }
    this.probes.accepted++;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        totalResults: 1,
        startIndex: 0,
        itemsPerPage: 1,
        resources: [{ id: 'tenant-acme', name: 'Acme' }],
      }),
    );
  }

  async stop(): Promise<void> {
    for (const server of [this.#server, this.#api]) {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    }
  }
}
