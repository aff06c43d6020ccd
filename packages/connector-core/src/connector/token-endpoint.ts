import { sendHttp } from '../http/send.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from '../http/retry.js';
import { processTokenResponse } from '../oauth/token-response.js';
import type { TokenRequest } from '../oauth/token-request.js';
import type { ExpiryPolicy } from '../tokens/expiry-policy.js';
import type { TokenSet } from '../tokens/token-set.js';
import type { OpenedConnection } from './connection.js';
import type { ConnectorRuntime } from './runtime.js';

export interface TokenEndpointOptions {
  readonly expiry: ExpiryPolicy;
  readonly tokenTypes?: readonly string[] | undefined;
  readonly retry?: RetryPolicy | undefined;
}

/**
 * Sends a built {@link TokenRequest} with bounded backoff on transient failures and reads the
 * response into a {@link TokenSet} (or a typed error).
 */
export async function callTokenEndpoint(
  runtime: ConnectorRuntime,
  options: TokenEndpointOptions,
  connection: OpenedConnection,
  request: TokenRequest,
  extra: { previousRefreshToken?: string | undefined; signal?: AbortSignal | undefined },
): Promise<TokenSet> {
  const { clock, logger } = runtime;
  const started = clock.now();
  const response = await withRetry(
    () =>
      sendHttp(
        runtime.dispatcher,
        {
          method: 'POST',
          url: request.url,
          headers: request.headers,
          body: request.body,
          signal: extra.signal,
          maxBodyBytes: 1024 * 1024,
        },
        connection.context,
      ),
    {
      clock,
      policy: options.retry ?? defaultRetryPolicy,
      random: runtime.random,
      signal: extra.signal,
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
  );
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
