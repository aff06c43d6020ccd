import { inspect } from 'node:util';
import { secretValues } from '../credentials/define-schema.js';
import type { CredentialSchema, CredentialsOf } from '../credentials/schema-types.js';
import { validateCredentials } from '../credentials/validator.js';
import type { ErrorContext } from '../errors/connector-error.js';
import { secureEndpoint } from '../oauth/endpoint.js';
import type { ClientCredentials } from '../oauth/client-authentication.js';
import { connectionKey } from '../stores/connection-record.js';
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
  };
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

/**
 * Opens connections for one provider, validating each input object once: the same
 * `ConnectionInput` object is served from a WeakMap afterwards, so the hot path pays no
 * validation.
 */
export class ConnectionOpener<S extends CredentialSchema> {
  readonly #definition: ProviderDefinition<S>;
  readonly #opened = new WeakMap<ConnectionInput, OpenedConnection<S>>();

  constructor(definition: ProviderDefinition<S>) {
    this.#definition = definition;
  }

  open(input: ConnectionInput): OpenedConnection<S> {
    const cached = this.#opened.get(input);
    if (cached !== undefined) return cached;
    const opened = this.#build(input);
    this.#opened.set(input, opened);
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
    const endpoints = {
      authorization:
        resolved.authorization === undefined
          ? undefined
          : secureEndpoint(resolved.authorization, 'authorization', context),
      token: secureEndpoint(resolved.token, 'token', context),
      apiBase: secureEndpoint(resolved.apiBase, 'apiBase', context),
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
      redirectUri: typeof shape.redirectUri === 'string' ? shape.redirectUri : undefined,
      secrets: secretValues(definition.credentialSchema, credentials),
      context,
      toJSON: () => summary,
      [inspect.custom]: () => `OpenedConnection ${inspect(summary)}`,
    });
  }
}
