/** Request cookies by name (RFC 6265 §5.4); the first of a repeated name wins. */
export function parseCookies(header: string | undefined): ReadonlyMap<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === '') continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieAttributes {
  readonly path?: string;
  readonly maxAgeSeconds?: number;
  readonly httpOnly?: boolean;
  readonly secure?: boolean;
  readonly sameSite?: 'Lax' | 'Strict';
}

/** A `Set-Cookie` value. Names and values are limited to cookie-safe characters (throws otherwise). */
export function serializeCookie(name: string, value: string, attributes: CookieAttributes = {}): string {
  if (!/^[A-Za-z0-9_-]+$/.test(name) || !/^[A-Za-z0-9_.~-]*$/.test(value)) {
    throw new TypeError('cookie names and values must be URL-safe tokens');
  }
  const parts = [`${name}=${value}`, `Path=${attributes.path ?? '/'}`];
  if (attributes.maxAgeSeconds !== undefined)
    parts.push(`Max-Age=${Math.max(0, Math.floor(attributes.maxAgeSeconds))}`);
  if (attributes.httpOnly === true) parts.push('HttpOnly');
  if (attributes.secure === true) parts.push('Secure');
  parts.push(`SameSite=${attributes.sameSite ?? 'Lax'}`);
  return parts.join('; ');
}
