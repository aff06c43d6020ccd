import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** True for `localhost`, `[::1]` and any `127.0.0.0/8` address. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname) || /^127(?:\.\d{1,3}){3}$/.test(hostname);
}

/**
 * True when `url` is `https`, or `http` on a loopback host (RFC 8252 §7.3 native-app redirect;
 * also how tests and the local CLI listen). Anything else would send codes or secrets in clear.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
export function isSecureEndpoint(url: string | URL): boolean {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return false;
  }
  if (parsed.username !== '' || parsed.password !== '') return false;
  if (parsed.protocol === 'https:') return true;
  return parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname);
}

/**
 * Parses an endpoint and refuses anything but https (loopback http excepted) or a URL carrying
 * userinfo.
 */
export function secureEndpoint(url: string, name: string, context: ErrorContext = {}): URL {
  if (!isSecureEndpoint(url)) {
    throw new ConnectorError(
      ErrorCode.InsecureEndpoint,
      text(
        `El endpoint «${name}» debe ser una URL https (http solo en loopback) sin usuario ni contraseña.`,
        `The “${name}” endpoint must be an https URL (http on loopback only) without user info.`,
      ),
      context,
    );
  }
  return new URL(url);
}
