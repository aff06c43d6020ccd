import type { Dispatcher } from 'undici';
import { DelegatingHandler } from '../delegating-handler.js';

type Handler = Dispatcher.DispatchHandler;

/** What the last request carried, as an HTTP debugging hook would keep it. */
export interface LastRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Forwards every handler call; `onStatus` sees each response's status first. */
class WatchingHandler extends DelegatingHandler {
  readonly #onStatus: (status: number) => void;

  constructor(inner: Handler, onStatus: (status: number) => void) {
    super(inner);
    this.#onStatus = onStatus;
  }

  override onResponseStart(...args: Parameters<NonNullable<Handler['onResponseStart']>>) {
    this.#onStatus(args[1]);
    super.onResponseStart(...args);
  }
}

const headersOf = (headers: Dispatcher.DispatchOptions['headers']): Record<string, string> => {
  if (headers === null || headers === undefined || typeof headers !== 'object' || Array.isArray(headers))
    return {};
  return Object.fromEntries(
    Object.entries(headers as Record<string, unknown>).map(([name, value]) => [
      name.toLowerCase(),
      String(value),
    ]),
  );
};

/**
 * An HTTP debugging hook of the kind connectors grow: it remembers the last request and calls
 * `onResponse` with it and the status of each response. The broken connectors use it to leak.
 */
export function debugHook(
  onResponse: (request: LastRequest, status: number) => void,
  last: { request?: LastRequest } = {},
): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (options, handler) => {
    const request: LastRequest = {
      method: options.method,
      path: options.path,
      headers: headersOf(options.headers),
      body: typeof options.body === 'string' ? options.body : '',
    };
    last.request = request;
    return dispatch(options, new WatchingHandler(handler, (status) => onResponse(request, status)));
  };
}
