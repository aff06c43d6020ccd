import {
  OAuthConnector,
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  createDefaultDispatcher,
  defineCredentialSchema,
  silentLogger,
  systemClock,
  text,
  type ProviderDefinition,
  type TokenStore,
  type PendingAuthorizationStore,
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

/** Same client as `fixtures/refresh-worker.mjs`, so both talk to one {@link TokenEndpoint}. */
const sampleCredentials = {
  clientId: 'client1',
  clientSecret: 'workersecret',
  redirectUri: 'http://127.0.0.1:1/callback',
};

/** The connection every store-redis integration test uses (`fixture` / `conn-1`). */
export const connection = { id: 'conn-1', credentials: sampleCredentials };

/** A connector (in this process, on the real clock) whose token endpoint is `tokenBase/token`. */
export function fixtureConnector(
  tokenBase: string,
  stores: { tokenStore: TokenStore; pendingStore: PendingAuthorizationStore },
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
    expiry: { expiresInUnit: 'milliseconds', defaultLifetimeSeconds: 1, refreshMarginSeconds: 0 },
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, maxElapsedMs: 2_000 },
    sampleCredentials,
  } satisfies ProviderDefinition<typeof credentialSchema>;
  return new OAuthConnector(definition, {
    ...stores,
    clock: systemClock,
    logger: silentLogger,
    dispatcher: createDefaultDispatcher(),
  });
}
