import { text } from '../errors/localized.js';
import { defaultCallDeadlines, withDeadline } from '../http/deadline.js';
import { sendHttp } from '../http/send.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from '../http/retry.js';
import { StoreFailureError } from '../stores/store-failure.js';
import type { Lease } from '../stores/token-store.js';
import { processTokenResponse } from '../oauth/token-response.js';
import type { TokenRequest } from '../oauth/token-request.js';
import type { TokenRequestLimiter } from '../http/token-limiter.js';
import type { ExpiryPolicy } from '../tokens/expiry-policy.js';
import type { TokenSet } from '../tokens/token-set.js';
import type { OpenedConnection } from './connection.js';
import type { ConnectorRuntime } from './runtime.js';

export interface TokenEndpointOptions {
  readonly expiry: ExpiryPolicy;
  /** Bounds token requests in flight per origin. */
  readonly limiter: TokenRequestLimiter;
  readonly tokenTypes?: readonly string[] | undefined;
  readonly retry?: RetryPolicy | undefined;
}

/** Margin a lease must keep beyond a token call's deadline before the call may start (ms). */
const LEASE_SAFETY_MS = 1_000;

const TOKEN_REQUEST = text('La solicitud al endpoint de token', 'The token endpoint request');

export interface TokenCallExtra {
  readonly previousRefreshToken?: string | undefined;
  /** The caller's cancellation (a code exchange); a refresh under a lease passes `lease` instead. */
  readonly signal?: AbortSignal | undefined;
  /** The refresh lock the call runs under: the call never starts unless the lease outlives it. */
  readonly lease?: Lease | undefined;
}

/**
 * Sends a built {@link TokenRequest} and reads the response into a {@link TokenSet} (or a typed
 * error):
 *
 * 1. waits for a slot of the token endpoint's origin (the host's {@link TokenRequestLimiter});
 * 2. under a lease, checks the lease still outlives the call's deadline, else starts nothing, and
 *    lets the store record that the refresh token is being spent ({@link Lease.spendGrant});
 * 3. sends with bounded backoff on transient failures, the whole of it under one total deadline
 *    (`ERR_TIMEOUT`), the response body included.
 */
export async function callTokenEndpoint(
  runtime: ConnectorRuntime,
  options: TokenEndpointOptions,
  connection: OpenedConnection,
  request: TokenRequest,
  extra: TokenCallExtra,
): Promise<TokenSet> {
  const { clock, logger } = runtime;
  const deadlineMs = (runtime.deadlines ?? defaultCallDeadlines).tokenMs;
  const lease = extra.lease;
  const signal = lease?.signal ?? extra.signal;
  const leaseTooShort = (): boolean =>
    lease !== undefined && lease.remainingMs() < deadlineMs + LEASE_SAFETY_MS;
  if (leaseTooShort()) throw new StoreFailureError('lease_lapsed', 'lock');
  const slot = await options.limiter.acquire(request.url.origin, {
    waitMs: lease === undefined ? deadlineMs : lease.remainingMs() - deadlineMs - LEASE_SAFETY_MS,
    signal,
    context: connection.context,
  });
  const started = clock.now();
  let response;
  try {
    if (leaseTooShort()) throw new StoreFailureError('lease_lapsed', 'lock');
    // Last step before the refresh token leaves: a shared store records the spend (Lease.spendGrant).
    if (request.grantType === 'refresh_token') await lease?.spendGrant?.();
    response = await withDeadline(deadlineMs, signal, TOKEN_REQUEST, connection.context, (deadline) =>
      withRetry(
        () =>
          sendHttp(
            runtime.dispatcher,
            {
              method: 'POST',
              url: request.url,
              headers: request.headers,
              body: request.body,
              signal: deadline,
              maxBodyBytes: 1024 * 1024,
            },
            connection.context,
          ),
        {
          clock,
          policy: options.retry ?? defaultRetryPolicy,
          random: runtime.random,
          signal: deadline.signal,
          remainingMs: () => deadline.remainingMs(),
          context: connection.context,
          onRetry: ({ attempt, delayMs, status }) =>
            logger.log('warn', 'token endpoint transient failure; backing off', {
              connectorId: connection.context.connectorId,
              connectionId: connection.id,
              grantType: request.grantType,
              attempt,
              delayMs,
              status,
            }),
        },
      ),
    );
  } finally {
    await slot.release();
  }
  const tokens = processTokenResponse(response, {
    grantType: request.grantType,
    expiry: options.expiry,
    now: clock.now(),
    previousRefreshToken: extra.previousRefreshToken,
    tokenTypes: options.tokenTypes,
    secrets: [...request.secrets, ...connection.secrets],
    clientFields: connection.clientFields,
    context: connection.context,
  });
  logger.log('debug', 'token endpoint answered', {
    connectorId: connection.context.connectorId,
    connectionId: connection.id,
    grantType: request.grantType,
    status: response.status,
    elapsedMs: clock.now() - started,
    expiresAt: tokens.expiresAt,
    refreshTokenRotated:
      tokens.refreshToken !== undefined && tokens.refreshToken !== extra.previousRefreshToken,
  });
  const lifetimeMs = tokens.expiresAt - tokens.issuedAt;
  if (lifetimeMs > 0 && lifetimeMs < SHORT_LIFETIME_MS) {
    // A provider that changes the unit of expires_in (HP documents 30 minutes but sends
    // milliseconds) would otherwise only show up as a refresh before nearly every call.
    logger.log('warn', 'access token lives less than a minute; check the unit of expires_in', {
      connectorId: connection.context.connectorId,
      connectionId: connection.id,
      lifetimeMs,
      expiresInUnit: options.expiry.expiresInUnit,
    });
  }
  return tokens;
}

/** Lifetimes below this are logged as suspicious (see `callTokenEndpoint`). */
const SHORT_LIFETIME_MS = 60_000;
