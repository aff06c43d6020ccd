import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, isConnectorError } from '../errors/connector-error.js';
import { StateMismatchError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { buildAuthorizationRequest } from '../oauth/authorization-request.js';
import { checkIssuer, parseCallback, type CallbackInput } from '../oauth/callback.js';
import { constantTimeEqual, stateKey } from '../oauth/randomness.js';
import type { PendingAuthorization } from '../stores/token-store.js';
import type { AuthorizationCodeGrantDefinition } from './definition.js';
import type { OpenedConnection } from './connection.js';
import type { AuthorizationStart } from './contract.js';
import type { ConnectorRuntime } from './runtime.js';

/** The pending-store key: digest of connector, connection and state, so one connection's state never completes another's. */
const pendingKey = (connection: OpenedConnection, state: string): string =>
  stateKey(`${connection.key}\u001f${state}`);

const transientCodes = new Set<string>([
  ErrorCode.ProviderUnavailable,
  ErrorCode.RateLimited,
  ErrorCode.Aborted,
]);

/**
 * The two halves of the authorization code flow (RFC 6749 §4.1) around a pending-authorization
 * store: `start` builds the URL and stores state + PKCE verifier; `complete` checks the callback
 * and hands the verified code to `exchange`.
 */
export class AuthorizationFlow<C> {
  readonly #runtime: ConnectorRuntime;
  readonly #grant: AuthorizationCodeGrantDefinition<C>;

  constructor(runtime: ConnectorRuntime, grant: AuthorizationCodeGrantDefinition<C>) {
    this.#runtime = runtime;
    this.#grant = grant;
  }

  async start(connection: OpenedConnection & { credentials: C }): Promise<AuthorizationStart> {
    const { authorization } = connection.endpoints;
    if (authorization === undefined || connection.redirectUri === undefined) {
      throw new ConnectorError(
        ErrorCode.Configuration,
        text(
          'La conexión no tiene endpoint de autorización o URI de redirección.',
          'The connection has no authorization endpoint or redirect URI.',
        ),
        connection.context,
      );
    }
    const request = buildAuthorizationRequest({
      authorizationEndpoint: authorization.href,
      clientId: connection.client.clientId,
      redirectUri: connection.redirectUri,
      scope: this.#grant.scope(connection.credentials),
      pkce: this.#grant.pkce === 'S256',
      extraParams: this.#grant.authorizationParams?.(connection.credentials),
      context: connection.context,
    });
    const now = this.#runtime.clock.now();
    const expiresAt = now + (this.#grant.pendingTtlSeconds ?? 600) * 1000;
    await this.#runtime.pendingStore.put(pendingKey(connection, request.state), {
      connectorId: connection.context.connectorId ?? '',
      connectionId: connection.id,
      stateDigest: stateKey(request.state),
      codeVerifier: request.codeVerifier,
      redirectUri: request.redirectUri,
      createdAt: now,
      expiresAt,
    });
    return { url: request.url.href, state: request.state, expiresAt };
  }

  /** Takes the pending authorization of `state` (single use), if it is this connection's. */
  async #take(connection: OpenedConnection, state: string): Promise<PendingAuthorization | undefined> {
    const pending = await this.#runtime.pendingStore.take(pendingKey(connection, state));
    return pending !== undefined && constantTimeEqual(pending.stateDigest, stateKey(state))
      ? pending
      : undefined;
  }

  /**
   * Checks the callback (shape, issuer, provider error, state: known, same connection, unexpired,
   * single use) before any token request, then runs `exchange`. A transient failure of the exchange puts
   * the pending authorization back, so the host can retry the same callback.
   */
  async complete<T>(
    connection: OpenedConnection,
    callback: CallbackInput,
    exchange: (code: string, pending: PendingAuthorization) => Promise<T>,
  ): Promise<T> {
    const parsed = parseCallback(callback, connection.context);
    checkIssuer(parsed.iss, connection.endpoints.issuer, this.#grant.issuerParameter, connection.context);
    if (parsed.kind === 'error') {
      // The provider's error text is shown only when the callback answers our own request: a
      // forged `error=…&error_description=…` without our state is a state mismatch, not a message.
      const denied = parsed.state === undefined ? undefined : await this.#take(connection, parsed.state);
      if (denied === undefined) throw stateMismatch(connection);
      throw parsed.error;
    }
    const key = pendingKey(connection, parsed.state);
    const pending = await this.#take(connection, parsed.state);
    if (pending === undefined) throw stateMismatch(connection);
    if (this.#runtime.clock.now() >= pending.expiresAt) {
      throw new StateMismatchError(
        ErrorCode.StateExpired,
        text(
          'La autorización pendiente venció antes de volver del proveedor: inicie la autorización de nuevo.',
          'The pending authorization expired before the provider redirected back: start the authorization again.',
        ),
        connection.context,
      );
    }
    try {
      return await exchange(parsed.code, pending);
    } catch (error) {
      if (isConnectorError(error) && transientCodes.has(error.code)) {
        await this.#runtime.pendingStore.put(key, pending);
      }
      throw error;
    }
  }
}

function stateMismatch(connection: OpenedConnection): StateMismatchError {
  return new StateMismatchError(
    ErrorCode.StateMismatch,
    text(
      'El parámetro «state» no corresponde a ninguna autorización pendiente de esta conexión (posible CSRF, o ya se usó): inicie la autorización de nuevo.',
      'The “state” parameter matches no pending authorization of this connection (possible CSRF, or already used): start the authorization again.',
    ),
    connection.context,
  );
}
