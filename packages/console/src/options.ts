import { isIP } from 'node:net';
import { systemClock, type Clock, type Connector, type Logger } from '@aic/connector-core';
import { parsePasswordHash } from './auth/password.js';
import { defaultPendingLimits, type PendingLimits } from './auth/pending.js';
import type { RateLimit } from './auth/rate-limiter.js';
import { defaultSessionPolicy, type SessionPolicy } from './auth/sessions.js';
import { normalizeAddress } from './http/client-address.js';
import type { ConnectionRepository } from './repository.js';

/** The connectors the console offers: core's `ConnectorRegistry` fits. */
export interface ConnectorCatalog {
  /** The connector with this id; throws when there is none. */
  get(id: string): Connector;
  list(): readonly Connector[];
}

/** An operator who signs in with a password (hash from `hashPassword` or the README one-liner). */
export interface PasswordOperator {
  readonly username: string;
  readonly passwordHash: string;
}

/**
 * Operators authenticated by a reverse proxy in front of the host (SSO, mTLS): the proxy puts the
 * operator's name in `header`. Only requests whose socket peer is one of `addresses` are
 * believed; the header from anyone else is ignored.
 */
export interface TrustedProxyAuthentication {
  /** Lower-case header name, e.g. `x-forwarded-user`. */
  readonly header: string;
  /** The proxy's own addresses (the socket peer), e.g. `['127.0.0.1', '::1']`. */
  readonly addresses: readonly string[];
  /** When given, only these names are operators; others are refused. */
  readonly operators?: readonly string[] | undefined;
}

export interface ConsoleRateLimits {
  /** Failed sign-ins per operator name. Default 5 per 15 min. */
  readonly signInPerOperator: RateLimit;
  /** Sign-in attempts per client address. Default 20 per 15 min. */
  readonly signInPerAddress: RateLimit;
  /** Authorization starts per operator. Default 10 per 10 min. */
  readonly authorizePerOperator: RateLimit;
  /** Authorization starts per client address. Default 30 per 10 min. */
  readonly authorizePerAddress: RateLimit;
}

export const defaultRateLimits: ConsoleRateLimits = Object.freeze({
  signInPerOperator: { max: 5, windowMs: 15 * 60_000 },
  signInPerAddress: { max: 20, windowMs: 15 * 60_000 },
  authorizePerOperator: { max: 10, windowMs: 10 * 60_000 },
  authorizePerAddress: { max: 30, windowMs: 10 * 60_000 },
});

export interface ConsoleOptions {
  readonly connectors: ConnectorCatalog;
  readonly connections: ConnectionRepository;
  /** Operators with passwords. At least one of `operators` / `trustedProxy` is required. */
  readonly operators?: readonly PasswordOperator[] | undefined;
  readonly trustedProxy?: TrustedProxyAuthentication | undefined;
  /** Where the console is mounted: `''` (the root, default) or a path like `/console`. */
  readonly basePath?: string | undefined;
  /**
   * The OAuth callback path every connection's `redirectUri` points to. Default
   * `<basePath>/oauth/callback`.
   */
  readonly callbackPath?: string | undefined;
  /**
   * Cookies with `Secure` and the `__Host-` prefix (default `true`). Set `false` only for a
   * console served over plain http on loopback (browsers refuse `__Host-` cookies without
   * `Secure`, and `Secure` cookies over http): the console then refuses requests that did not
   * arrive on a loopback address. Decided here, never from a client's `X-Forwarded-Proto`.
   */
  readonly secureCookies?: boolean | undefined;
  /** IANA zone of the times shown (`America/Bogota`). Default: the host's. */
  readonly timeZone?: string | undefined;
  readonly clock?: Clock | undefined;
  /** Receives the audit log (`message: 'audit'`) and the console's own errors. Never a secret. */
  readonly logger?: Logger | undefined;
  readonly sessions?: Partial<SessionPolicy> | undefined;
  readonly pendingLimits?: Partial<PendingLimits> | undefined;
  readonly rateLimits?: Partial<ConsoleRateLimits> | undefined;
}

/** The console's options are unusable (`ERR_CONSOLE_CONFIG`); says what to fix, never a hash. */
export class ConsoleConfigError extends Error {
  override readonly name = 'ConsoleConfigError';
  readonly code = 'ERR_CONSOLE_CONFIG';
}

export const OPERATOR_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,127}$/;

export interface ResolvedOptions {
  readonly connectors: ConnectorCatalog;
  readonly repository: ConnectionRepository;
  readonly passwords: ReadonlyMap<string, string>;
  readonly trustedProxy:
    | {
        readonly header: string;
        readonly addresses: ReadonlySet<string>;
        readonly operators: ReadonlySet<string> | undefined;
      }
    | undefined;
  readonly base: string;
  readonly callbackPath: string;
  readonly secureCookies: boolean;
  readonly timeZone: string | undefined;
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  readonly sessions: SessionPolicy;
  readonly pendingLimits: PendingLimits;
  readonly rateLimits: ConsoleRateLimits;
}

/** Checks the options once, at creation: a console that starts is a console that works. */
export function resolveOptions(options: ConsoleOptions): ResolvedOptions {
  const fail = (message: string): never => {
    throw new ConsoleConfigError(message);
  };
  const base = options.basePath ?? '';
  if (base !== '' && !/^(\/[A-Za-z0-9._~-]+)+$/.test(base)) {
    fail('basePath must be empty or a path like /console (no trailing slash)');
  }
  const callbackPath = options.callbackPath ?? `${base}/oauth/callback`;
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(callbackPath))
    fail('callbackPath must be an absolute path like /oauth/callback');
  const passwords = new Map<string, string>();
  for (const operator of options.operators ?? []) {
    if (!OPERATOR_NAME.test(operator.username))
      fail(`operator name not allowed: letters, digits, ".", "_", "@", "-"`);
    if (passwords.has(operator.username)) fail(`operator ${operator.username} is listed twice`);
    try {
      parsePasswordHash(operator.passwordHash);
    } catch (error) {
      fail(`operator ${operator.username}: ${(error as Error).message}`);
    }
    passwords.set(operator.username, operator.passwordHash);
  }
  let trustedProxy: ResolvedOptions['trustedProxy'];
  if (options.trustedProxy !== undefined) {
    const { header, addresses, operators } = options.trustedProxy;
    if (!/^[a-z0-9-]+$/.test(header)) fail('trustedProxy.header must be a lower-case header name');
    if (addresses.length === 0 || addresses.some((a) => isIP(normalizeAddress(a)) === 0)) {
      fail('trustedProxy.addresses must list the IP addresses of the proxy');
    }
    trustedProxy = {
      header,
      addresses: new Set(addresses.map(normalizeAddress)),
      operators: operators === undefined ? undefined : new Set(operators),
    };
  }
  if (passwords.size === 0 && trustedProxy === undefined) {
    fail('no operators: give "operators" (with password hashes) or "trustedProxy"');
  }
  if (options.timeZone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: options.timeZone });
    } catch {
      fail(`unknown time zone ${options.timeZone}`);
    }
  }
  return {
    connectors: options.connectors,
    repository: options.connections,
    passwords,
    trustedProxy,
    base,
    callbackPath,
    secureCookies: options.secureCookies ?? true,
    timeZone: options.timeZone,
    clock: options.clock ?? systemClock,
    logger: options.logger,
    sessions: { ...defaultSessionPolicy, ...options.sessions },
    pendingLimits: { ...defaultPendingLimits, ...options.pendingLimits },
    rateLimits: { ...defaultRateLimits, ...options.rateLimits },
  };
}
