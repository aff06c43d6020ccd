import { OAuthConnector } from '@aic/connector-core';
import type { Dispatcher } from 'undici';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

type Handler = Dispatcher.DispatchHandler;

/**
 * Passes every response on, except that a `Retry-After` that is not delay-seconds (an HTTP-date)
 * is dropped: the connector behaves like one whose parser only reads `Retry-After: 120`.
 */
class SecondsOnlyRetryAfter implements Handler {
  readonly #inner: Handler;

  constructor(inner: Handler) {
    this.#inner = inner;
  }

  onRequestStart(...args: Parameters<NonNullable<Handler['onRequestStart']>>) {
    this.#inner.onRequestStart?.(...args);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Handler['onRequestUpgrade']>>) {
    this.#inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(
    controller: Parameters<NonNullable<Handler['onResponseStart']>>[0],
    statusCode: number,
    headers: Parameters<NonNullable<Handler['onResponseStart']>>[2],
    statusMessage?: string,
  ) {
    const retryAfter = headers['retry-after'];
    const kept =
      typeof retryAfter === 'string' && !/^\s*\d+\s*$/.test(retryAfter)
        ? Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'retry-after'))
        : headers;
    this.#inner.onResponseStart?.(controller, statusCode, kept, statusMessage);
  }

  onResponseData(...args: Parameters<NonNullable<Handler['onResponseData']>>) {
    this.#inner.onResponseData?.(...args);
  }

  onResponseEnd(...args: Parameters<NonNullable<Handler['onResponseEnd']>>) {
    this.#inner.onResponseEnd?.(...args);
  }

  onResponseError(...args: Parameters<NonNullable<Handler['onResponseError']>>) {
    this.#inner.onResponseError?.(...args);
  }
}

const secondsOnlyRetryAfter: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (options, handler) =>
  dispatch(options, new SecondsOnlyRetryAfter(handler));

export const ignoresRetryAfterDate: BrokenConnector = {
  name: 'ignores-retry-after-date',
  breaks: 'reads Retry-After only as seconds, ignoring the HTTP-date form',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(referenceCode, {
        ...runtime,
        dispatcher: runtime.dispatcher.compose(secondsOnlyRetryAfter),
      }),
  ),
  caughtBy: ['refresh.retry-after-date'],
};

export const ignoresMaxLifetime: BrokenConnector = {
  name: 'ignores-max-lifetime',
  breaks: 'declares a maximum token lifetime of 2 hours but never applies it',
  module: moduleOf((runtime) => {
    const connector = new OAuthConnector(referenceCode, runtime);
    Object.defineProperty(connector, 'manifest', {
      value: Object.freeze({
        ...connector.manifest,
        expiry: { ...connector.manifest.expiry, maxLifetimeSeconds: 7200 },
      }),
    });
    return connector;
  }),
  caughtBy: ['token-response.max-lifetime'],
};
