import { BlockList, isIP } from 'node:net';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError, type ErrorContext } from '../errors/connector-error.js';
import { EndpointNotAllowedError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { secureEndpoint } from './endpoint.js';

/**
 * Which origins a host lets connections use beyond those their connector declares. Bound by the
 * host (service identifier `EndpointPolicy`); a credential payload can never widen it.
 */
export interface EndpointPolicy {
  /** Extra origins (`https://sandbox.example.com`, `https://proxy.corp:8443`) any connection may use. */
  readonly allowedOrigins: readonly string[];
  /**
   * Development mode: loopback, private and link-local addresses are allowed (and `http` on
   * loopback). Never on in production: it turns the host into a relay to its own network.
   */
  readonly development: boolean;
}

export interface EndpointPolicyOptions {
  readonly allowedOrigins?: readonly string[] | undefined;
  readonly development?: boolean | undefined;
}

/**
 * An {@link EndpointPolicy}. Each allowed origin must be an `https` origin (or `http` on
 * loopback) without path, query or user info; a bad one is `ERR_CONFIGURATION` at start-up.
 */
export function endpointPolicy(options: EndpointPolicyOptions = {}): EndpointPolicy {
  const allowedOrigins = (options.allowedOrigins ?? []).map((origin) => {
    const url = URL.canParse(origin) ? new URL(origin) : undefined;
    const bare =
      url !== undefined && url.origin !== 'null' && `${url.origin}/` === url.href.replace(/\/?$/, '/');
    if (url === undefined || !bare || !(url.protocol === 'https:' || url.protocol === 'http:')) {
      throw new ConnectorError(
        ErrorCode.Configuration,
        text(
          `La política de endpoints del host permite un origen inválido: use solo esquema, host y puerto (p. ej. https://sandbox.example.com).`,
          `The host's endpoint policy allows an invalid origin: give only scheme, host and port (e.g. https://sandbox.example.com).`,
        ),
      );
    }
    return url.origin;
  });
  return Object.freeze({
    allowedOrigins: Object.freeze([...new Set(allowedOrigins)]),
    development: options.development === true,
  });
}

/** The default: only the origins each connector declares; no private or loopback address. */
export const strictEndpointPolicy: EndpointPolicy = endpointPolicy();

/** Addresses a credential payload must never point a connector at outside development mode. */
const INTERNAL = (() => {
  const list = new BlockList();
  for (const [net, prefix] of [
    ['0.0.0.0', 8], // "this network"
    ['10.0.0.0', 8],
    ['100.64.0.0', 10], // carrier-grade NAT
    ['127.0.0.0', 8],
    ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
    ['172.16.0.0', 12],
    ['192.0.0.0', 24],
    ['192.168.0.0', 16],
    ['198.18.0.0', 15],
  ] as const) {
    list.addSubnet(net, prefix, 'ipv4');
  }
  for (const [net, prefix] of [
    ['::', 128],
    ['::1', 128],
    ['fc00::', 7], // unique local
    ['fe80::', 10], // link-local
  ] as const) {
    list.addSubnet(net, prefix, 'ipv6');
  }
  return list;
})();

/**
 * True when `hostname` (as `URL.hostname` gives it: IPv6 in brackets, IPv4 normalized) is a
 * literal loopback, private, link-local or unspecified address, or `localhost`. Names are not
 * resolved: the allow-list of origins is what keeps other names out.
 */
export function isInternalHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  if (family === 4) return INTERNAL.check(bare, 'ipv4');
  if (family !== 6) return false;
  // IPv4-mapped IPv6 (`::ffff:7f00:1`, as the URL parser writes ::ffff:127.0.0.1).
  const mapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(bare);
  if (mapped !== null) {
    const high = Number.parseInt(mapped[1]!, 16);
    const low = Number.parseInt(mapped[2]!, 16);
    return INTERNAL.check(`${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`, 'ipv4');
  }
  return INTERNAL.check(bare, 'ipv6');
}

/**
 * Parses one endpoint of a connection and checks it against the connector's declared origins
 * and the host's policy:
 *
 * 1. `https`, or `http` on a loopback host, without user info (`ERR_INSECURE_ENDPOINT`);
 * 2. a literal loopback, private or link-local address only in development mode;
 * 3. an origin the connector declares or the policy allows (`ERR_ENDPOINT_NOT_ALLOWED`);
 *    development mode also allows any internal address (local test servers).
 */
export function allowedEndpoint(
  url: string,
  name: string,
  declared: ReadonlySet<string>,
  policy: EndpointPolicy,
  context: ErrorContext = {},
): URL {
  const parsed = secureEndpoint(url, name, context);
  const origin = parsed.origin;
  const internal = isInternalHost(parsed.hostname);
  if (internal && !policy.development) {
    throw new EndpointNotAllowedError(
      name,
      origin,
      text(
        `El endpoint «${name}» apunta a ${origin}, una dirección loopback, privada o de enlace local: solo se permite cuando el host activa el modo de desarrollo de su política de endpoints.`,
        `The “${name}” endpoint points at ${origin}, a loopback, private or link-local address: it is only allowed when the host turns on the development mode of its endpoint policy.`,
      ),
      context,
    );
  }
  if (declared.has(origin) || policy.allowedOrigins.includes(origin) || (internal && policy.development)) {
    return parsed;
  }
  throw new EndpointNotAllowedError(
    name,
    origin,
    text(
      `El endpoint «${name}» apunta a ${origin}, que el conector no declara y la política de endpoints del host no permite. Use los endpoints de la región o pida al administrador del host que permita ese origen; los datos de la conexión no pueden hacerlo.`,
      `The “${name}” endpoint points at ${origin}, which the connector does not declare and the host's endpoint policy does not allow. Use the region's endpoints, or ask the host's administrator to allow that origin; a connection's settings cannot.`,
    ),
    context,
  );
}

/** Every origin a definition's regions name (what `manifest.origins` lists). */
export function declaredOrigins(
  regions: Readonly<Record<string, object>>,
  extra: readonly string[] = [],
): string[] {
  const origins = new Set<string>();
  for (const endpoints of Object.values(regions)) {
    for (const [name, url] of Object.entries(endpoints)) {
      if (name !== 'issuer' && typeof url === 'string' && URL.canParse(url)) origins.add(new URL(url).origin);
    }
  }
  for (const origin of extra) if (URL.canParse(origin)) origins.add(new URL(origin).origin);
  return [...origins];
}
