import type {
  AccessToken,
  ApiRequest,
  ApiResponse,
  AuthorizationResult,
  AuthorizationStart,
  CallOptions,
  ConnectionInput,
  ConnectionStatus,
  Connector,
  ConnectorManifest,
  GetAccessTokenOptions,
  ValidationVerdict,
} from '@aic/connector-core';

type Callback = Parameters<Connector['completeAuthorization']>[1];

/** A connector that forwards everything to another: broken fixtures override one method. */
export class DelegatingConnector implements Connector {
  protected readonly inner: Connector;

  constructor(inner: Connector) {
    this.inner = inner;
  }

  get manifest(): ConnectorManifest {
    return this.inner.manifest;
  }

  validateCredentials(credentials: unknown): void {
    this.inner.validateCredentials(credentials);
  }

  startAuthorization(connection: ConnectionInput, options?: CallOptions): Promise<AuthorizationStart> {
    return this.inner.startAuthorization(connection, options);
  }

  completeAuthorization(
    connection: ConnectionInput,
    callback: Callback,
    options?: CallOptions,
  ): Promise<AuthorizationResult> {
    return this.inner.completeAuthorization(connection, callback, options);
  }

  getAccessToken(connection: ConnectionInput, options?: GetAccessTokenOptions): Promise<AccessToken> {
    return this.inner.getAccessToken(connection, options);
  }

  request(connection: ConnectionInput, request: ApiRequest): Promise<ApiResponse> {
    return this.inner.request(connection, request);
  }

  validateConnection(connection: ConnectionInput, options?: CallOptions): Promise<ValidationVerdict> {
    return this.inner.validateConnection(connection, options);
  }

  getStatus(connection: ConnectionInput): Promise<ConnectionStatus> {
    return this.inner.getStatus(connection);
  }

  disconnect(connection: ConnectionInput): Promise<void> {
    return this.inner.disconnect(connection);
  }
}

/** A callback as query parameters, whatever form the host passed. */
export function callbackParams(callback: Callback): URLSearchParams {
  if (callback instanceof URLSearchParams) return new URLSearchParams(callback);
  if (callback instanceof URL) return new URLSearchParams(callback.search);
  if (typeof callback === 'string') {
    return URL.canParse(callback) ? new URL(callback).searchParams : new URLSearchParams(callback);
  }
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(callback)) {
    for (const item of typeof value === 'string' ? [value] : (value ?? [])) params.append(name, item);
  }
  return params;
}
