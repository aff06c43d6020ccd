import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/** `::ffff:127.0.0.1` → `127.0.0.1`; other addresses unchanged. */
export const normalizeAddress = (address: string | undefined): string =>
  (address ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');

/**
 * The address a request comes from, for rate limits and the audit log. The socket's peer,
 * unless that peer is one of the host's trusted proxies: then the last address of
 * `X-Forwarded-For` (the one the proxy itself saw). A header from anyone else is ignored.
 */
export function clientAddress(request: IncomingMessage, trustedProxies: ReadonlySet<string>): string {
  const peer = normalizeAddress(request.socket.remoteAddress);
  if (!trustedProxies.has(peer)) return peer;
  const forwarded = request.headers['x-forwarded-for'];
  const last = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? ''))
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0)
    .at(-1);
  return last !== undefined && isIP(normalizeAddress(last)) !== 0 ? normalizeAddress(last) : peer;
}

/** True for a loopback address (127.0.0.0/8, ::1). */
export const isLoopbackAddress = (address: string | undefined): boolean => {
  const value = normalizeAddress(address);
  return value === '::1' || /^127\.\d+\.\d+\.\d+$/.test(value);
};
