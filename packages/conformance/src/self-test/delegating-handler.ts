import type { Dispatcher } from 'undici';

type Handler = Dispatcher.DispatchHandler;

/**
 * An undici dispatch handler that forwards every call to another: broken fixtures that watch or
 * change a response override one method (as {@link DelegatingConnector} does for connectors).
 */
export class DelegatingHandler implements Handler {
  protected readonly inner: Handler;

  constructor(inner: Handler) {
    this.inner = inner;
  }

  onRequestStart(...args: Parameters<NonNullable<Handler['onRequestStart']>>) {
    this.inner.onRequestStart?.(...args);
  }

  onRequestUpgrade(...args: Parameters<NonNullable<Handler['onRequestUpgrade']>>) {
    this.inner.onRequestUpgrade?.(...args);
  }

  onResponseStart(...args: Parameters<NonNullable<Handler['onResponseStart']>>) {
    this.inner.onResponseStart?.(...args);
  }

  onResponseData(...args: Parameters<NonNullable<Handler['onResponseData']>>) {
    this.inner.onResponseData?.(...args);
  }

  onResponseEnd(...args: Parameters<NonNullable<Handler['onResponseEnd']>>) {
    this.inner.onResponseEnd?.(...args);
  }

  onResponseError(...args: Parameters<NonNullable<Handler['onResponseError']>>) {
    this.inner.onResponseError?.(...args);
  }
}
