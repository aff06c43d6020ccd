import type { BasicEncoding } from '@aic/connector-core';

/**
 * The kit's own oracle for `client_secret_basic`, written independently of core so that it can
 * judge core too.
 *
 * RFC 6749 §2.3.1: the client id and secret are encoded with the
 * `application/x-www-form-urlencoded` algorithm (Appendix B) before being joined with `:` and
 * base64-encoded. Appendix B over UTF-8 bytes: ASCII letters and digits stay, space becomes `+`,
 * every other byte becomes `%XX` (upper-case hex) — the PROVIDERS.md vector
 * `client %&+-_.!~*'()` → `client+%25%26%2B%2D%5F%2E%21%7E%2A%27%28%29` is exactly that.
 */
export function rfc6749FormEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const isAlphanumeric =
      (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
    if (isAlphanumeric) out += String.fromCharCode(byte);
    else if (byte === 0x20) out += '+';
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** The `user:password` pair a mode puts in the header, before base64. */
export function basicPair(clientId: string, clientSecret: string, mode: BasicEncoding): string {
  return mode === 'rfc6749'
    ? `${rfc6749FormEncode(clientId)}:${rfc6749FormEncode(clientSecret)}`
    : `${clientId}:${clientSecret}`;
}

/** The exact header value (RFC 7617 with UTF-8). */
export function expectedBasicHeader(clientId: string, clientSecret: string, mode: BasicEncoding): string {
  return `Basic ${Buffer.from(basicPair(clientId, clientSecret, mode), 'utf8').toString('base64')}`;
}

/** The encodings connectors are known to get wrong, to name what a wrong header is. */
function knownMistakes(clientId: string, clientSecret: string): [string, Buffer][] {
  const plain = `${clientId}:${clientSecret}`;
  const rfc = basicPair(clientId, clientSecret, 'rfc6749');
  const twice = `${rfc6749FormEncode(rfc6749FormEncode(clientId))}:${rfc6749FormEncode(rfc6749FormEncode(clientSecret))}`;
  const uri = `${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`;
  return [
    ['the rfc6749 encoding (form-urlencoded id and secret, UTF-8)', Buffer.from(rfc, 'utf8')],
    ['the plain encoding (raw id:secret, UTF-8)', Buffer.from(plain, 'utf8')],
    ['id and secret form-urlencoded twice (double encoding)', Buffer.from(twice, 'utf8')],
    ['encodeURIComponent instead of form encoding', Buffer.from(uri, 'utf8')],
    ['Latin-1 bytes instead of UTF-8 (plain pair)', Buffer.from(plain, 'latin1')],
    ['Latin-1 bytes instead of UTF-8 (form-encoded pair)', Buffer.from(rfc, 'latin1')],
  ];
}

/**
 * What an `Authorization` header holds, in words that reveal no secret: which known encoding
 * its bytes match, or how it differs.
 */
export function diagnoseBasicHeader(
  header: string | undefined,
  clientId: string,
  clientSecret: string,
): string {
  if (header === undefined) return 'there is no Authorization header';
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/.exec(header);
  if (match === null) return 'the Authorization header is not "Basic <base64>"';
  const bytes = Buffer.from(match[1] ?? '', 'base64');
  for (const [name, candidate] of knownMistakes(clientId, clientSecret)) {
    if (candidate.equals(bytes)) return `the header holds ${name}`;
  }
  const decoded = bytes.toString('utf8');
  const colon = decoded.indexOf(':');
  const idPart = colon < 0 ? undefined : decoded.slice(0, colon);
  const idShape =
    idPart === clientId
      ? 'the raw client id'
      : idPart === rfc6749FormEncode(clientId)
        ? 'the form-encoded client id'
        : 'neither the raw nor the form-encoded client id';
  return `the header matches no known encoding (${bytes.length} bytes; its user part is ${idShape})`;
}
