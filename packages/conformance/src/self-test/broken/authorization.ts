import {
  OAuthConnector,
  defineCredentialSchema,
  field,
  text,
  type ConnectionInput,
  type ConnectorRuntime,
  type PendingAuthorizationStore,
} from '@aic/connector-core';
import { DelegatingConnector, callbackParams } from '../delegating-connector.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

type Callback = Parameters<DelegatingConnector['completeAuthorization']>[1];

/** Shows the host (and the browser) a short counter as state, mapping it back on the callback. */
class WeakState extends DelegatingConnector {
  readonly #real = new Map<string, string>();
  #counter = 0;

  override async startAuthorization(connection: ConnectionInput) {
    const start = await super.startAuthorization(connection);
    this.#counter += 1;
    const weak = `s${this.#counter}`;
    this.#real.set(weak, start.state);
    const url = new URL(start.url);
    url.searchParams.set('state', weak);
    return { ...start, url: url.href, state: weak };
  }

  override completeAuthorization(connection: ConnectionInput, callback: Callback) {
    const params = callbackParams(callback);
    const states = params.getAll('state');
    params.delete('state');
    for (const state of states) params.append('state', this.#real.get(state) ?? state);
    return super.completeAuthorization(connection, params);
  }
}

/** Sends the PKCE verifier along in the authorization URL. */
class VerifierInUrl extends DelegatingConnector {
  readonly #verifiers: string[];

  constructor(inner: OAuthConnector, verifiers: string[]) {
    super(inner);
    this.#verifiers = verifiers;
  }

  override async startAuthorization(connection: ConnectionInput) {
    const start = await super.startAuthorization(connection);
    const url = new URL(start.url);
    url.searchParams.set('code_verifier', this.#verifiers.at(-1) ?? '');
    return { ...start, url: url.href };
  }
}

function capturingVerifiers(runtime: ConnectorRuntime): { verifiers: string[]; runtime: ConnectorRuntime } {
  const verifiers: string[] = [];
  const pending: PendingAuthorizationStore = {
    put: (key, value) => {
      if (value.codeVerifier !== undefined) verifiers.push(value.codeVerifier);
      return runtime.pendingStore.put(key, value);
    },
    take: (key) => runtime.pendingStore.take(key),
    forgetConnection: (connectorId, connectionId) =>
      runtime.pendingStore.forgetConnection(connectorId, connectionId),
  };
  return { verifiers, runtime: { ...runtime, pendingStore: pending } };
}

/** The reference schema with endpoint overrides that accept any URL, http included. */
const permissiveSchema = defineCredentialSchema({
  ...referenceCode.credentialSchema,
  $id: 'https://conformance.test/permissive.credentials.json',
  title: text('Permisivo', 'Permissive'),
  description: text('Acepta http', 'Accepts http'),
  properties: {
    ...referenceCode.credentialSchema.properties,
    endpoints: {
      type: 'object',
      additionalProperties: false,
      properties: Object.fromEntries(
        ['authorization', 'token', 'apiBase'].map((key) => [
          key,
          { type: 'string', format: 'uri', ...field(text(key, key), text(key, key)) } as const,
        ]),
      ),
      ...field(text('Endpoints', 'Endpoints'), text('Endpoints', 'Endpoints')),
    },
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

/**
 * Accepts an http endpoint: it upgrades the URL to pass core's check and downgrades the requests
 * to those hosts again in its dispatcher, so they really travel in clear.
 */
function acceptingHttp(runtime: ConnectorRuntime): OAuthConnector<typeof permissiveSchema> {
  const insecureHosts = new Set<string>();
  const dispatcher = runtime.dispatcher.compose((dispatch) => (options, handler) => {
    const origin = new URL(String(options.origin));
    if (!insecureHosts.has(origin.host)) return dispatch(options, handler);
    return dispatch({ ...options, origin: `http://${origin.host}` }, handler);
  });
  return new OAuthConnector(
    {
      ...referenceCode,
      credentialSchema: permissiveSchema,
      endpointsOf: (credentials, defaults) => {
        const merged = { ...defaults, ...(credentials.endpoints ?? {}) };
        const upgrade = (url: string): string => {
          if (!url.startsWith('http://')) return url;
          insecureHosts.add(new URL(url).host);
          return url.replace('http://', 'https://');
        };
        return {
          authorization: merged.authorization === undefined ? undefined : upgrade(merged.authorization),
          token: upgrade(merged.token),
          apiBase: upgrade(merged.apiBase),
        };
      },
    },
    { ...runtime, dispatcher },
  );
}

export const weakState: BrokenConnector = {
  name: 'weak-state',
  breaks: 'uses a short counter as state',
  module: moduleOf((runtime) => new WeakState(new OAuthConnector(referenceCode, runtime))),
  caughtBy: ['authorization-request.state-entropy'],
};

export const verifierInUrl: BrokenConnector = {
  name: 'verifier-in-url',
  breaks: 'puts the PKCE verifier in the authorization URL',
  module: moduleOf((runtime) => {
    const captured = capturingVerifiers(runtime);
    return new VerifierInUrl(new OAuthConnector(referenceCode, captured.runtime), captured.verifiers);
  }),
  caughtBy: ['authorization-request.verifier-not-in-url', 'authorization-request.no-secret-in-url'],
};

export const acceptsHttpEndpoints: BrokenConnector = {
  name: 'accepts-http-endpoints',
  breaks: 'sends requests to http endpoints that are not loopback',
  module: moduleOf((runtime) => acceptingHttp(runtime)),
  caughtBy: ['authorization-request.https-endpoints'],
};
