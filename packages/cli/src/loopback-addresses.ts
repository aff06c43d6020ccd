import { lookup } from 'node:dns/promises';
import { isIPv4, isIPv6 } from 'node:net';

/** One address the callback listener must hold. */
export interface ListenAddress {
  /** What `listen()` takes: `127.0.0.1`, `::1`. */
  readonly host: string;
  /** How messages name it: `127.0.0.1:8765`, `[::1]:8765`. */
  readonly label: string;
  /**
   * Skipped when the machine has no such address (`EADDRNOTAVAIL`, `EAFNOSUPPORT`): nobody else
   * can listen there either. Only `::1` for `localhost` is optional; anything else must be bound.
   */
  readonly optional: boolean;
}

/** The system resolver's addresses for `localhost` (injected in tests). */
export type ResolveLocalhost = () => Promise<readonly string[]>;

const systemLocalhost: ResolveLocalhost = async () => {
  try {
    return (await lookup('localhost', { all: true })).map((entry) => entry.address);
  } catch {
    return [];
  }
};

/** True for 127.0.0.0/8 and ::1: the only addresses a callback listener ever binds. */
export function isLoopbackAddress(address: string): boolean {
  if (isIPv4(address)) return address.split('.')[0] === '127';
  return isIPv6(address) && (address === '::1' || address === '0:0:0:0:0:0:0:1');
}

const label = (host: string, port: number): string =>
  isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;

/**
 * Every address a browser may use for a loopback redirect URI's host, so that no other local
 * process can take one of them and receive the redirect (RFC 8252 §7.3, §8.3).
 *
 * - An IP literal (`127.0.0.1`, `[::1]`) is that address alone.
 * - `localhost` is `127.0.0.1` and `::1` — browsers answer `localhost` themselves with both
 *   (RFC 6761 §6.3; Chrome and Firefox do not ask the system resolver) and try IPv6 first — plus
 *   any other loopback address the system resolver gives for it. `::1` is optional: a machine
 *   without IPv6 loopback cannot have another process listening there. A non-loopback answer of
 *   the resolver is never listened on.
 */
export async function listenAddresses(
  hostname: string,
  port: number,
  resolveLocalhost: ResolveLocalhost = systemLocalhost,
): Promise<ListenAddress[]> {
  const literal = hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname;
  if (literal !== 'localhost') return [{ host: literal, label: label(literal, port), optional: false }];
  const hosts = ['127.0.0.1', '::1'];
  for (const address of await resolveLocalhost()) {
    const host = address === '0:0:0:0:0:0:0:1' ? '::1' : address;
    if (isLoopbackAddress(host) && !hosts.includes(host)) hosts.push(host);
  }
  return hosts.map((host) => ({ host, label: label(host, port), optional: host === '::1' }));
}
