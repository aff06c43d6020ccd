import type { IncomingMessage, ServerResponse } from 'node:http';
import { ErrorCode, isConnectorError, text, type LocalizedText } from '@aic/connector-core';

export type Lang = 'es' | 'en';

/** The person's language from `Accept-Language` (Spanish unless English comes first). */
export function langOf(request: IncomingMessage): Lang {
  const header = request.headers['accept-language'] ?? '';
  for (const part of header.split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'es' || tag === 'en') return tag;
  }
  return 'es';
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  // The callback URL carries the authorization code: never send it on as a Referer.
  'referrer-policy': 'no-referrer',
  'x-content-type-options': 'nosniff',
};

/** A JSON answer (API endpoints). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    ...headers,
  });
  response.end(`${JSON.stringify(body)}\n`);
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A plain HTML page (what the person's browser shows after the OAuth redirect). */
export function sendPage(
  response: ServerResponse,
  status: number,
  lang: Lang,
  title: LocalizedText,
  lines: readonly string[],
  headers: Record<string, string | string[]> = {},
): void {
  const html =
    `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>${escapeHtml(title[lang])}</title></head>` +
    '<body style="font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;line-height:1.5">' +
    `<h1>${escapeHtml(title[lang])}</h1>${lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('')}</body></html>\n`;
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
    ...headers,
  });
  response.end(html);
}

/** An error as a host reports it: stable code and both languages, nothing else. */
export interface ErrorBody {
  readonly code: string;
  readonly message: LocalizedText;
}

/**
 * The HTTP status for an error. A state mismatch is 401, as HP TechPulse asks of the callback
 * (possible CSRF); the connection's own settings being wrong is the host's fault (500); a
 * provider that is down is a bad gateway (502), a rate limit 503.
 */
export function httpStatusFor(error: unknown): number {
  if (!isConnectorError(error)) return 500;
  switch (error.code) {
    case ErrorCode.StateMismatch:
    case ErrorCode.StateExpired:
      return 401;
    case ErrorCode.InvalidCallback:
    case ErrorCode.InvalidAuthorizationCode:
      return 400;
    case ErrorCode.AuthorizationDenied:
      return 403;
    case ErrorCode.ReauthorizationRequired:
    case ErrorCode.Unsupported:
      return 409;
    case ErrorCode.ProviderUnavailable:
    case ErrorCode.InvalidProviderResponse:
      return 502;
    case ErrorCode.RateLimited:
      return 503;
    default:
      return 500;
  }
}

/** What a response may say about an error: typed errors keep their message, anything else is generic. */
export function errorBody(error: unknown): ErrorBody {
  if (isConnectorError(error)) return { code: error.code, message: error.localized };
  return {
    code: 'ERR_INTERNAL',
    message: text('Error interno del host.', 'Internal host error.'),
  };
}
