import type { LocalizedText } from '../errors/localized.js';
import type { CredentialSchema } from '../credentials/schema-types.js';
import type { CallbackInput } from '../oauth/callback.js';
import type { BasicEncoding } from '../oauth/client-authentication.js';
import type { AccessToken } from '../tokens/token-set.js';
import type { ExpiryPolicy } from '../tokens/expiry-policy.js';
import type { Endpoints, ValidationProbe } from './definition.js';
import type { ConnectionStatus, ConnectionWarning, ValidationVerdict } from './status.js';

/** A client authentication method as declared in a manifest. */
export interface DeclaredClientAuthentication {
  readonly method: 'client_secret_basic' | 'client_secret_post' | 'none';
  readonly encoding?: BasicEncoding | undefined;
}

/** What a connector is and can do: read by hosts, forms and the conformance kit. */
export interface ConnectorManifest {
  readonly id: string;
  readonly version: string;
  readonly displayName: LocalizedText;
  readonly description: LocalizedText;
  readonly grant: 'authorization_code' | 'client_credentials';
  readonly capabilities: {
    readonly authorizationCode: boolean;
    readonly pkce: boolean;
    readonly refreshToken: boolean;
    readonly clientCredentials: boolean;
    /** The refresh token has an absolute lifetime not extended by refreshing. */
    readonly refreshTokenDeadline: boolean;
    readonly regions: readonly string[];
  };
  readonly endpoints: Readonly<Record<string, Endpoints>>;
  /**
   * Every origin the connector talks to (its regions' endpoints and any extra it declares).
   * Endpoints elsewhere are refused unless the host's `EndpointPolicy` allows them.
   */
  readonly origins: readonly string[];
  /** RFC 9207: whether the provider always sends `iss` on the callback. */
  readonly issuerParameter?: 'required' | 'optional' | undefined;
  readonly clientAuthentication: {
    readonly codeExchange?: DeclaredClientAuthentication | undefined;
    readonly refresh?: DeclaredClientAuthentication | undefined;
    readonly clientCredentials?: DeclaredClientAuthentication | undefined;
  };
  readonly expiry: ExpiryPolicy;
  readonly credentialSchema: CredentialSchema;
  /** Credential fields holding the client id and secret. */
  readonly clientFields: { readonly id: string; readonly secret: string };
  readonly validation?: ValidationProbe | undefined;
  /** Valid dummy credentials (documentation, conformance kit). */
  readonly sampleCredentials: Readonly<Record<string, unknown>>;
}

/** One configured integration of a connector: its id and its (unvalidated) credentials. */
export interface ConnectionInput {
  readonly id: string;
  readonly credentials: unknown;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

export interface GetAccessTokenOptions extends CallOptions {
  /** Skip the cache and refresh now (the engine still joins a refresh already in flight). */
  readonly forceRefresh?: boolean | undefined;
}

/** The start of an authorization: send the person's browser to `url`. */
export interface AuthorizationStart {
  readonly url: string;
  /** Also in the URL; returned so a host can bind it to the person's session. */
  readonly state: string;
  readonly expiresAt: number;
}

/** What `completeAuthorization` reports: facts about the stored grant, no token values. */
export interface AuthorizationResult {
  readonly connectionId: string;
  readonly accessTokenExpiresAt: number;
  readonly hasRefreshToken: boolean;
  readonly reauthorizationRequiredAt?: number | undefined;
  readonly scope?: string | undefined;
  readonly warnings: readonly ConnectionWarning[];
}

/** An authorized call against the connection's API base. */
export interface ApiRequest extends CallOptions {
  readonly method: string;
  /** A path on the API base (`/analytics/v1/…`). Absolute URLs are refused. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>> | undefined;
  readonly headers?: Readonly<Record<string, string>> | undefined;
  /** An object is sent as JSON; a string or Buffer as is. */
  readonly body?: unknown;
  /** Retry transient statuses (5xx, 429). Default: true for GET/HEAD/OPTIONS only. */
  readonly retry?: boolean | undefined;
}

export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
  text(): string;
  /** Parses the body as JSON; an `ERR_INVALID_PROVIDER_RESPONSE` when it is not. */
  json<T = unknown>(): T;
}

/**
 * The contract every connector fulfils, ours and third parties'. A connector is a singleton per
 * provider; connections are data it serves. Every method validates the connection's credentials
 * first (no network call with bad settings) and takes an `AbortSignal`.
 */
export interface Connector {
  readonly manifest: ConnectorManifest;
  /** Throws `InvalidCredentialsError` listing every bad field. */
  validateCredentials(credentials: unknown): void;
  /** Authorization code connectors: builds the URL and stores state (and PKCE verifier). */
  startAuthorization(connection: ConnectionInput, options?: CallOptions): Promise<AuthorizationStart>;
  /** Checks the callback, exchanges the code, stores the tokens. */
  completeAuthorization(
    connection: ConnectionInput,
    callback: CallbackInput,
    options?: CallOptions,
  ): Promise<AuthorizationResult>;
  getAccessToken(connection: ConnectionInput, options?: GetAccessTokenOptions): Promise<AccessToken>;
  request(connection: ConnectionInput, request: ApiRequest): Promise<ApiResponse>;
  validateConnection(connection: ConnectionInput, options?: CallOptions): Promise<ValidationVerdict>;
  getStatus(connection: ConnectionInput): Promise<ConnectionStatus>;
  /** Forgets the connection's tokens (the provider-side grant is not revoked). */
  disconnect(connection: ConnectionInput): Promise<void>;
}
