import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The client the fixture connector authenticates as (HTTP Basic, RFC 6749 §2.3.1). */
export const CLIENT_ID = 'sqlite-client';
export const CLIENT_SECRET = 'sqlite-worker-secret-5e7a';
/** RFC 6749 Appendix B form-encoding of the id and secret (every character but A-Z a-z 0-9 escaped). */
const formEncode = (value: string): string =>
  value.replace(/[^A-Za-z0-9]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
const EXPECTED_BASIC = `Basic ${Buffer.from(`${formEncode(CLIENT_ID)}:${formEncode(CLIENT_SECRET)}`).toString('base64')}`;

/** One connection's grant as the provider sees it. */
export interface Grant {
  generation: number;
  accessToken: string;
  refreshToken: string;
  /** The refresh token retired by the last rotation. */
  previousRefreshToken: string | undefined;
  expiresAt: number;
  /** Successful refreshes of this connection. */
  refreshes: number;
}

export interface RotatingEndpointOptions {
  /** Lifetime of the access tokens it issues (ms; the connector reads `expires_in` in ms). */
  readonly lifetimeMs: number;
  /** Delay before each answer (ms). */
  readonly delayMs?: number;
  /**
   * Accept the refresh token retired by the last rotation once more (a "reuse interval", as many
   * providers have). Off: strict one-time refresh tokens — a reuse is `invalid_grant`.
   */
  readonly graceReuse?: boolean;
}

const tokensOf = (connection: string, generation: number) => ({
  accessToken: `AT-${connection}-g${generation}`,
  refreshToken: `RT-${connection}-g${generation}`,
});

/**
 * A rotating-refresh-token endpoint on loopback (other processes call it, so no nock): every
 * refresh with a connection's current refresh token issues a new access token AND a new refresh
 * token. It counts what a correct store must keep at zero or explain: reuses of a retired refresh
 * token, refreshes while the current access token was still valid, the most requests it had in
 * flight at once.
 */
export class RotatingEndpoint {
  readonly grants = new Map<string, Grant>();
  readonly issued = new Set<string>();
  invalidGrants = 0;
  reuses = 0;
  earlyRefreshes = 0;
  unexpectedRequests = 0;
  active = 0;
  maxActive = 0;
  /** Called with the connection and the generation about to be issued, before the answer. */
  beforeReply: ((connection: string, generation: number) => Promise<void>) | undefined;
  readonly #options: RotatingEndpointOptions;
  readonly #server: Server;

  private constructor(options: RotatingEndpointOptions) {
    this.#options = options;
    this.#server = createServer((request, response) => {
      this.active++;
      this.maxActive = Math.max(this.maxActive, this.active);
      void this.#answer(request).then(({ status, body }) => {
        this.active--;
        response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify(body));
      });
    });
  }

  static async start(options: RotatingEndpointOptions): Promise<RotatingEndpoint> {
    const endpoint = new RotatingEndpoint(options);
    await new Promise<void>((resolve) => endpoint.#server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** Starts a grant for `connection` at generation 0 (as an authorization would), expired now. */
  authorize(connection: string): Grant {
    const grant: Grant = {
      generation: 0,
      ...tokensOf(connection, 0),
      previousRefreshToken: undefined,
      expiresAt: Date.now() - 1,
      refreshes: 0,
    };
    this.grants.set(connection, grant);
    this.issued.add(grant.accessToken);
    return grant;
  }

  grant(connection: string): Grant {
    const grant = this.grants.get(connection);
    if (grant === undefined) throw new Error(`no grant for ${connection}`);
    return grant;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    if (this.#options.delayMs !== undefined) await new Promise((r) => setTimeout(r, this.#options.delayMs));
    const form = new URLSearchParams(raw);
    const presented = form.get('refresh_token') ?? '';
    const connection = /^RT-(.+)-g\d+$/.exec(presented)?.[1];
    if (
      request.method !== 'POST' ||
      request.url !== '/token' ||
      request.headers.authorization !== EXPECTED_BASIC ||
      form.get('grant_type') !== 'refresh_token' ||
      connection === undefined ||
      !this.grants.has(connection)
    ) {
      this.unexpectedRequests++;
      return { status: 400, body: { error: 'invalid_request' } };
    }
    const grant = this.grant(connection);
    if (presented !== grant.refreshToken) {
      if (this.#options.graceReuse !== true || presented !== grant.previousRefreshToken) {
        this.invalidGrants++;
        return { status: 400, body: { error: 'invalid_grant' } };
      }
      this.reuses++;
      grant.previousRefreshToken = undefined; // once
    } else {
      grant.previousRefreshToken = grant.refreshToken;
    }
    const now = Date.now();
    if (now < grant.expiresAt) this.earlyRefreshes++;
    const generation = grant.generation + 1;
    await this.beforeReply?.(connection, generation);
    Object.assign(grant, tokensOf(connection, generation), {
      generation,
      expiresAt: now + this.#options.lifetimeMs,
    });
    grant.refreshes++;
    this.issued.add(grant.accessToken);
    return {
      status: 200,
      body: {
        access_token: grant.accessToken,
        token_type: 'Bearer',
        expires_in: this.#options.lifetimeMs,
        refresh_token: grant.refreshToken,
      },
    };
  }
}
