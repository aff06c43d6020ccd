import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, isConnectorError } from '../errors/connector-error.js';
import { InvalidCredentialsError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import type { CredentialSchema } from '../credentials/schema-types.js';
import { validateCredentials } from '../credentials/validator.js';
import { throwIfAborted } from '../support/abort.js';
import type { CallbackInput } from '../oauth/callback.js';
import {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  refreshTokenGrantRequest,
  type TokenRequest,
} from '../oauth/token-request.js';
import { TokenManager } from '../lifecycle/token-manager.js';
import { defaultCallDeadlines, type CallDeadlines } from '../http/deadline.js';
import { MemoryTokenRequestLimiter, type TokenRequestLimiter } from '../http/token-limiter.js';
import { strictEndpointPolicy } from '../oauth/endpoint-policy.js';
import { connectionKey } from '../stores/connection-record.js';
import type { Lease, PendingAuthorization } from '../stores/token-store.js';
import type { AccessToken, TokenSet } from '../tokens/token-set.js';
import { apiUrl, authorizedRequest } from './api-request.js';
import { AuthorizationFlow } from './authorization-flow.js';
import { ConnectionOpener, type OpenedConnection } from './connection.js';
import type {
  ApiRequest,
  ApiResponse,
  AuthorizationResult,
  AuthorizationStart,
  CallOptions,
  ConnectionInput,
  Connector,
  ConnectorManifest,
  GetAccessTokenOptions,
} from './contract.js';
import type { AuthorizationCodeGrantDefinition, ProviderDefinition } from './definition.js';
import { manifestOf } from './manifest.js';
import type { ConnectorRuntime } from './runtime.js';
import type { ConnectionStatus, ValidationVerdict } from './status.js';
import { clientSecretExpiry, connectionStatus, verdictFrom } from './status-report.js';
import { callTokenEndpoint, type TokenCallExtra } from './token-endpoint.js';
import { explainBasicRefusal } from '../oauth/basic-diagnosis.js';

export { manifestOf } from './manifest.js';

/** Store round trips a refresh lock must cover besides its slot wait and token call (ms). */
const LEASE_MARGIN_MS = 5_000;

/**
 * The one implementation of the OAuth mechanics, configured by a {@link ProviderDefinition}.
 * Provider packages are data; this class is what runs.
 */
export class OAuthConnector<S extends CredentialSchema = CredentialSchema> implements Connector {
  readonly manifest: ConnectorManifest;
  readonly #definition: ProviderDefinition<S>;
  readonly #runtime: ConnectorRuntime;
  readonly #connections: ConnectionOpener<S>;
  readonly #tokens: TokenManager<OpenedConnection<S>>;
  /** The authorization code grant and its flow; undefined for client credentials connectors. */
  readonly #authorizationCode: AuthorizationCode<S> | undefined;
  readonly #deadlines: CallDeadlines;
  readonly #limiter: TokenRequestLimiter;

  constructor(definition: ProviderDefinition<S>, runtime: ConnectorRuntime) {
    this.#definition = definition;
    this.#runtime = runtime;
    this.manifest = manifestOf(definition);
    this.#deadlines = runtime.deadlines ?? defaultCallDeadlines;
    this.#limiter = runtime.tokenLimiter ?? new MemoryTokenRequestLimiter();
    this.#connections = new ConnectionOpener(definition, runtime.endpointPolicy ?? strictEndpointPolicy);
    const grant = definition.grant;
    this.#authorizationCode =
      grant.type === 'authorization_code'
        ? { grant, flow: new AuthorizationFlow(runtime, grant) }
        : undefined;
    const refreshAuth = grant.refreshAuth;
    this.#tokens = new TokenManager<OpenedConnection<S>>({
      store: runtime.tokenStore,
      clock: runtime.clock,
      logger: runtime.logger,
      policy: definition.expiry,
      // A slot wait and a token call, each bounded by the token deadline, plus store round trips.
      leaseMs: 2 * this.#deadlines.tokenMs + LEASE_MARGIN_MS,
      cacheSize: runtime.tokenCacheSize,
      grants: {
        refresh:
          refreshAuth === undefined
            ? undefined
            : (connection, refreshToken, lease) =>
                this.#token(
                  connection,
                  () =>
                    refreshTokenGrantRequest(connection.endpoints.token, connection.client, refreshAuth, {
                      refreshToken,
                      redirectUri:
                        grant.type === 'authorization_code' && grant.redirectUriOnRefresh === true
                          ? connection.redirectUri
                          : undefined,
                    }),
                  { previousRefreshToken: refreshToken, lease },
                ),
        clientCredentials:
          grant.type === 'client_credentials'
            ? (connection, lease: Lease) =>
                this.#token(
                  connection,
                  () =>
                    clientCredentialsGrantRequest(connection.endpoints.token, connection.client, grant.auth, {
                      scope: grant.scope?.(connection.credentials),
                    }),
                  { lease },
                )
            : undefined,
        importedRefreshToken:
          grant.type === 'authorization_code' && grant.importedRefreshToken !== undefined
            ? (connection) => grant.importedRefreshToken?.(connection.credentials)
            : undefined,
      },
    });
  }

  /**
   * Builds a token request and sends it. A configuration error raised while building (e.g. plain
   * Basic refusing a client id with `:`) is re-raised with the connection's context.
   */
  async #token(
    connection: OpenedConnection<S>,
    build: () => TokenRequest,
    extra: TokenCallExtra,
  ): Promise<TokenSet> {
    let request: TokenRequest;
    try {
      request = build();
    } catch (error) {
      if (error instanceof ConnectorError && error.connectorId === undefined) {
        throw new ConnectorError(error.code, error.localized, { ...connection.context, cause: error });
      }
      throw error;
    }
    try {
      return await callTokenEndpoint(
        this.#runtime,
        {
          expiry: this.#definition.expiry,
          tokenTypes: this.#definition.tokenTypes,
          retry: this.#definition.retry,
          limiter: this.#limiter,
        },
        connection,
        request,
        extra,
      );
    } catch (error) {
      const explained = this.#explainInvalidClient(connection, error);
      throw explainBasicRefusal(explained, request.authentication, connection.client, connection.context);
    }
  }

  /**
   * `invalid_client` from a connection whose client secret is past its known expiry date is
   * reported as `ERR_CLIENT_SECRET_EXPIRED`, naming the date and the field to update. The expiry
   * date alone never blocks a call: only the provider's refusal confirms it.
   */
  #explainInvalidClient(connection: OpenedConnection<S>, error: unknown): unknown {
    if (!(error instanceof InvalidCredentialsError) || error.code !== ErrorCode.InvalidClient) return error;
    const expiresAt = clientSecretExpiry(
      connection.credentials as { clientSecretCreatedAt?: unknown; clientSecretExpiresAt?: unknown },
      this.#definition.clientSecret,
    );
    if (expiresAt === undefined || this.#runtime.clock.now() < expiresAt) return error;
    const day = new Date(expiresAt).toISOString().slice(0, 10);
    return new InvalidCredentialsError(
      [
        {
          pointer: connection.clientFields.secret,
          message: text(
            `venció el ${day}: genere uno nuevo en el portal del proveedor y actualícelo aquí`,
            `expired on ${day}: create a new one in the provider's portal and update it here`,
          ),
        },
      ],
      {
        ...connection.context,
        cause: error,
        code: ErrorCode.ClientSecretExpired,
        summary: text(
          `El proveedor rechazó el cliente y el secreto de cliente venció el ${day}: genere uno nuevo y actualice la conexión.`,
          `The provider rejected the client and the client secret expired on ${day}: create a new one and update the connection.`,
        ),
      },
    );
  }

  #open(connection: ConnectionInput): OpenedConnection<S> {
    return this.#connections.open(connection);
  }

  #requireAuthorizationCode(connection: OpenedConnection<S>): AuthorizationCode<S> {
    if (this.#authorizationCode === undefined) {
      throw new ConnectorError(
        ErrorCode.Unsupported,
        text(
          'Este conector usa client credentials: no hay autorización interactiva; pida un token directamente.',
          'This connector uses client credentials: there is no interactive authorization; request a token directly.',
        ),
        connection.context,
      );
    }
    return this.#authorizationCode;
  }

  validateCredentials(credentials: unknown): void {
    validateCredentials(this.#definition.credentialSchema, credentials, { connectorId: this.manifest.id });
  }

  async startAuthorization(
    connection: ConnectionInput,
    options: CallOptions = {},
  ): Promise<AuthorizationStart> {
    const opened = this.#open(connection);
    throwIfAborted(options.signal, opened.context);
    return this.#requireAuthorizationCode(opened).flow.start(opened);
  }

  async completeAuthorization(
    connection: ConnectionInput,
    callback: CallbackInput,
    options: CallOptions = {},
  ): Promise<AuthorizationResult> {
    const opened = this.#open(connection);
    throwIfAborted(options.signal, opened.context);
    const { grant, flow } = this.#requireAuthorizationCode(opened);
    return flow.complete(opened, callback, (code, pending) =>
      this.#exchangeCode(opened, grant, code, pending, options.signal),
    );
  }

  /**
   * The code exchange (RFC 6749 §4.1.3) with the pending authorization's verifier and exact
   * redirect URI; stores the tokens and reports facts about them, never their values.
   */
  async #exchangeCode(
    opened: OpenedConnection<S>,
    grant: AuthorizationCodeGrantDefinition<OpenedConnection<S>['credentials']>,
    code: string,
    pending: PendingAuthorization,
    signal: AbortSignal | undefined,
  ): Promise<AuthorizationResult> {
    const tokens = await this.#token(
      opened,
      () =>
        authorizationCodeGrantRequest(opened.endpoints.token, opened.client, grant.codeExchangeAuth, {
          code,
          redirectUri: pending.redirectUri,
          codeVerifier: pending.codeVerifier,
          extra: grant.tokenParams?.(opened.credentials),
        }),
      { signal },
    );
    if (tokens.refreshToken === undefined && grant.missingRefreshToken === 'error') {
      throw new ConnectorError(
        ErrorCode.Configuration,
        grant.missingRefreshTokenHint ??
          text(
            'El proveedor no emitió un token de actualización: habilite la emisión de tokens de actualización en el cliente de API (y el alcance offline_access) y autorice de nuevo.',
            'The provider issued no refresh token: enable refresh tokens on the API client (and the offline_access scope) and authorize again.',
          ),
        opened.context,
      );
    }
    const maxAge = this.#definition.expiry.refreshTokenMaxAgeSeconds;
    const deadline =
      maxAge === undefined || tokens.refreshToken === undefined ? undefined : tokens.issuedAt + maxAge * 1000;
    await this.#tokens.storeAuthorization(opened, tokens, deadline);
    const status = await this.#status(opened);
    return {
      connectionId: opened.id,
      accessTokenExpiresAt: tokens.expiresAt,
      hasRefreshToken: tokens.refreshToken !== undefined,
      reauthorizationRequiredAt: deadline,
      scope: tokens.scope,
      warnings: status.warnings,
    };
  }

  /** Not `async` on purpose: a cache hit returns the cached, already-resolved promise (hot path). */
  getAccessToken(connection: ConnectionInput, options: GetAccessTokenOptions = {}): Promise<AccessToken> {
    let opened: OpenedConnection<S>;
    try {
      opened = this.#open(connection);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    return this.#tokens.getAccessToken(opened, { force: options.forceRefresh, signal: options.signal });
  }

  async request(connection: ConnectionInput, request: ApiRequest): Promise<ApiResponse> {
    const opened = this.#open(connection);
    return authorizedRequest(
      this.#runtime,
      opened.endpoints.apiBase,
      request,
      opened.context,
      this.#deadlines.apiMs,
      ({ rejectedAccessToken, signal }) =>
        this.#tokens.getAccessToken(opened, {
          force: rejectedAccessToken !== undefined,
          rejectedAccessToken,
          signal,
        }),
      this.#definition.retry,
    );
  }

  async getStatus(connection: ConnectionInput): Promise<ConnectionStatus> {
    return this.#status(this.#open(connection));
  }

  async #status(opened: OpenedConnection<S>): Promise<ConnectionStatus> {
    return connectionStatus({
      connectorId: this.manifest.id,
      connectionId: opened.id,
      record: await this.#runtime.tokenStore.get(opened.key),
      credentials: opened.credentials as { clientSecretCreatedAt?: unknown; clientSecretExpiresAt?: unknown },
      clientSecret: this.#definition.clientSecret,
      expiry: this.#definition.expiry,
      now: this.#runtime.clock.now(),
      renewsWithoutRefreshToken: this.#definition.grant.type === 'client_credentials',
      origins: opened.origins,
    });
  }

  /**
   * "Validar conexión": a verdict, not an exception, for every failure a person can act on
   * (bad settings, expired secret, reauthorization, provider down). Only `ERR_ABORTED` is thrown:
   * the caller cancelled, there is nothing to report.
   */
  async validateConnection(
    connection: ConnectionInput,
    options: CallOptions = {},
  ): Promise<ValidationVerdict> {
    let opened: OpenedConnection<S>;
    try {
      opened = this.#open(connection);
    } catch (error) {
      return verdictFrom(emptyStatus(this.manifest.id, connection.id), { error });
    }
    throwIfAborted(options.signal, opened.context);
    const before = await this.#status(opened);
    const expired = before.warnings.find((w) => w.code === 'client_secret_expired');
    if (expired !== undefined) {
      return verdictFrom(before, {
        error: new ConnectorError(ErrorCode.ClientSecretExpired, expired.message, opened.context),
      });
    }
    const probe = this.#definition.validation;
    let probeStatus: number | undefined;
    let probeUrl: string | undefined;
    try {
      if (probe === undefined) {
        await this.getAccessToken(connection, options);
      } else {
        const url = apiUrl(
          opened.endpoints.apiBase,
          { method: probe.method, path: probe.path },
          opened.context,
        );
        probeUrl = `${url.origin}${url.pathname}`;
        const response = await this.request(connection, {
          method: probe.method,
          path: probe.path,
          query: probe.query,
          signal: options.signal,
          retry: true,
        });
        probeStatus = response.status;
      }
    } catch (error) {
      if (isConnectorError(error) && error.code === ErrorCode.Aborted) throw error;
      return verdictFrom(await this.#status(opened), { error, probeUrl });
    }
    return verdictFrom(await this.#status(opened), { probeStatus, probeUrl });
  }

  /**
   * Forgets the tokens and every pending authorization of the connection. Needs only its id:
   * a connection whose settings no longer validate can still be disconnected.
   */
  async disconnect(connection: ConnectionInput): Promise<void> {
    await this.#tokens.forget(connectionKey(this.manifest.id, connection.id));
    await this.#runtime.pendingStore.forgetConnection(this.manifest.id, connection.id);
  }
}

interface AuthorizationCode<S extends CredentialSchema> {
  readonly grant: AuthorizationCodeGrantDefinition<OpenedConnection<S>['credentials']>;
  readonly flow: AuthorizationFlow<OpenedConnection<S>['credentials']>;
}

function emptyStatus(connectorId: string, connectionId: string): ConnectionStatus {
  return { connectorId, connectionId, state: 'not_authorized', hasRefreshToken: false, warnings: [] };
}
