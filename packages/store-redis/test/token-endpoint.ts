import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the refresh worker's connector sends as client authentication (RFC 6749 §2.3.1). */
const EXPECTED_BASIC = `Basic ${Buffer.from('client1:workersecret').toString('base64')}`;

/**
 * A strict rotating-refresh-token endpoint on loopback (no nock: other processes call it):
 * each refresh with the current refresh token issues a new access token AND a new refresh
 * token; any other refresh token (a reuse) gets `invalid_grant`. It counts what a correct
 * cross-process lock must keep at zero: reuses, and refreshes made while the current access
 * token was still valid (a second refresh in the same expiry window).
 */
export class TokenEndpoint {
  readonly lifetimeMs: number;
  generation = 0;
  accessToken = 'AT-0';
  refreshToken = 'RT-0';
  expiresAt = Date.now() - 1;
  invalidGrants = 0;
  earlyRefreshes = 0;
  unexpectedRequests = 0;
  readonly issued = new Set<string>(['AT-0']);
  /** Called with the generation about to be issued, before the response is sent. */
  beforeReply: ((generation: number) => Promise<void>) | undefined;
  readonly #server: Server;

  private constructor(lifetimeMs: number) {
    this.lifetimeMs = lifetimeMs;
    this.#server = createServer((request, response) => {
      void this.#answer(request).then(({ status, body }) => {
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

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  async #answer(request: IncomingMessage): Promise<{ status: number; body: unknown }> {
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    const form = new URLSearchParams(raw);
    if (
      request.method !== 'POST' ||
      request.url !== '/token' ||
      request.headers.authorization !== EXPECTED_BASIC ||
      form.get('grant_type') !== 'refresh_token'
    ) {
      this.unexpectedRequests++;
      return { status: 400, body: { error: 'invalid_request' } };
    }
    if (form.get('refresh_token') !== this.refreshToken) {
      this.invalidGrants++;
      return { status: 400, body: { error: 'invalid_grant' } };
    }
    const now = Date.now();
    if (now < this.expiresAt) this.earlyRefreshes++;
    const generation = ++this.generation;
    this.accessToken = `AT-${generation}`;
    this.refreshToken = `RT-${generation}`;
    this.expiresAt = now + this.lifetimeMs;
    this.issued.add(this.accessToken);
    await this.beforeReply?.(generation);
    return {
      status: 200,
      body: {
        access_token: this.accessToken,
        token_type: 'Bearer',
        expires_in: this.lifetimeMs,
        refresh_token: this.refreshToken,
      },
    };
  }
}
