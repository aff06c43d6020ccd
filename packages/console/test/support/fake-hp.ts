import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake provider received (form body parsed, headers kept). */
export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly form: Readonly<Record<string, string>>;
}

/** HP's documented token response shape: `expires_in` in milliseconds (30 minutes). */
export const hpTokenResponse = (accessToken: string, refreshToken?: string) => ({
  access_token: accessToken,
  token_type: 'Bearer',
  expires_in: 1_799_999,
  ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
  scope: 'Read',
});

/**
 * A scripted HP TechPulse on loopback (real HTTP, not an intercepted library): token endpoint
 * (`POST /oauth/v1/token`) answering from a queue, and the tenants probe
 * (`GET /analytics/v1/identity/tenants`) answering 200 only for the current access token.
 */
export class FakeHp {
  readonly requests: ReceivedRequest[] = [];
  /** Responses the token endpoint gives, in order; an empty queue answers 500. */
  readonly tokenResponses: { status: number; body: unknown }[] = [];
  /** Access tokens the API accepts. */
  readonly validAccessTokens = new Set<string>();
  readonly #server: Server;
  origin = '';

  constructor() {
    this.#server = createServer((request, response) => {
      void this.#serve(request).then(({ status, body }) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      });
    });
  }

  async #serve(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let raw = '';
    for await (const chunk of request as AsyncIterable<Buffer>) raw += chunk.toString('utf8');
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    this.requests.push({
      method: request.method ?? '',
      path,
      authorization: request.headers.authorization,
      form: Object.fromEntries(new URLSearchParams(raw)),
    });
    if (request.method === 'POST' && path === '/oauth/v1/token') {
      const next = this.tokenResponses.shift() ?? { status: 500, body: { error: 'server_error' } };
      const body = next.body as { access_token?: unknown };
      if (next.status === 200 && typeof body.access_token === 'string')
        this.validAccessTokens.add(body.access_token);
      return next;
    }
    if (request.method === 'GET' && path === '/analytics/v1/identity/tenants') {
      const token = (request.headers.authorization ?? '').replace(/^Bearer /, '');
      return this.validAccessTokens.has(token)
        ? { status: 200, body: { totalResults: 1, resources: [{ id: 'tenant-1' }] } }
        : { status: 401, body: { error: 'invalid_token' } };
    }
    return { status: 404, body: { error: 'not_found' } };
  }

  /** Token requests received (exchange and refresh), in order. */
  tokenRequests(): ReceivedRequest[] {
    return this.requests.filter((r) => r.path === '/oauth/v1/token');
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** HP credentials whose endpoints point here (`endpoints` override; http is allowed on loopback). */
  endpoints(): { authorization: string; token: string; apiBase: string } {
    return {
      authorization: `${this.origin}/oauth/v1/authorize`,
      token: `${this.origin}/oauth/v1/token`,
      apiBase: this.origin,
    };
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
  }
}
