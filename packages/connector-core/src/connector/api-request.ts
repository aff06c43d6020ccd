import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { InvalidProviderResponseError, ReauthorizationRequiredError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { withDeadline, type Deadline } from '../http/deadline.js';
import { defaultRetryPolicy, withRetry, type RetryPolicy } from '../http/retry.js';
import { headerValue, sendHttp, type HttpResponse } from '../http/send.js';
import type { AccessToken } from '../tokens/token-set.js';
import type { ApiRequest, ApiResponse } from './contract.js';
import type { ConnectorRuntime } from './runtime.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The URL of an API call: `path` resolved on the API base, which must keep the base's origin and
 * stay under its path. The Bearer token is only ever sent there.
 */
export function apiUrl(apiBase: URL, request: ApiRequest, context: ErrorContext): URL {
  const cacheable = request.query === undefined || Object.keys(request.query).length === 0;
  const cache = cacheable ? pathCache(apiBase) : undefined;
  const cached = cache?.get(request.path);
  if (cached !== undefined) return cached;
  const url = resolveApiUrl(apiBase, request, context);
  if (cache !== undefined) {
    if (cache.size >= PATH_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(request.path, url);
  }
  return url;
}

/**
 * Resolved URLs of query-less paths, per API base URL (paths repeat: a sync calls the same few
 * endpoints all day, and every connection of a region shares one base). Parsing a URL is the
 * costliest step of an authorized call's own work. Bounded in bases and in paths per base,
 * oldest first out; the cached URL objects are never mutated.
 */
const pathCaches = new Map<string, Map<string, URL>>();
const PATH_CACHE_SIZE = 256;
/** Distinct API bases cached (regions and overrides; every connection of a region shares one). */
const PATH_CACHE_BASES = 64;

function pathCache(apiBase: URL): Map<string, URL> {
  const base = apiBase.href;
  let cache = pathCaches.get(base);
  if (cache === undefined) {
    if (pathCaches.size >= PATH_CACHE_BASES) pathCaches.delete(pathCaches.keys().next().value as string);
    cache = new Map();
    pathCaches.set(base, cache);
  }
  return cache;
}

function resolveApiUrl(apiBase: URL, request: ApiRequest, context: ErrorContext): URL {
  const foreign = (): ConnectorError =>
    new ConnectorError(
      ErrorCode.ForeignOrigin,
      text(
        'La ruta de la solicitud debe ser relativa a la URL base de la API de la conexión.',
        "The request path must be relative to the connection's API base URL.",
      ),
      context,
    );
  if (!request.path.startsWith('/') || request.path.startsWith('//') || request.path.includes('\\')) {
    throw foreign();
  }
  const basePath = apiBase.pathname.endsWith('/') ? apiBase.pathname.slice(0, -1) : apiBase.pathname;
  const url = new URL(`${basePath}${request.path}`, apiBase.origin);
  const underBase = basePath === '' || url.pathname === basePath || url.pathname.startsWith(`${basePath}/`);
  if (url.origin !== apiBase.origin || !underBase || hasEncodedDotDot(url.pathname)) throw foreign();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url;
}

/**
 * True when a path holds a `..` segment once `%2E`, `%2F` and `%5C` are decoded (`/v1/..%2Fadmin`):
 * the URL parser leaves it alone, but a server or proxy that decodes before normalizing would
 * take it out of the API base, with the Bearer token.
 */
function hasEncodedDotDot(pathname: string): boolean {
  if (!pathname.includes('%')) return false;
  const decoded = pathname.replace(/%2e/gi, '.').replace(/%2f|%5c/gi, '/');
  return decoded.split('/').includes('..');
}

function encodeBody(body: unknown, headers: Record<string, string>): string | Buffer | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string' || Buffer.isBuffer(body)) return body;
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

function toApiResponse(response: HttpResponse, context: ErrorContext): ApiResponse {
  return {
    status: response.status,
    headers: response.headers,
    body: response.body,
    text: () => response.body.toString('utf8'),
    json: <T>() => {
      try {
        return JSON.parse(response.body.toString('utf8')) as T;
      } catch {
        // V8's SyntaxError quotes the body: it is not kept as a cause, nor anywhere else.
        throw new InvalidProviderResponseError(
          response.status,
          headerValue(response, 'content-type'),
          text('La respuesta de la API no es JSON.', 'The API response is not JSON.'),
          context,
        );
      }
    },
  };
}

const API_CALL = text('La llamada a la API', 'The API call');

/**
 * An authorized API call (RFC 6750 §2.1: Bearer in the `Authorization` header, never in a URL).
 * On a 401 it asks for one forced refresh (passing the rejected token so a refresh someone
 * else already made is reused) and retries once; a second 401 is `ERR_REAUTHORIZATION_REQUIRED`
 * with no further call.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 */
export function authorizedRequest(
  runtime: ConnectorRuntime,
  apiBase: URL,
  request: ApiRequest,
  context: ErrorContext,
  deadlineMs: number,
  getToken: (options: { rejectedAccessToken?: string; signal: AbortSignal }) => Promise<AccessToken>,
  retryPolicy: RetryPolicy = defaultRetryPolicy,
): Promise<ApiResponse> {
  const url = apiUrl(apiBase, request, context);
  return withDeadline(deadlineMs, request.signal, API_CALL, context, (deadline) =>
    sendAuthorized(runtime, url, request, context, getToken, retryPolicy, deadline),
  );
}

async function sendAuthorized(
  runtime: ConnectorRuntime,
  url: URL,
  request: ApiRequest,
  context: ErrorContext,
  getToken: (options: { rejectedAccessToken?: string; signal: AbortSignal }) => Promise<AccessToken>,
  retryPolicy: RetryPolicy,
  deadline: Deadline,
): Promise<ApiResponse> {
  const signal = deadline.signal;
  const method = request.method.toUpperCase();
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const [name, value] of Object.entries(request.headers ?? {})) {
    if (name.toLowerCase() !== 'authorization') headers[name.toLowerCase()] = value;
  }
  const body = encodeBody(request.body, headers);
  const retry = request.retry ?? IDEMPOTENT.has(method);

  const send = (token: AccessToken): Promise<HttpResponse> => {
    const attempt = (): Promise<HttpResponse> =>
      sendHttp(
        runtime.dispatcher,
        {
          method,
          url,
          headers: { ...headers, authorization: `Bearer ${token.accessToken}` },
          body,
          signal: deadline,
        },
        context,
      );
    if (!retry) return attempt();
    return withRetry(attempt, {
      clock: runtime.clock,
      policy: retryPolicy,
      random: runtime.random,
      signal,
      remainingMs: () => deadline.remainingMs(),
      context,
    });
  };

  const first = await getToken({ signal });
  const response = await send(first);
  if (response.status !== 401) return toApiResponse(response, context);

  runtime.logger.log('info', 'API answered 401; refreshing once', {
    connectorId: context.connectorId,
    connectionId: context.connectionId,
    path: url.pathname,
  });
  const second = await getToken({ rejectedAccessToken: first.accessToken, signal });
  const retried = await send(second);
  if (retried.status !== 401) return toApiResponse(retried, context);
  throw new ReauthorizationRequiredError(
    'api_401',
    text(
      'La API rechazó el token incluso después de renovarlo (401): autorice la conexión de nuevo o revise los permisos del usuario.',
      "The API rejected the token even after a refresh (401): authorize the connection again or check the user's permissions.",
    ),
    context,
  );
}
