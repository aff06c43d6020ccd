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
 * - a new object with the same id and equal credentials (a host that reads the connection from
 *   its database on every call) is served from a bounded cache by id, after comparing its
 *   credentials with the frozen copy the cached connection holds (plain JSON, key order aside);
 *   changed credentials are validated and checked again, and replace the cached connection.
 *
 * Endpoints are checked against the connector's declared origins and the host's
 * {@link EndpointPolicy} here, before any network call.
 */
export class ConnectionOpener<S extends CredentialSchema> {
  readonly #definition: ProviderDefinition<S>;
  readonly #policy: EndpointPolicy;
  readonly #declared: ReadonlySet<string>;
  readonly #byObject = new WeakMap<ConnectionInput, OpenedConnection<S>>();
  /** By connection id, the connection last opened for it (its credentials: a frozen copy). */
  readonly #byId = new Map<string, OpenedConnection<S>>();
  readonly #cacheSize: number;
  readonly #clientFields: { readonly id: string; readonly secret: string };
  readonly #urls = new Map<string, URL>();
  readonly #shared = new Map<string, unknown>();

  constructor(definition: ProviderDefinition<S>, policy: EndpointPolicy, cacheSize = DEFAULT_CACHE_SIZE) {
    this.#definition = definition;
    this.#policy = policy;
    this.#declared = new Set(declaredOrigins(definition.regions, definition.origins));
    this.#cacheSize = Math.max(1, cacheSize);
    const names = definition.clientFields ?? { id: 'clientId', secret: 'clientSecret' };
    this.#clientFields = Object.freeze({ id: `/${names.id}`, secret: `/${names.secret}` });
  }

  open(input: ConnectionInput): OpenedConnection<S> {
    const cached = this.#byObject.get(input);
    if (cached !== undefined) return cached;
    const known = this.#byId.get(input.id);
    if (known !== undefined && sameJson(input.credentials, known.credentials)) return known;
    const opened = this.#build(input);
    this.#byId.delete(input.id);
    if (this.#byId.size >= this.#cacheSize) this.#byId.delete(this.#byId.keys().next().value as string);
    this.#byId.set(input.id, opened);
    this.#byObject.set(input, opened);
    return opened;
  }

  #build(input: ConnectionInput): OpenedConnection<S> {
    const definition = this.#definition;
    const context: ErrorContext = { connectorId: definition.id, connectionId: input.id };
    // A private, frozen copy: the host may reuse or change its object; the cache must not follow.
    const credentials = frozenCopy(
      validateCredentials(definition.credentialSchema, input.credentials, context),
    );
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
    const check = (url: string, name: string): URL => this.#url(url, name, context);
    const authorization =
      resolved.authorization === undefined ? undefined : check(resolved.authorization, 'authorization');
    const token = check(resolved.token, 'token');
    const apiBase = check(resolved.apiBase, 'apiBase');
    return new Opened<S>({
      id: input.id,
      key: connectionKey(definition.id, input.id),
      credentials,
      clientFields: this.#clientFields,
      schema: definition.credentialSchema,
      region,
      endpoints: this.#intern(
        `${authorization?.href}\u001f${token.href}\u001f${apiBase.href}\u001f${resolved.issuer}`,
        () => Object.freeze({ authorization, token, apiBase, issuer: resolved.issuer }),
      ),
      origins: this.#intern(`${token.origin}\u001f${apiBase.origin}`, () =>
        Object.freeze({ token: token.origin, apiBase: apiBase.origin }),
      ),
      redirectUri: typeof shape.redirectUri === 'string' ? shape.redirectUri : undefined,
      context,
      connectorId: definition.id,
    });
  }

  /** A checked endpoint, one `URL` object per distinct URL (every connection of a region shares it). */
  #url(url: string, name: string, context: ErrorContext): URL {
    const known = this.#urls.get(url);
    if (known !== undefined) return known;
    const parsed = allowedEndpoint(url, name, this.#declared, this.#policy, context);
    if (this.#urls.size < INTERNED_LIMIT) this.#urls.set(url, parsed);
    return parsed;
  }

  /** One frozen object per distinct value, shared by the connections that have it. */
  #intern<T>(key: string, make: () => T): T {
    let value = this.#shared.get(key) as T | undefined;
    if (value === undefined) {
      value = make();
      if (this.#shared.size < INTERNED_LIMIT) this.#shared.set(key, value);
    }
    return value;
  }
}

/** Distinct URLs and endpoint sets kept per connector (regions, plus the overrides a host allows). */
const INTERNED_LIMIT = 1_024;

/**
 * An opened connection. A class, so that the many connections a host keeps share their methods and
 * derive what only token requests need (`client`, `secrets`) instead of holding it: a cached
 * connection costs a few hundred bytes. `util.inspect` and `JSON.stringify` show only id,
 * connector, region and endpoints.
 */
class Opened<S extends CredentialSchema> implements OpenedConnection<S> {
  readonly id: string;
  readonly key: string;
  readonly credentials: CredentialsOf<S>;
  readonly region: string;
  readonly endpoints: OpenedConnection<S>['endpoints'];
  readonly origins: GrantOrigins;
  readonly redirectUri: string | undefined;
  readonly clientFields: { readonly id: string; readonly secret: string };
  readonly context: ErrorContext;
  readonly #schema: S;
  readonly #connectorId: string;

  constructor(fields: Omit<OpenedConnection<S>, 'client' | 'secrets'> & { schema: S; connectorId: string }) {
    this.id = fields.id;
    this.key = fields.key;
    this.credentials = fields.credentials;
    this.region = fields.region;
    this.endpoints = fields.endpoints;
    this.origins = fields.origins;
    this.redirectUri = fields.redirectUri;
    this.clientFields = fields.clientFields;
    this.context = fields.context;
    this.#schema = fields.schema;
    this.#connectorId = fields.connectorId;
    Object.freeze(this);
  }

  get client(): ClientCredentials {
    const values = this.credentials as Record<string, unknown>;
    const secret = values[this.clientFields.secret.slice(1)];
    return {
      clientId: String(values[this.clientFields.id.slice(1)]),
      clientSecret: typeof secret === 'string' ? secret : undefined,
    };
  }

  get secrets(): readonly string[] {
    return secretValues(this.#schema, this.credentials);
  }

  toJSON(): { id: string; connector: string; region: string; endpoints: Record<string, string> } {
    const endpoints: Record<string, string> = {};
    for (const name of ['authorization', 'token', 'apiBase'] as const) {
      const url = this.endpoints[name];
      if (url !== undefined) endpoints[name] = url.href;
    }
    return { id: this.id, connector: this.#connectorId, region: this.region, endpoints };
  }

  [inspect.custom](): string {
    return `OpenedConnection ${inspect(this.toJSON())}`;
  }
}

/**
 * True when `value` is plain JSON data equal to `copy` (a frozen copy of plain JSON): the same
 * keys, in any order, and the same primitive values. Anything else — a class instance, a function,
 * a different shape — is not equal, and the connection is opened again.
 */
function sameJson(value: unknown, copy: unknown): boolean {
  if (copy === null || typeof copy !== 'object') return value === copy;
  if (value === null || typeof value !== 'object') return false;
  if (Array.isArray(copy)) {
    if (!Array.isArray(value) || value.length !== copy.length) return false;
    for (let i = 0; i < copy.length; i++) if (!sameJson(value[i], copy[i])) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if ((prototype !== Object.prototype && prototype !== null) || Array.isArray(value)) return false;
  let count = 0;
  for (const key in value) {
    if (!Object.hasOwn(value, key)) return false;
    count += 1;
    if (!Object.hasOwn(copy, key)) return false;
    if (!sameJson((value as Record<string, unknown>)[key], (copy as Record<string, unknown>)[key]))
      return false;
  }
  return count === Object.keys(copy).length;
}

/** A frozen copy of plain JSON data; strings are immutable and shared, objects and arrays copied. */
function frozenCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  const copy: unknown = Array.isArray(value)
    ? value.map((item: unknown) => frozenCopy(item))
    : Object.fromEntries(Object.entries(value).map(([key, item]) => [key, frozenCopy(item as unknown)]));
  return Object.freeze(copy) as T;
}
