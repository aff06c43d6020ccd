import {
  OAuthConnector,
  sendHttp,
  type ApiRequest,
  type ApiResponse,
  type ConnectionInput,
  type Connector,
  type ConnectorRuntime,
} from '@aic/connector-core';
import { interceptors } from 'undici';
import { DelegatingConnector } from '../delegating-connector.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/**
 * Takes an absolute (or protocol-relative) URL as "the path" — e.g. a provider's next-page link —
 * and sends the Bearer token there instead of refusing it.
 */
class FollowsAbsoluteUrls extends DelegatingConnector {
  readonly #runtime: ConnectorRuntime;

  constructor(inner: Connector, runtime: ConnectorRuntime) {
    super(inner);
    this.#runtime = runtime;
  }

  override async request(connection: ConnectionInput, request: ApiRequest): Promise<ApiResponse> {
    if (!/^(?:[a-z][a-z0-9+.-]*:)?\/\//i.test(request.path)) return super.request(connection, request);
    const url = new URL(request.path, 'https://unused.invalid');
    const token = await this.getAccessToken(connection);
    const response = await sendHttp(this.#runtime.dispatcher, {
      method: request.method,
      url,
      headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/json' },
    });
    return {
      status: response.status,
      headers: response.headers,
      body: response.body,
      text: () => response.body.toString('utf8'),
      json: <T>() => JSON.parse(response.body.toString('utf8')) as T,
    };
  }
}

export const bearerToAbsoluteUrl: BrokenConnector = {
  name: 'bearer-to-absolute-url',
  breaks: 'sends the Bearer token to an absolute URL given as the path',
  module: moduleOf((runtime) => new FollowsAbsoluteUrls(new OAuthConnector(referenceCode, runtime), runtime)),
  caughtBy: ['api-request.bearer-stays-in-base'],
};

export const followsRedirects: BrokenConnector = {
  name: 'follows-redirects',
  breaks: 'lets its HTTP client follow redirects (undici’s redirect interceptor), credentials included',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(referenceCode, {
        ...runtime,
        dispatcher: runtime.dispatcher.compose(interceptors.redirect({ maxRedirections: 3 })),
      }),
  ),
  caughtBy: ['token-request.no-credentials-on-redirect', 'api-request.no-credentials-on-redirect'],
};
