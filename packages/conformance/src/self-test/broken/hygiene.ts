import type { ContainerModule } from 'inversify';
import { OAuthConnector, type ConnectionInput, type Connector, type Logger } from '@aic/connector-core';
import { DelegatingConnector } from '../delegating-connector.js';
import { debugHook, type LastRequest } from './leaky-http.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/** Logs every callback it receives, code included. */
class LogsCallbacks extends DelegatingConnector {
  readonly #logger: Logger;

  constructor(inner: OAuthConnector, logger: Logger) {
    super(inner);
    this.#logger = logger;
  }

  override completeAuthorization(
    connection: ConnectionInput,
    callback: Parameters<DelegatingConnector['completeAuthorization']>[1],
  ) {
    this.#logger.log('debug', `callback received: ${String(callback)}`);
    return super.completeAuthorization(connection, callback);
  }
}

export const logsSecret: BrokenConnector = {
  name: 'logs-secret',
  breaks: 'writes the callback URL, authorization code included, to the log',
  module: moduleOf(
    (runtime) => new LogsCallbacks(new OAuthConnector(referenceCode, runtime), runtime.logger),
  ),
  caughtBy: ['hygiene.success-paths', 'hygiene.error-paths'],
};

/** The reference code connector with an HTTP debugging hook that sees each request and its status. */
function watchedByDebugHook(onResponse: (request: LastRequest, status: number) => void): ContainerModule {
  return moduleOf(
    (runtime) =>
      new OAuthConnector(referenceCode, {
        ...runtime,
        dispatcher: runtime.dispatcher.compose(debugHook(onResponse)),
      }),
  );
}

/** Prints the rejected request's `Authorization` header when the API answers 401. */
export const consoleLogsToken: BrokenConnector = {
  name: 'console-logs-token',
  breaks: 'prints the access token with console.log when the API answers 401',
  module: watchedByDebugHook((request, status) => {
    if (status === 401 && request.headers['authorization']?.startsWith('Bearer ') === true) {
      // eslint-disable-next-line no-console -- the rule this broken connector breaks
      console.log(`[acme] 401 for ${request.path}; sent ${request.headers['authorization']}`);
    }
  }),
  caughtBy: [
    'refresh.api-401-rotation',
    'refresh.api-401-reauthorization',
    'connection.token-isolation',
    'hygiene.success-paths',
  ],
};

/** Dumps a refresh request the token endpoint refused to stderr, refresh token included. */
export const stderrDumpsRefresh: BrokenConnector = {
  name: 'stderr-dumps-refresh',
  breaks: 'writes a refused refresh request, refresh token included, to process.stderr',
  module: watchedByDebugHook((request, status) => {
    if (status === 400 && request.body.includes('grant_type=refresh_token')) {
      process.stderr.write(`refresh refused (${status}): ${request.body}\n`);
    }
  }),
  caughtBy: ['refresh.invalid-grant', 'hygiene.error-paths'],
};

/** Wraps the connector's errors: `wrap(error, lastRequest)` is thrown instead. */
class WrapsErrors extends DelegatingConnector {
  readonly #wrap: (error: unknown) => unknown;

  constructor(inner: Connector, wrap: (error: unknown) => unknown) {
    super(inner);
    this.#wrap = wrap;
  }

  override completeAuthorization(...args: Parameters<Connector['completeAuthorization']>) {
    return super.completeAuthorization(...args).catch((error: unknown) => Promise.reject(this.#wrap(error)));
  }

  override getAccessToken(...args: Parameters<Connector['getAccessToken']>) {
    return super.getAccessToken(...args).catch((error: unknown) => Promise.reject(this.#wrap(error)));
  }

  override request(...args: Parameters<Connector['request']>) {
    return super.request(...args).catch((error: unknown) => Promise.reject(this.#wrap(error)));
  }
}

/** A connector whose errors get `decorate(error, lastRequest)` applied (the last request as its HTTP hook saw it). */
function decoratingErrors(
  decorate: (error: unknown, last: LastRequest | undefined) => unknown,
): ContainerModule {
  return moduleOf((runtime) => {
    const last: { request?: LastRequest } = {};
    const inner = new OAuthConnector(referenceCode, {
      ...runtime,
      dispatcher: runtime.dispatcher.compose(debugHook(() => undefined, last)),
    });
    return new WrapsErrors(inner, (error) => decorate(error, last.request));
  });
}

export const secretOnErrorProperty: BrokenConnector = {
  name: 'secret-on-error-property',
  breaks: 'attaches the failed request’s headers (the Basic credentials) to its errors as a property',
  module: decoratingErrors((error, last) => {
    if (error instanceof Error && last !== undefined) {
      Object.defineProperty(error, 'request', {
        value: { method: last.method, path: last.path, headers: last.headers },
        enumerable: true,
      });
    }
    return error;
  }),
  caughtBy: ['hygiene.error-paths'],
};

export const secretInErrorCause: BrokenConnector = {
  name: 'secret-in-error-cause',
  breaks: 'puts the failed request body (codes, secrets, refresh tokens) in its errors’ cause chain',
  module: decoratingErrors((error, last) => {
    if (!(error instanceof Error) || last === undefined) return error;
    const cause = Object.assign(new Error('the token request failed', { cause: error.cause }), {
      requestBody: last.body,
    });
    Object.defineProperty(error, 'cause', { value: cause, enumerable: false, configurable: true });
    return error;
  }),
  caughtBy: ['hygiene.error-paths'],
};
