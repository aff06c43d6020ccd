import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, isConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import type { CredentialSchema } from '../credentials/schema-types.js';
import { validateCredentials } from '../credentials/validator.js';
import type { CallbackInput } from '../oauth/callback.js';
import type { ClientAuthentication } from '../oauth/client-authentication.js';
import {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  refreshTokenGrantRequest,
} from '../oauth/token-request.js';
import { TokenManager } from '../lifecycle/token-manager.js';
import type { AccessToken } from '../tokens/token-set.js';
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
  DeclaredClientAuthentication,
  GetAccessTokenOptions,
} from './contract.js';
import type { ProviderDefinition } from './definition.js';
import type { ConnectorRuntime } from './runtime.js';
import type { ConnectionStatus, ValidationVerdict } from './status.js';
import { connectionStatus, verdictFrom } from './status-report.js';
import { callTokenEndpoint } from './token-endpoint.js';

const declared = (auth: ClientAuthentication | undefined): DeclaredClientAuthentication | undefined =>
  auth === undefined ? undefined : { method: auth.method, encoding: auth.encoding };

/** The manifest a definition declares. */
export function manifestOf(definition: ProviderDefinition): ConnectorManifest {
  const grant = definition.grant;
  const code = grant.type === 'authorization_code';
  return Object.freeze({
    id: definition.id,
    version: definition.version,
    displayName: definition.displayName,
    description: definition.description,
    grant: grant.type,
    capabilities: {
      authorizationCode: code,
      pkce: code && grant.pkce === 'S256',
      refreshToken: code || grant.refreshAuth !== undefined,
      clientCredentials: !code,
      refreshTokenDeadline:
        definition.expiry.refreshTokenMaxAgeSeconds !== undefined &&
        definition.expiry.refreshTokenAgeFrom === 'authorization',
      regions: Object.keys(definition.regions),
    },
    endpoints: definition.regions,
    clientAuthentication: code
      ? { codeExchange: declared(grant.codeExchangeAuth), refresh: declared(grant.refreshAuth) }
      : { clientCredentials: declared(grant.auth), refresh: declared(grant.refreshAuth) },
    expiry: definition.expiry,
    credentialSchema: definition.credentialSchema,
    clientFields: definition.clientFields ?? { id: 'clientId', secret: 'clientSecret' },
    validation: definition.validation,
    sampleCredentials: definition.sampleCredentials as Readonly<Record<string, unknown>>,
  });
}

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
  readonly #flow: AuthorizationFlow<OpenedConnection<S>['credentials']> | undefined;

  constructor(definition: ProviderDefinition<S>, runtime: ConnectorRuntime) {
    this.#definition = definition;
    this.#runtime = runtime;
    this.manifest = manifestOf(definition as unknown as ProviderDefinition);
    this.#connections = new ConnectionOpener(definition);
    const grant = definition.grant;
    this.#flow = grant.type === 'authorization_code' ? new AuthorizationFlow(runtime, grant) : undefined;
    const refreshAuth = grant.type === 'authorization_code' ? grant.refreshAuth : grant.refreshAuth;
    this.#tokens = new TokenManager<OpenedConnection<S>>({
      store: runtime.tokenStore,
      clock: runtime.clock,
      logger: runtime.logger,
      policy: definition.expiry,
      grants: {
        refresh:
          refreshAuth === undefined
            ? undefined
            : (connection, refreshToken) =>
                this.#token(
                  connection,
                  refreshTokenGrantRequest(connection.endpoints.token, connection.client, refreshAuth, {
                    refreshToken,
                    redirectUri:
                      grant.type === 'authorization_code' && grant.redirectUriOnRefresh === true
                        ? connection.redirectUri
                        : undefined,
                  }),
                  refreshToken,
                ),
        clientCredentials:
          grant.type === 'client_credentials'
            ? (connection) =>
                this.#token(
                  connection,
                  clientCredentialsGrantRequest(connection.endpoints.token, connection.client, grant.auth, {
                    scope: grant.scope?.(connection.credentials),
                  }),
                )
            : undefined,
        importedRefreshToken:
          grant.type === 'authorization_code' && grant.importedRefreshToken !== undefined
            ? (connection) => grant.importedRefreshToken?.(connection.credentials)
            : undefined,
      },
    });
  }

  #token(
    connection: OpenedConnection<S>,
    request: Parameters<typeof callTokenEndpoint>[3],
    previous?: string,
    signal?: AbortSignal,
  ) {
    return callTokenEndpoint(
      this.#runtime,
      {
        expiry: this.#definition.expiry,
        tokenTypes: this.#definition.tokenTypes,
        retry: this.#definition.retry,
      },
      connection,
      request,
      { previousRefreshToken: previous, signal },
    );
  }

  #open(connection: ConnectionInput): OpenedConnection<S> {
    return this.#connections.open(connection);
  }

  #requireFlow(connection: OpenedConnection<S>): AuthorizationFlow<OpenedConnection<S>['credentials']> {
    if (this.#flow === undefined) {
      throw new ConnectorError(
        ErrorCode.Unsupported,
        text(
          'Este conector usa client credentials: no hay autorización interactiva; pida un token directamente.',
          'This connector uses client credentials: there is no interactive authorization; request a token directly.',
        ),
        connection.context,
      );
    }
    return this.#flow;
  }

  validateCredentials(credentials: unknown): void {
    validateCredentials(this.#definition.credentialSchema, credentials, { connectorId: this.manifest.id });
  }

  async startAuthorization(
    connection: ConnectionInput,
    options: CallOptions = {},
  ): Promise<AuthorizationStart> {
    options.signal?.throwIfAborted();
    const opened = this.#open(connection);
    return this.#requireFlow(opened).start(opened);
  }

  async completeAuthorization(
    connection: ConnectionInput,
    callback: CallbackInput,
    options: CallOptions = {},
  ): Promise<AuthorizationResult> {
    const opened = this.#open(connection);
    const flow = this.#requireFlow(opened);
    const grant = this.#definition.grant;
    if (grant.type !== 'authorization_code') throw new Error('unreachable');
    return flow.complete(opened, callback, async (code, pending) => {
      const tokens = await this.#token(
        opened,
        authorizationCodeGrantRequest(opened.endpoints.token, opened.client, grant.codeExchangeAuth, {
          code,
          redirectUri: pending.redirectUri,
          codeVerifier: pending.codeVerifier,
          extra: grant.tokenParams?.(opened.credentials),
        }),
        undefined,
        options.signal,
      );
      if (tokens.refreshToken === undefined && grant.missingRefreshToken === 'error') {
        throw new ConnectorError(
          ErrorCode.Configuration,
          text(
            'El proveedor no emitió un token de actualización: habilite la emisión de tokens de actualización en el cliente de API (y el alcance offline_access) y autorice de nuevo.',
            'The provider issued no refresh token: enable refresh tokens on the API client (and the offline_access scope) and authorize again.',
          ),
          opened.context,
        );
      }
      const expiry = this.#definition.expiry;
      const deadline =
        expiry.refreshTokenMaxAgeSeconds === undefined || tokens.refreshToken === undefined
          ? undefined
          : tokens.issuedAt + expiry.refreshTokenMaxAgeSeconds * 1000;
      await this.#tokens.storeAuthorization(opened, tokens, deadline);
      const status = await this.getStatus(connection);
      return {
        connectionId: opened.id,
        accessTokenExpiresAt: tokens.expiresAt,
        hasRefreshToken: tokens.refreshToken !== undefined,
        reauthorizationRequiredAt: deadline,
        scope: tokens.scope,
        warnings: status.warnings,
      };
    });
  }

  getAccessToken(connection: ConnectionInput, options: GetAccessTokenOptions = {}): Promise<AccessToken> {
    return this.#tokens.getAccessToken(this.#open(connection), {
      force: options.forceRefresh,
      signal: options.signal,
    });
  }

  request(connection: ConnectionInput, request: ApiRequest): Promise<ApiResponse> {
    const opened = this.#open(connection);
    return authorizedRequest(
      this.#runtime,
      opened.endpoints.apiBase,
      request,
      opened.context,
      ({ rejectedAccessToken }) =>
        this.#tokens.getAccessToken(opened, {
          force: rejectedAccessToken !== undefined,
          rejectedAccessToken,
          signal: request.signal,
        }),
      this.#definition.retry,
    );
  }

  async getStatus(connection: ConnectionInput): Promise<ConnectionStatus> {
    const opened = this.#open(connection);
    return connectionStatus({
      connectorId: this.manifest.id,
      connectionId: opened.id,
      record: await this.#runtime.tokenStore.get(opened.key),
      credentials: opened.credentials as { clientSecretCreatedAt?: unknown; clientSecretExpiresAt?: unknown },
      clientSecret: this.#definition.clientSecret,
      expiry: this.#definition.expiry,
      now: this.#runtime.clock.now(),
    });
  }

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
    const before = await this.getStatus(connection);
    const expired = before.warnings.find((w) => w.code === 'client_secret_expired');
    if (expired !== undefined) {
      return verdictFrom(before, {
        error: new ConnectorError(ErrorCode.ClientSecretExpired, expired.message, opened.context),
      });
    }
    const probe = this.#definition.validation;
    try {
      let probeStatus: number | undefined;
      if (probe === undefined) {
        await this.getAccessToken(connection, options);
      } else {
        apiUrl(opened.endpoints.apiBase, { method: probe.method, path: probe.path }, opened.context);
        const response = await this.request(connection, {
          method: probe.method,
          path: probe.path,
          query: probe.query,
          signal: options.signal,
          retry: true,
        });
        probeStatus = response.status;
      }
      return verdictFrom(await this.getStatus(connection), { probeStatus });
    } catch (error) {
      if (isConnectorError(error) && error.code === ErrorCode.Aborted) throw error;
      return verdictFrom(await this.getStatus(connection), { error });
    }
  }

  async disconnect(connection: ConnectionInput): Promise<void> {
    await this.#tokens.forget(this.#open(connection));
  }
}

function emptyStatus(connectorId: string, connectionId: string): ConnectionStatus {
  return { connectorId, connectionId, state: 'not_authorized', hasRefreshToken: false, warnings: [] };
}
