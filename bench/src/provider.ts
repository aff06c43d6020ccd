import {
  OAuthConnector,
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  baseFields,
  clientSecretBasic,
  defineCredentialSchema,
  endpointPolicy,
  silentLogger,
  systemClock,
  text,
  type ConnectorRuntime,
  type ProviderDefinition,
  type TokenStore,
} from '@aic/connector-core';
import type { Dispatcher } from 'undici';

const schema = defineCredentialSchema({
  $id: 'https://aic.test/bench.credentials.json',
  title: text('Bench', 'Bench'),
  description: text('Proveedor del benchmark', 'Benchmark provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    endpoints: baseFields.endpoints(['token', 'apiBase']),
  },
  required: ['clientId', 'clientSecret', 'endpoints'],
});

/** A client-credentials connector against the loopback benchmark server. */
export const benchDefinition = {
  id: 'bench',
  version: '0.0.0',
  displayName: text('Bench', 'Bench'),
  description: text('Benchmark', 'Benchmark'),
  credentialSchema: schema,
  regions: { local: { token: 'http://127.0.0.1/token', apiBase: 'http://127.0.0.1' } },
  grant: { type: 'client_credentials', auth: clientSecretBasic({ encoding: 'rfc6749' }) },
  expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
  sampleCredentials: {
    clientId: 'bench',
    clientSecret: 'bench-secret',
    endpoints: { token: 'http://127.0.0.1/token', apiBase: 'http://127.0.0.1' },
  },
} satisfies ProviderDefinition<typeof schema>;

export function benchConnection(base: string, id = 'bench-1'): { id: string; credentials: unknown } {
  return {
    id,
    credentials: {
      clientId: 'bench',
      clientSecret: 'bench-secret',
      endpoints: { token: `${base}/token`, apiBase: base },
    },
  };
}

export function benchConnector(
  dispatcher: Dispatcher,
  tokenStore: TokenStore = new MemoryTokenStore(),
): OAuthConnector<typeof schema> {
  const runtime: ConnectorRuntime = {
    tokenStore,
    pendingStore: new MemoryPendingAuthorizationStore(),
    clock: systemClock,
    logger: silentLogger,
    dispatcher,
    // The benchmark servers listen on loopback: this host opts in to development mode.
    endpointPolicy: endpointPolicy({ development: true }),
  };
  return new OAuthConnector(benchDefinition, runtime);
}
