import { OAuthConnector } from '@aic/connector-core';
import type { Dispatcher } from 'undici';
import { DelegatingHandler } from '../delegating-handler.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

type Handler = Dispatcher.DispatchHandler;

/**
 * Passes every response on, except that a `Retry-After` that is not delay-seconds (an HTTP-date)
 * is dropped: the connector behaves like one whose parser only reads `Retry-After: 120`.
 */
class SecondsOnlyRetryAfter extends DelegatingHandler {
  override onResponseStart(
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
    super.onResponseStart(controller, statusCode, kept, statusMessage);
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
