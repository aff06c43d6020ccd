import type { Dispatcher } from 'undici';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { abortedError } from '../support/abort.js';
import { Deadline } from './deadline.js';

/** A buffered HTTP response. */
export interface HttpResponse {
  readonly status: number;
  /** Lower-case header names; repeated headers joined with `, ` (`set-cookie` kept as array). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

export interface HttpRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Buffer | undefined;
  /** Cancels the request: a caller's signal, or a call's {@link Deadline}. */
  readonly signal?: AbortSignal | Deadline | undefined;
  /** Responses longer than this are cut and reported as a transport failure. Default 8 MiB. */
  readonly maxBodyBytes?: number;
}

/**
 * A network-level failure (reset, refused, DNS, timeout). Retried by the backoff layer; surfaces
 * to callers as `ProviderUnavailableError`.
 */
export class TransportError extends ConnectorError {
  override readonly name: string = 'TransportError';
}

const TRANSIENT_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH',
]);

/**
 * Sends one request over `dispatcher` and buffers the response. Network failures become
 * {@link TransportError}; a cancellation becomes `ERR_ABORTED`. The URL and body are never copied
 * into an error.
 *
 * It drives undici's `dispatch` with its own handler: the body is collected as it arrives (no
 * stream per response, the size limit checked per chunk) and a cancellation aborts the request
 * through undici's controller (no `AbortSignal` listener per request on the hot path).
 */
export function sendHttp(
  dispatcher: Dispatcher,
  request: HttpRequest,
  context: ErrorContext = {},
): Promise<HttpResponse> {
  const limit = request.maxBodyBytes ?? 8 * 1024 * 1024;
  const cancel = request.signal;
  if (cancel?.aborted === true) return Promise.reject(abortedError(context, reasonOf(cancel)));
  return new Promise<HttpResponse>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let settled = false;
    let status = 0;
    let headers: Dispatcher.ResponseData['headers'] = {};
    const chunks: Buffer[] = [];
    let size = 0;
    const tooLarge = (): TransportError =>
      new TransportError(
        ErrorCode.ProviderUnavailable,
        text(
          `La respuesta de ${request.url.host} supera ${limit} bytes.`,
          `The response from ${request.url.host} exceeds ${limit} bytes.`,
        ),
        context,
      );
    const unwatch = cancel === undefined ? undefined : onCancel(cancel, () => controller?.abort(ABORTED));
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      unwatch?.();
      reject(transportFailure(error, request, cancel, context));
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: (started) => {
        controller = started;
        if (cancel?.aborted === true) started.abort(ABORTED);
      },
      onResponseStart: (started, statusCode, responseHeaders) => {
        status = statusCode;
        headers = responseHeaders;
        const declared = Number(responseHeaders['content-length']);
        if (Number.isInteger(declared) && declared > limit) started.abort(tooLarge());
      },
      onResponseData: (started, chunk) => {
        size += chunk.length;
        if (size > limit) started.abort(tooLarge());
        else chunks.push(chunk);
      },
      onResponseEnd: () => {
        if (settled) return;
        settled = true;
        unwatch?.();
        resolve({
          status,
          headers: joinRepeated(headers),
          body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size),
        });
      },
      onResponseError: (_started, error) => fail(error),
    };
    try {
      dispatcher.dispatch(
        {
          origin: request.url.origin,
          path: `${request.url.pathname}${request.url.search}`,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: request.body ?? null,
        },
        handler,
      );
    } catch (error) {
      fail(error);
    }
  });
}

/** What undici is told when a request is cancelled; the caller sees `ERR_ABORTED` instead. */
const ABORTED = Object.freeze(new Error('request cancelled'));

const reasonOf = (cancel: AbortSignal | Deadline): unknown =>
  cancel instanceof Deadline ? cancel.signal.reason : cancel.reason;

/** Runs `hook` when `cancel` fires; returns the removal. */
function onCancel(cancel: AbortSignal | Deadline, hook: () => void): () => void {
  if (cancel instanceof Deadline) return cancel.onAbort(hook);
  cancel.addEventListener('abort', hook, { once: true });
  return () => cancel.removeEventListener('abort', hook);
}

/** The typed error of a failed request: ours as is, a cancellation, or a transport failure. */
function transportFailure(
  error: unknown,
  request: HttpRequest,
  cancel: AbortSignal | Deadline | undefined,
  context: ErrorContext,
): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (cancel?.aborted === true) return abortedError(context, reasonOf(cancel));
  const code = (error as { code?: unknown }).code;
  const transient = typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
  return new TransportError(
    ErrorCode.ProviderUnavailable,
    text(
      `No se pudo comunicar con ${request.url.host}${transient ? ` (${String(code)})` : ''}.`,
      `Could not reach ${request.url.host}${transient ? ` (${String(code)})` : ''}.`,
    ),
    { ...context, cause: error },
  );
}

/**
 * undici already gives lower-case names; a repeated header comes as an array, joined here with
 * `, ` (RFC 9110 §5.3) except `set-cookie`. The common case (nothing repeated) is not copied.
 */
function joinRepeated(headers: Dispatcher.ResponseData['headers']): HttpResponse['headers'] {
  for (const name in headers) {
    if (Array.isArray(headers[name]) && name !== 'set-cookie') {
      const joined: Record<string, string | string[] | undefined> = {};
      for (const [key, value] of Object.entries(headers)) {
        joined[key] = Array.isArray(value) && key !== 'set-cookie' ? value.join(', ') : value;
      }
      return joined;
    }
  }
  return headers;
}

/** A header value as one string (first value of a repeated header). */
export function headerValue(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
