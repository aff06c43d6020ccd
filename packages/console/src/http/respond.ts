import type { ServerResponse } from 'node:http';
import type { SafeHtml } from '../html/html.js';

/** Extra `form-action` sources a page needs (the provider origin its "Authorize" form redirects to). */
export interface PageSecurity {
  readonly formActionOrigins?: readonly string[] | undefined;
}

/**
 * The Content-Security-Policy of every console page: nothing but this origin's stylesheet, no
 * script at all, forms only to this origin (plus, on a page with an "Authorize" button, the
 * provider's authorization origin: browsers check `form-action` on the redirect a form
 * submission receives), never framed, no `<base>`.
 */
export function contentSecurityPolicy(security: PageSecurity = {}): string {
  const formAction = ["'self'", ...(security.formActionOrigins ?? [])].join(' ');
  return [
    "default-src 'none'",
    "style-src 'self'",
    "img-src 'self'",
    `form-action ${formAction}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Headers every console response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  // The callback URL holds the authorization code: never send any URL of ours as a Referer.
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
});

/** Sends a page. */
export function sendHtml(
  response: ServerResponse,
  status: number,
  page: SafeHtml,
  options: { readonly security?: PageSecurity; readonly headers?: Record<string, string | string[]> } = {},
): void {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': contentSecurityPolicy(options.security),
    ...options.headers,
  });
  response.end(page.toString());
}

/** A 303 See Other (after a POST, or to the sign-in page); `location` is a path of this host. */
export function redirect(
  response: ServerResponse,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  response.writeHead(303, { ...SECURITY_HEADERS, location, ...headers });
  response.end();
}
