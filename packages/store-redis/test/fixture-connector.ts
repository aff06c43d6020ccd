// Plain TypeScript that Node 24 runs as is (type stripping: no enums, namespaces or parameter
// properties here): the jest tests import it with `@aic/connector-core` mapped to its sources,
// and the child processes of multi-process.test.ts (fixtures/refresh-worker.mjs) import it with the
// built package, so both sides run the very same connector against one TokenEndpoint.
import {
  OAuthConnector,
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  createDefaultDispatcher,
  defineCredentialSchema,
  endpointPolicy,
  silentLogger,
  systemClock,
  text,
  type ConnectorRuntime,
  type Logger,
  type PendingAuthorizationStore,
  type ProviderDefinition,
  type TokenRequestLimiter,
  type TokenStore,
} from '@aic/connector-core';

const credentialSchema = defineCredentialSchema({
  $id: 'https://aic.test/store-redis-fixture.credentials.json',
  title: text('Prueba', 'Test'),
  description: text('Proveedor de prueba', 'Test provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

/** The client TokenEndpoint expects. */
const sampleCredentials = {
  clientId: 'client1',
  clientSecret: 'workersecret',
  redirectUri: 'http://127.0.0.1:1/callback',
};

/** A connection of the fixture connector (`fixture` / `id`); `conn-1` by default. */
export const connectionOf = (id: string) => ({ id, credentials: sampleCredentials });
export const connection = connectionOf('conn-1');

export interface FixtureRuntime {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  readonly dispatcher?: ConnectorRuntime['dispatcher'] | undefined;
  readonly tokenLimiter?: TokenRequestLimiter | undefined;
  /** Total deadline of a token call (ms); the refresh lock lives twice that plus 5 s. Default 30 000. */
  readonly tokenDeadlineMs?: number | undefined;
  readonly logger?: Logger | undefined;
}

/**
 * A connector on the real clock whose token endpoint is `tokenBase/token` (a loopback server:
 * the host's endpoint policy is in development mode).
 */
export function fixtureConnector(
  tokenBase: string,
  runtime: FixtureRuntime,
): OAuthConnector<typeof credentialSchema> {
  const definition = {
    id: 'fixture',
    version: '1.0.0',
    displayName: text('Prueba', 'Test'),
    description: text('Proveedor de prueba', 'Test provider'),
    credentialSchema,
    regions: {
      main: {
        authorization: `${tokenBase}/authorize`,
        token: `${tokenBase}/token`,
        apiBase: `${tokenBase}/api`,
      },
    },
    grant: {
      type: 'authorization_code',
      pkce: 'S256',
      scope: () => 'read',
      codeExchangeAuth: clientSecretPost(),
      refreshAuth: clientSecretBasic({ encoding: 'rfc6749' }),
      missingRefreshToken: 'error',
    },
    // expires_in in milliseconds, refreshed exactly at expiry: short, forced expiry windows.
    expiry: { expiresInUnit: 'milliseconds', defaultLifetimeSeconds: 1, refreshMarginSeconds: 0 },
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, maxElapsedMs: 2_000 },
    sampleCredentials,
  } satisfies ProviderDefinition<typeof credentialSchema>;
  return new OAuthConnector(definition, {
    tokenStore: runtime.tokenStore,
    pendingStore: runtime.pendingStore,
    clock: systemClock,
    logger: runtime.logger ?? silentLogger,
    dispatcher: runtime.dispatcher ?? createDefaultDispatcher(),
    endpointPolicy: endpointPolicy({ development: true }),
    tokenLimiter: runtime.tokenLimiter,
    deadlines: { tokenMs: runtime.tokenDeadlineMs ?? 30_000, apiMs: 60_000 },
  });
}
