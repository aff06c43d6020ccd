import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectionRecord } from '../stores/connection-record.js';
import { storeFixtureCredentials } from './store-fixture.js';

/** The access token a {@link RotatingTokenEndpoint} issues to `connection` at `generation` (0: the authorization's). */
export const rotatedAccessToken = (connection: string, generation: number): string =>
  `AT-${connection}-g${generation}`;

/** The refresh token a {@link RotatingTokenEndpoint} issues to `connection` at `generation`. */
export const rotatedRefreshToken = (connection: string, generation: number): string =>
  `RT-${connection}-g${generation}`;

const REFRESH_TOKEN = /^RT-(.+)-g\d+$/;

/**
 * RFC 6749 §2.3.1 / Appendix B client authentication, computed here on its own (every byte but
 * A-Z a-z 0-9 percent-encoded: a client without spaces), so the endpoint checks the engine rather
 * than repeating it.
 */
function expectedBasic(client: RotatingTokenEndpointOptions['client'] & object): string {
  const encode = (value: string): string =>
    [...Buffer.from(value, 'utf8')]
      .map((byte) =>
        /[A-Za-z0-9]/.test(String.fromCharCode(byte))
          ? String.fromCharCode(byte)
          : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
      )
      .join('');
  return `Basic ${Buffer.from(`${encode(client.clientId)}:${encode(client.clientSecret)}`).toString('base64')}`;
}

/** One connection's grant as the provider sees it. */
export interface RotatingGrant {
  /** Successful refreshes so far (0: as authorized). */
  generation: number;
  accessToken: string;
  /** The refresh token that works now. */
  refreshToken: string;
  /** The refresh token retired by the last rotation (accepted once more with `graceReuse`). */
  previousRefreshToken: string | undefined;
  expiresAt: number;
}

export interface RotatingTokenEndpointOptions {
  /**
   * Lifetime of the access tokens it issues (ms), sent as `expires_in` in milliseconds: the store
   * fixture connector with `expiresInUnit: 'milliseconds'` reads it so.
   */
  readonly lifetimeMs: number;
  /**
   * Accept the refresh token retired by the last rotation once more (a "reuse interval", as many
   * providers have), counted in `reuses`. Off: strict one-time refresh tokens — a reuse is
   * `invalid_grant`.
   */
  readonly graceReuse?: boolean | undefined;
  /** The client it expects on refresh (HTTP Basic, RFC 6749 encoding). Default: `storeFixtureCredentials`. */
  readonly client?: { readonly clientId: string; readonly clientSecret: string } | undefined;
}

/**
 * A refresh-token endpoint that rotates, on loopback (other processes call it, so no nock): a
 * refresh with a connection's current refresh token issues a new access token AND a new refresh
 * token. It answers only connections given to {@link authorize} and the expected client; anything
 * else is an unexpected request (`invalid_request`). It records what a correct store keeps at
 * zero or explains: every refresh token it received (`received`, `reused`), `invalid_grant`
 * answers, refreshes while the current access token was still valid (`earlyRefreshes`: a second
 * refresh in one expiry window), and the most requests it had in flight at once.
 */
export class RotatingTokenEndpoint {
  readonly lifetimeMs: number;
  /** Answer each refresh after this long (ms). */
  delayMs = 0;
  readonly grants = new Map<string, RotatingGrant>();
  /** Every access token it issued, those of the authorizations included. */
  readonly issued = new Set<string>();
  /** Every refresh token received, with how many times. */
  readonly received = new Map<string, number>();
  invalidGrants = 0;
  /** Retired refresh tokens accepted once more (`graceReuse`). */
  reuses = 0;
  earlyRefreshes = 0;
  unexpectedRequests = 0;
  inFlight = 0;
  maxInFlight = 0;
  /** Called after a grant rotated and before the answer is sent (e.g. to kill a process then). */
  beforeReply: ((connection: string, generation: number) => Promise<void>) | undefined;
  readonly #graceReuse: boolean;
  readonly #expectedAuthorization: string;
  readonly #server: Server;

  private constructor(options: RotatingTokenEndpointOptions) {
    this.lifetimeMs = options.lifetimeMs;
    this.#graceReuse = options.graceReuse === true;
    this.#expectedAuthorization = expectedBasic(options.client ?? storeFixtureCredentials);
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

  /** Starts listening on a free loopback port. */
  static async start(options: RotatingTokenEndpointOptions): Promise<RotatingTokenEndpoint> {
    const endpoint = new RotatingTokenEndpoint(options);
    await new Promise<void>((resolve) => endpoint.#server.listen(0, '127.0.0.1', resolve));
    return endpoint;
  }

  /** `http://127.0.0.1:<port>`: the `origin` of the store fixture connector. */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /**
   * Starts a grant for `connection` at generation 0, as an authorization would, and returns the
   * record a host stores for it with its access token already expired: the next `getAccessToken`
   * refreshes with `rotatedRefreshToken(connection, 0)`.
   */
  authorize(connection: string): ConnectionRecord {
    const now = Date.now();
    const grant: RotatingGrant = {
      generation: 0,
      accessToken: rotatedAccessToken(connection, 0),
      refreshToken: rotatedRefreshToken(connection, 0),
      previousRefreshToken: undefined,
      expiresAt: now - 1,
    };
    this.grants.set(connection, grant);
    this.issued.add(grant.accessToken);
    return {
      status: 'active',
      tokens: {
        accessToken: grant.accessToken,
        tokenType: 'Bearer',
        expiresAt: grant.expiresAt,
        issuedAt: now - 1_000,
        refreshToken: grant.refreshToken,
      },
      authorizedAt: now - 1_000,
      updatedAt: now - 1_000,
    };
  }

  /** The provider's state of an authorized connection. */
  grant(connection: string): RotatingGrant {
    const grant = this.grants.get(connection);
    if (grant === undefined) throw new Error(`no grant for ${connection}`);
    return grant;
  }

  /** Refresh tokens that arrived more than once. */
  get reused(): string[] {
    return [...this.received].filter(([, count]) => count > 1).map(([token]) => token);
  }

  /** Refreshes answered with new tokens, all connections together. */
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
    const presented = form.get('refresh_token') ?? '';
    const connection = REFRESH_TOKEN.exec(presented)?.[1];
    const grant = connection === undefined ? undefined : this.grants.get(connection);
    if (
      request.method !== 'POST' ||
      request.url !== '/token' ||
      request.headers.authorization !== this.#expectedAuthorization ||
      form.get('grant_type') !== 'refresh_token' ||
      connection === undefined ||
      grant === undefined
    ) {
      this.unexpectedRequests++;
      return { status: 400, body: { error: 'invalid_request' } };
    }
    this.received.set(presented, (this.received.get(presented) ?? 0) + 1);
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (presented !== grant.refreshToken) {
      if (!this.#graceReuse || presented !== grant.previousRefreshToken) {
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
    grant.generation++;
    grant.accessToken = rotatedAccessToken(connection, grant.generation);
    grant.refreshToken = rotatedRefreshToken(connection, grant.generation);
    grant.expiresAt = now + this.lifetimeMs;
    this.issued.add(grant.accessToken);
    await this.beforeReply?.(connection, grant.generation);
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
