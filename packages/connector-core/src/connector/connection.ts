import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { secretValues } from '../credentials/define-schema.js';
import type { CredentialSchema, CredentialsOf } from '../credentials/schema-types.js';
import { validateCredentials } from '../credentials/validator.js';
import type { ErrorContext } from '../errors/connector-error.js';
import type { ClientCredentials } from '../oauth/client-authentication.js';
import { allowedEndpoint, declaredOrigins, type EndpointPolicy } from '../oauth/endpoint-policy.js';
import { connectionKey, type GrantOrigins } from '../stores/connection-record.js';
import type { ConnectionInput } from './contract.js';
import type { Endpoints, ProviderDefinition } from './definition.js';

/**
 * A connection whose credentials passed the schema, with its endpoints resolved and checked.
 * `util.inspect` and `JSON.stringify` show only its id, region and endpoints.
 */
export interface OpenedConnection<S extends CredentialSchema = CredentialSchema> {
  readonly id: string;
  readonly key: string;
  readonly credentials: CredentialsOf<S>;
  readonly client: ClientCredentials;
  readonly region: string;
  readonly endpoints: {
    readonly authorization?: URL | undefined;
    readonly token: URL;
    readonly apiBase: URL;
    /** The authorization server's issuer identifier (RFC 9207), when declared. */
    readonly issuer?: string | undefined;
  };
  /** The origins a grant obtained through this connection is bound to. */
  readonly origins: GrantOrigins;
  readonly redirectUri: string | undefined;
  /** JSON pointers of the client id and secret fields (named by `ERR_INVALID_CLIENT`). */
  readonly clientFields: { readonly id: string; readonly secret: string };
  /** Secret values of these credentials, to scrub from provider text. */
  readonly secrets: readonly string[];
  readonly context: ErrorContext;
}

interface CredentialShape {
  region?: unknown;
  redirectUri?: unknown;
  endpoints?: Partial<Record<keyof Endpoints, string>>;
}

/** Connections opened from inputs that are new objects but equal ones seen before. */
const DEFAULT_CACHE_SIZE = 10_000;

/**
 * Opens connections for one provider, validating each distinct input once:
 *
 * - the same `ConnectionInput` object is served from a WeakMap (no work at all);
 * - a new object with the same id and the same credentials (a host that reads the connection
 *   from its database on every call) is served from a bounded cache keyed by the id and a SHA-256
 *   digest of the credentials in canonical JSON; changed credentials are a new key, so they are
 *   validated and checked again.
 *
 * Endpoints are checked against the connector's declared origins and the host's
 * {@link EndpointPolicy} here, before any network call.
 */
export class ConnectionOpener<S extends CredentialSchema> {
  readonly #definition: ProviderDefinition<S>;
  readonly #policy: EndpointPolicy;
  readonly #declared: ReadonlySet<string>;
  readonly #byObject = new WeakMap<ConnectionInput, OpenedConnection<S>>();
  readonly #byDigest = new Map<string, OpenedConnection<S>>();
  readonly #cacheSize: number;

  constructor(definition: ProviderDefinition<S>, policy: EndpointPolicy, cacheSize = DEFAULT_CACHE_SIZE) {
    this.#definition = definition;
    this.#policy = policy;
    this.#declared = new Set(declaredOrigins(definition.regions, definition.origins));
    this.#cacheSize = Math.max(1, cacheSize);
  }

  open(input: ConnectionInput): OpenedConnection<S> {
    const cached = this.#byObject.get(input);
    if (cached !== undefined) return cached;
    const digest = digestOf(input);
    let opened = digest === undefined ? undefined : this.#byDigest.get(digest);
    if (opened === undefined) {
      opened = this.#build(input);
      if (digest !== undefined) {
        if (this.#byDigest.size >= this.#cacheSize) {
          this.#byDigest.delete(this.#byDigest.keys().next().value as string);
        }
        this.#byDigest.set(digest, opened);
      }
    }
    this.#byObject.set(input, opened);
    return opened;
  }

  #build(input: ConnectionInput): OpenedConnection<S> {
    const definition = this.#definition;
    const context: ErrorContext = { connectorId: definition.id, connectionId: input.id };
    const credentials = validateCredentials(definition.credentialSchema, input.credentials, context);
    const shape = credentials as CredentialShape;
    const regions = Object.keys(definition.regions);
    const region =
      definition.regionOf?.(credentials) ??
      (typeof shape.region === 'string' ? shape.region : (regions[0] ?? 'default'));
    const regionDefaults = definition.regions[region] ?? { token: '', apiBase: '' };
    const resolved = definition.endpointsOf?.(credentials, regionDefaults) ?? {
      ...regionDefaults,
      ...(shape.endpoints ?? {}),
    };
    const check = (url: string, name: string): URL =>
      allowedEndpoint(url, name, this.#declared, this.#policy, context);
    const endpoints = {
      authorization:
        resolved.authorization === undefined ? undefined : check(resolved.authorization, 'authorization'),
      token: check(resolved.token, 'token'),
      apiBase: check(resolved.apiBase, 'apiBase'),
      issuer: resolved.issuer,
    };
    const names = definition.clientFields ?? { id: 'clientId', secret: 'clientSecret' };
    const values = credentials as Record<string, unknown>;
    const secret = values[names.secret];
    const client: ClientCredentials = {
      clientId: String(values[names.id]),
      clientSecret: typeof secret === 'string' ? secret : undefined,
    };
    const summary = { id: input.id, connector: definition.id, region, endpoints: resolved };
    return Object.freeze({
      id: input.id,
      key: connectionKey(definition.id, input.id),
      credentials,
      client,
      clientFields: { id: `/${names.id}`, secret: `/${names.secret}` },
      region,
      endpoints,
      origins: Object.freeze({ token: endpoints.token.origin, apiBase: endpoints.apiBase.origin }),
      redirectUri: typeof shape.redirectUri === 'string' ? shape.redirectUri : undefined,
      secrets: secretValues(definition.credentialSchema, credentials),
      context,
      toJSON: () => summary,
      [inspect.custom]: () => `OpenedConnection ${inspect(summary)}`,
    });
  }
}

/**
 * `id ␟ sha256(canonical JSON of the credentials)`, or `undefined` when the credentials are not
 * plain JSON — a class instance anywhere inside — (then only object identity caches them).
 * Canonical: object keys sorted, recursively.
 */
function digestOf(input: ConnectionInput): string | undefined {
  let json: string | undefined;
  try {
    json = canonicalJson(input.credentials);
  } catch {
    return undefined;
  }
  if (json === undefined || typeof input.id !== 'string') return undefined;
  return `${input.id}\u001f${createHash('sha256').update(json, 'utf8').digest('base64url')}`;
}

function canonicalJson(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item) ?? 'null').join(',')}]`;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) throw new TypeError('not plain JSON');
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const item = canonicalJson((value as Record<string, unknown>)[key]);
    if (item !== undefined) parts.push(`${JSON.stringify(key)}:${item}`);
  }
  return `{${parts.join(',')}}`;
}
