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

/**
 * `count` connections as a host keeps them in its database, and a way to read one back as a
 * **new object** each time (a new `{ id, credentials }` with new nested objects, values equal to
 * the stored ones), as a host that reads its database on every call does.
 */
export function benchConnections(
  base: string,
  count: number,
  prefix = 'host',
): { ids: readonly string[]; fresh(index: number): { id: string; credentials: unknown } } {
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${String(i).padStart(5, '0')}`,
    clientId: `bench-client-${i}`,
    clientSecret: `bench-secret-${i}-0123456789abcdef`,
  }));
  const token = `${base}/token`;
  return {
    ids: rows.map((row) => row.id),
    fresh: (index) => {
      const row = rows[index % count]!;
      return {
        id: row.id,
        credentials: {
          clientId: row.clientId,
          clientSecret: row.clientSecret,
          endpoints: { token, apiBase: base },
        },
      };
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
