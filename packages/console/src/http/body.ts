import type { IncomingMessage } from 'node:http';

/** A request the console refuses before reading it: wrong media type or too large. */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
  readonly status: 413 | 415 | 400;
  readonly code: 'ERR_BODY_TOO_LARGE' | 'ERR_UNSUPPORTED_MEDIA_TYPE' | 'ERR_BAD_BODY';

  constructor(status: 413 | 415 | 400, code: RequestBodyError['code']) {
    super(code);
    this.status = status;
    this.code = code;
  }
}

/** Largest form body accepted (a credential form with long secrets fits many times over). */
export const MAX_FORM_BYTES = 64 * 1024;

/**
 * Reads an `application/x-www-form-urlencoded` body (what every console form posts), at most
 * `limit` bytes. Anything else is refused: 415 for another media type, 413 when too large.
 */
export async function readForm(request: IncomingMessage, limit = MAX_FORM_BYTES): Promise<URLSearchParams> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    request.resume();
    throw new RequestBodyError(415, 'ERR_UNSUPPORTED_MEDIA_TYPE');
  }
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limit) {
    request.resume();
    throw new RequestBodyError(413, 'ERR_BODY_TOO_LARGE');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      request.resume();
      throw new RequestBodyError(413, 'ERR_BODY_TOO_LARGE');
    }
    chunks.push(chunk);
  }
  const body = Buffer.concat(chunks);
  // Invalid UTF-8 (raw or inside percent escapes) becomes U+FFFD, which the credential check
  // then refuses by field.
  return new URLSearchParams(body.toString('utf8'));
}
