import type { TokenSet } from '../tokens/token-set.js';

/**
 * Everything the engine persists about one connection. Times are epoch milliseconds.
 * Stores treat it as an opaque JSON value; only the engine interprets it.
 */
export interface ConnectionRecord {
  readonly tokens?: TokenSet | undefined;
  /** `reauthorization_required` blocks every token call until a new authorization succeeds. */
  readonly status: 'active' | 'reauthorization_required';
  readonly reauthorizationReason?: string | undefined;
  /** When the grant was last authorized by a person. */
  readonly authorizedAt?: number | undefined;
  /** When the refresh token stops working for good (absolute lifetime), if known. */
  readonly refreshTokenDeadline?: number | undefined;
  readonly updatedAt: number;
  /**
   * The origins the grant was obtained from: its refresh token is only ever sent to `token`, its
   * access token only to `apiBase` (absent in records written before 0.2: bound on first use).
   */
  readonly origins?: GrantOrigins | undefined;
  /** Set by the store on every write (see `TokenStore.set`); what fenced writes compare. */
  readonly version?: number | undefined;
}

/** Where a grant came from and may go back to. */
export interface GrantOrigins {
  /** Origin of the token endpoint that issued the grant (`https://host[:port]`). */
  readonly token: string;
  /** Origin of the API the access token was obtained for. */
  readonly apiBase: string;
}

/** The store key of a connection: connector id and connection id, never mixed across connectors. */
export const connectionKey = (connectorId: string, connectionId: string): string =>
  `${connectorId}\u001f${connectionId}`;
