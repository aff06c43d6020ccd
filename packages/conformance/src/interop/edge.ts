import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { diagnoseBasicHeader, expectedBasicHeader } from '../kit/basic.js';
import type { AuthorizationServer } from './authorization-server.js';
import { translationOf, type InteropPlan, type TokenGrantType, type Translation } from './plan.js';

/** How a token request authenticated the client. */
export type PresentedAuth = 'basic' | 'body' | 'basic and body' | 'none';

/** One token request as the proxy saw it, and the server's answer. Holds token values: never print it. */
export interface TokenExchange {
  readonly seq: number;
  readonly clientId: string | undefined;
  readonly grantType: string | undefined;
  readonly presented: PresentedAuth;
  /** Which known encoding the Basic header holds, in words without secrets. */
  readonly basic: string | undefined;
  readonly translation: Translation;
  readonly refreshTokenPresented: string | undefined;
  readonly scope: string | undefined;
  readonly status: number;
  readonly error: string | undefined;
  readonly errorDescription: string | undefined;
  readonly accessToken: string | undefined;
  readonly refreshToken: string | undefined;
  readonly grantedScope: string | undefined;
}

/** One call to the protected resource. */
export interface ApiCall {
  readonly seq: number;
  readonly clientId: string | undefined;
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** `valid`: the server honours the Bearer token; `rejected`: unknown, expired or revoked; `missing`. */
  readonly token: 'valid' | 'rejected' | 'missing';
  readonly accessToken: string | undefined;
}

/** What the edge knows of a client, and per-client switches a scenario sets. */
export interface EdgeClient {
  readonly clientId: string;
  readonly clientSecret: string;
  /** Send every Basic header to the RFC-strict server as it came (no plain-Basic translation). */
  readonly strictBasic?: boolean | undefined;
}

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
};

/** A JSON object body, or an empty object for anything else. */
function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

/** `user:password` of a Basic header as raw UTF-8 (no form decoding), or undefined. */
function rawBasic(value: string | undefined): { id: string; secret: string } | undefined {
  const match = value === undefined ? null : /^Basic\s+([A-Za-z0-9+/]+={0,2})\s*$/i.exec(value);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) };
}

/** The client id of a Basic header whether its pair is raw or form-encoded. */
function basicClientId(value: string | undefined): string | undefined {
  const raw = rawBasic(value);
  if (raw === undefined) return undefined;
  try {
    return decodeURIComponent(raw.id.replace(/\+/g, ' '));
  } catch {
    return raw.id;
  }
}

/**
 * The kit's loopback edge in front of the authorization server, on its own port:
 *
 * - `POST /token` — a thin proxy to the server's token endpoint. It records every exchange and
 *   produces the provider behaviour the server cannot express, as the manifest declares it:
 *   a request declared `client_secret_post` while clients are registered for Basic (HP: body on
 *   the exchange, Basic on refresh) has its body credentials moved to an RFC 6749 Basic header;
 *   a declared *plain* Basic header is decoded raw and re-encoded per RFC 6749 (the provider's
 *   own documented decoding), unless the scenario asks for the strict server as is; and
 *   `expires_in` is rewritten in milliseconds when the manifest declares that unit.
 * - any other path — the protected resource: `200` with a small JSON body for a Bearer token the
 *   server still honours, `401` with an RFC 6750 challenge otherwise.
 */
export class InteropEdge {
  readonly origin: string;
  readonly #server: Server;
  readonly #auth: AuthorizationServer;
  readonly #plan: InteropPlan;
  readonly #clients = new Map<string, EdgeClient>();
  readonly #exchanges: TokenExchange[] = [];
  readonly #calls: ApiCall[] = [];
  #seq = 0;

  private constructor(origin: string, server: Server, auth: AuthorizationServer, plan: InteropPlan) {
    this.origin = origin;
    this.#server = server;
    this.#auth = auth;
    this.#plan = plan;
  }

  static async start(auth: AuthorizationServer, plan: InteropPlan): Promise<InteropEdge> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const edge = new InteropEdge(`http://127.0.0.1:${port}`, server, auth, plan);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const done = (error: unknown): void => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ error: 'server_error', error_description: String((error as Error).message) }),
        );
      };
      const url = new URL(req.url ?? '/', edge.origin);
      const work = url.pathname === '/token' ? edge.#token(req, res) : edge.#resource(req, res, url);
      work.catch(done);
    });
    return edge;
  }

  get tokenEndpoint(): string {
    return `${this.origin}/token`;
  }

  /** The protected resource's base URL (what connections use as `apiBase`). */
  get apiBase(): string {
    return `${this.origin}/api`;
  }

  addClient(client: EdgeClient): void {
    this.#clients.set(client.clientId, client);
  }

  /** Token exchanges of one client, in order. */
  exchanges(clientId: string): TokenExchange[] {
    return this.#exchanges.filter((e) => e.clientId === clientId);
  }

  /** Resource calls of one client, in order (calls with an unknown token are attributed by value). */
  calls(clientId: string, accessTokens: ReadonlySet<string>): ApiCall[] {
    return this.#calls.filter(
      (c) => c.clientId === clientId || (c.accessToken !== undefined && accessTokens.has(c.accessToken)),
    );
  }

  async #token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const seq = ++this.#seq;
    const body = new URLSearchParams(await readBody(req));
    const authorization = header(req, 'authorization');
    const grantType = body.get('grant_type') ?? undefined;
    const bodySecret = body.has('client_secret');
    const presented: PresentedAuth =
      authorization !== undefined && bodySecret
        ? 'basic and body'
        : authorization !== undefined
          ? 'basic'
          : bodySecret
            ? 'body'
            : 'none';
    const clientId = body.get('client_id') ?? basicClientId(authorization);
    const client = clientId === undefined ? undefined : this.#clients.get(clientId);
    const known = (grantType ?? '') as TokenGrantType;
    let translation = translationOf(this.#plan, known);
    const headers: Record<string, string> = {
      'content-type': header(req, 'content-type') ?? 'application/x-www-form-urlencoded',
      accept: header(req, 'accept') ?? '*/*',
    };
    if (authorization !== undefined) headers['authorization'] = authorization;
    if (translation === 'post-to-basic' && presented === 'body') {
      const id = body.get('client_id') ?? '';
      headers['authorization'] = expectedBasicHeader(id, body.get('client_secret') ?? '', 'rfc6749');
      body.delete('client_id');
      body.delete('client_secret');
    } else if (translation === 'plain-basic' && presented === 'basic' && client?.strictBasic !== true) {
      const raw = rawBasic(authorization);
      if (raw !== undefined) headers['authorization'] = expectedBasicHeader(raw.id, raw.secret, 'rfc6749');
    } else {
      translation = 'none';
    }
    const upstream = await fetch(this.#auth.tokenEndpoint, {
      method: 'POST',
      headers,
      body: body.toString(),
    });
    const text = await upstream.text();
    let payload = parseObject(text);
    const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
    if (
      upstream.status === 200 &&
      typeof payload['expires_in'] === 'number' &&
      this.#plan.expiresInUnit === 'milliseconds'
    ) {
      payload = { ...payload, expires_in: payload['expires_in'] * 1000 };
    }
    this.#exchanges.push({
      seq,
      clientId,
      grantType,
      presented,
      basic:
        authorization === undefined || client === undefined
          ? undefined
          : diagnoseBasicHeader(authorization, client.clientId, client.clientSecret),
      translation,
      refreshTokenPresented: body.get('refresh_token') ?? undefined,
      scope: body.get('scope') ?? undefined,
      status: upstream.status,
      error: str(payload['error']),
      errorDescription: str(payload['error_description']),
      accessToken: str(payload['access_token']),
      refreshToken: str(payload['refresh_token']),
      grantedScope: str(payload['scope']),
    });
    const out: Record<string, string> = { 'content-type': 'application/json', 'cache-control': 'no-store' };
    const challenge = upstream.headers.get('www-authenticate');
    if (challenge !== null) out['www-authenticate'] = challenge;
    res.writeHead(upstream.status, out);
    res.end(JSON.stringify(payload));
  }

  async #resource(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const seq = ++this.#seq;
    await readBody(req);
    if (url.pathname !== '/api' && !url.pathname.startsWith('/api/')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: 'not_found' }));
      return;
    }
    const authorization = header(req, 'authorization');
    const bearer = authorization === undefined ? undefined : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    const facts = bearer === undefined ? undefined : await this.#auth.findAccessToken(bearer);
    const state = bearer === undefined ? 'missing' : facts === undefined ? 'rejected' : 'valid';
    const status = state === 'valid' ? 200 : 401;
    this.#calls.push({
      seq,
      clientId: facts?.clientId,
      method: req.method ?? 'GET',
      path: url.pathname,
      status,
      token: state,
      accessToken: bearer,
    });
    if (status === 401) {
      res.writeHead(401, {
        'content-type': 'application/json',
        'www-authenticate':
          state === 'missing' ? 'Bearer realm="interop"' : 'Bearer realm="interop", error="invalid_token"',
      });
      res.end(JSON.stringify({ error: state === 'missing' ? 'unauthorized' : 'invalid_token' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, path: url.pathname, scope: facts?.scope ?? null }));
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
