import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fixture connector sends as client authentication (RFC 6749 §2.3.1). */
const EXPECTED_BASIC = `Basic ${Buffer.from('client1:workersecret').toString('base64')}`;

/** Tokens of connection `id` at `generation`: `AT:<id>:<n>`, `RT:<id>:<n>` (generation 0 is the seed). */
export const accessTokenOf = (id: string, generation: number): string => `AT:${id}:${generation}`;
export const refreshTokenOf = (id: string, generation: number): string => `RT:${id}:${generation}`;

/** What the provider knows of one connection. */
export interface ProviderGrant {
  generation: number;
  /** Refresh token that works now (strict rotation: only this one). */
  refreshToken: string;
  accessToken: string;
  expiresAt: number;
}

/**
 * A strict rotating-refresh-token endpoint on loopback, for many connections (no nock: other
 * processes call it). Each refresh with the connection's current refresh token issues a new
 * access token AND a new refresh token; any other refresh token (a reuse) gets `invalid_grant`.
 * It records every refresh token it receives, so a test can assert none came twice, and counts
 * refreshes made while the current access token was still valid (a second refresh in one expiry
 * window) and requests in flight at once.
 */
export class TokenEndpoint {
  readonly lifetimeMs: number;
  /** Answer each token request after this long (ms). */
  delayMs = 0;
  readonly grants = new Map<string, ProviderGrant>();
  /** Every refresh token received, with how many times. */
  readonly received = new Map<string, number>();
  invalidGrants = 0;
  earlyRefreshes = 0;
  unexpectedRequests = 0;
  inFlight = 0;
  maxInFlight = 0;
  readonly issued = new Set<string>();
  /** Called after a grant rotated and before the response is sent. */
  beforeReply: ((id: string, generation: number) => Promise<void>) | undefined;
  readonly #server: Server;

  private constructor(lifetimeMs: number) {
    this.lifetimeMs = lifetimeMs;
    this.#server = createServer((request, response) => {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      void this.#answer(request).then(({ status, body }) => {
        this.inFlight--;
        response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(body));
      });
    });
  }

  static async start(lifetimeMs: number): Promise<TokenEndpoint> {
    const endpoint = new TokenEndpoint(lifetimeMs);
    await new Promise<void>((resolve) => endpoint.#server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The provider's state of `id` (created at generation 0, its seed tokens, on first use). */
  grant(id: string): ProviderGrant {
    let grant = this.grants.get(id);
    if (grant === undefined) {
      grant = {
        generation: 0,
        refreshToken: refreshTokenOf(id, 0),
        accessToken: accessTokenOf(id, 0),
        expiresAt: Date.now() - 1,
      };
      this.grants.set(id, grant);
      this.issued.add(grant.accessToken);
    }
    return grant;
  }

  /** Refresh tokens that arrived more than once. */
  get reused(): string[] {
    return [...this.received].filter(([, count]) => count > 1).map(([token]) => token);
  }

  /** Total refreshes answered with new tokens. */
  get refreshes(): number {
    let total = 0;
    for (const grant of this.grants.values()) total += grant.generation;
    return total;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    const form = new URLSearchParams(raw);
    const refreshToken = form.get('refresh_token') ?? '';
    if (
      request.method !== 'POST' ||
      request.url !== '/token' ||
      request.headers.authorization !== EXPECTED_BASIC ||
      form.get('grant_type') !== 'refresh_token'
    ) {
      this.unexpectedRequests++;
      return { status: 400, body: { error: 'invalid_request' } };
    }
    this.received.set(refreshToken, (this.received.get(refreshToken) ?? 0) + 1);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    const id = /^RT:(.+):\d+$/.exec(refreshToken)?.[1];
    const grant = id === undefined ? undefined : this.grant(id);
    if (id === undefined || grant === undefined || refreshToken !== grant.refreshToken) {
      this.invalidGrants++;
      return { status: 400, body: { error: 'invalid_grant' } };
    }
    const now = Date.now();
    if (now < grant.expiresAt) this.earlyRefreshes++;
    grant.generation++;
    grant.accessToken = accessTokenOf(id, grant.generation);
    grant.refreshToken = refreshTokenOf(id, grant.generation);
    grant.expiresAt = now + this.lifetimeMs;
    this.issued.add(grant.accessToken);
    await this.beforeReply?.(id, grant.generation);
    return {
      status: 200,
      body: {
        access_token: grant.accessToken,
        token_type: 'Bearer',
        expires_in: this.lifetimeMs,
        refresh_token: grant.refreshToken,
      },
    };
  }
}
