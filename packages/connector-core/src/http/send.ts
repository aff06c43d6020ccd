import type { Dispatcher } from 'undici';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { abortedError } from '../support/abort.js';

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
  readonly signal?: AbortSignal | undefined;
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
 * {@link TransportError}; an aborted signal becomes `ERR_ABORTED`. The URL and body are never
 * copied into an error.
 */
export async function sendHttp(
  dispatcher: Dispatcher,
  request: HttpRequest,
  context: ErrorContext = {},
): Promise<HttpResponse> {
  const limit = request.maxBodyBytes ?? 8 * 1024 * 1024;
  const isAborted = (): boolean => request.signal?.aborted === true;
  if (isAborted()) throw abortedError(context, request.signal?.reason);
  try {
    const response = await dispatcher.request({
      origin: request.url.origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method as Dispatcher.HttpMethod,
      headers: request.headers,
      body: request.body ?? null,
      signal: request.signal ?? null,
    });
    const body = await readBody(
      response,
      limit,
      () =>
        new TransportError(
          ErrorCode.ProviderUnavailable,
          text(
            `La respuesta de ${request.url.host} supera ${limit} bytes.`,
            `The response from ${request.url.host} exceeds ${limit} bytes.`,
          ),
          context,
        ),
    );
    return { status: response.statusCode, headers: joinRepeated(response.headers), body };
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    if (isAborted()) throw abortedError(context, request.signal?.reason);
    const code = (error as { code?: unknown }).code;
    const transient = typeof code === 'string' && TRANSIENT_NETWORK_CODES.has(code);
    throw new TransportError(
      ErrorCode.ProviderUnavailable,
      text(
        `No se pudo comunicar con ${request.url.host}${transient ? ` (${String(code)})` : ''}.`,
        `Could not reach ${request.url.host}${transient ? ` (${String(code)})` : ''}.`,
      ),
      { ...context, cause: error },
    );
  }
}

/**
 * Reads a response body, refusing more than `limit` bytes. A declared `content-length` within the
 * limit is read in one go (undici enforces the length); otherwise the stream is counted chunk by
 * chunk and destroyed as soon as it passes the limit.
 */
async function readBody(
  response: Dispatcher.ResponseData,
  limit: number,
  tooLarge: () => TransportError,
): Promise<Buffer> {
  const declared = response.headers['content-length'];
  const length = typeof declared === 'string' ? Number(declared) : Number.NaN;
  if (Number.isInteger(length) && length >= 0) {
    if (length > limit) {
      discard(response.body);
      throw tooLarge();
    }
    return Buffer.from(await response.body.arrayBuffer());
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > limit) {
      discard(response.body);
      throw tooLarge();
    }
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, size);
}

/** Drops an unread body: the socket is closed and the abort it raises is expected, not reported. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
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
