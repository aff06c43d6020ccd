import {
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  defineCredentialSchema,
  text,
  type ProviderDefinition,
} from '@aic/connector-core';

/** The scripted (nock) authorization server of the store's connector tests. */
export const AUTH_HOST = 'https://auth.store-sqlite.test';

const credentialSchema = defineCredentialSchema({
  $id: 'https://aic.test/store-sqlite-fixture.credentials.json',
  title: text('Prueba', 'Test'),
  description: text('Proveedor de prueba del almacén SQLite', 'SQLite store test provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

/** An authorization code + PKCE connector whose refresh rotates the refresh token. */
export const fixtureDefinition = {
  id: 'fixture',
  version: '1.0.0',
  displayName: text('Prueba', 'Test'),
  description: text('Proveedor de prueba', 'Test provider'),
  credentialSchema,
  regions: {
    main: {
      authorization: `${AUTH_HOST}/authorize`,
      token: `${AUTH_HOST}/token`,
      apiBase: 'https://api.store-sqlite.test/v1',
    },
  },
  grant: {
    type: 'authorization_code',
    pkce: 'S256',
    scope: () => 'read',
    codeExchangeAuth: clientSecretPost(),
    refreshAuth: clientSecretBasic({ encoding: 'rfc6749' }),
    missingRefreshToken: 'warn',
  },
  expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 300 },
  retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, maxElapsedMs: 1_000 },
  sampleCredentials: {
    clientId: 'sqlite-client-1',
    clientSecret: 'sqlite-store-client-secret-0123',
    redirectUri: 'https://aic.test/callback',
  },
} satisfies ProviderDefinition<typeof credentialSchema>;
