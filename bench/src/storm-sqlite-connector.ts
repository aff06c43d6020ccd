import {
  OAuthConnector,
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  defineCredentialSchema,
  endpointPolicy,
  silentLogger,
  systemClock,
  text,
  type ConnectionRecord,
  type PendingAuthorizationStore,
  type ProviderDefinition,
  type TokenRequestLimiter,
  type TokenStore,
} from '@aic/connector-core';
import type { Dispatcher } from 'undici';

const schema = defineCredentialSchema({
  $id: 'https://aic.test/bench-storm.credentials.json',
  title: text('Tormenta', 'Storm'),
  description: text('Proveedor de la tormenta de renovaciones', 'Refresh storm provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

const credentials = {
  clientId: 'storm',
  clientSecret: 'storm-secret',
  redirectUri: 'http://127.0.0.1:1/callback',
};

/** Connection `n` of the storm. */
export const stormConnection = (n: number): { id: string; credentials: typeof credentials } => ({
  id: `s-${n}`,
  credentials,
});

/** An authorization-code connector with rotating refresh tokens against the storm endpoint at `base`. */
export function stormConnector(
  base: string,
  dispatcher: Dispatcher,
  stores: {
    readonly tokenStore: TokenStore;
    readonly pendingStore: PendingAuthorizationStore;
    readonly tokenLimiter: TokenRequestLimiter;
  },
): OAuthConnector<typeof schema> {
  const definition = {
    id: 'storm',
    version: '0.0.0',
    displayName: text('Tormenta', 'Storm'),
    description: text('Tormenta', 'Storm'),
    credentialSchema: schema,
    regions: {
      local: { authorization: `${base}/authorize`, token: `${base}/token`, apiBase: `${base}/api` },
    },
    grant: {
      type: 'authorization_code',
      pkce: 'S256',
      scope: () => 'read',
      codeExchangeAuth: clientSecretPost(),
      refreshAuth: clientSecretBasic({ encoding: 'rfc6749' }),
      missingRefreshToken: 'error',
    },
    expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, maxElapsedMs: 1_000 },
    sampleCredentials: credentials,
  } satisfies ProviderDefinition<typeof schema>;
  return new OAuthConnector(definition, {
    ...stores,
    clock: systemClock,
    logger: silentLogger,
    dispatcher,
    endpointPolicy: endpointPolicy({ development: true }),
  });
}

/** Connection `n`'s stored record: expired, refresh token generation 0. */
export function expiredStormRecord(n: number, now: number): ConnectionRecord {
  return {
    status: 'active',
    tokens: {
      accessToken: `at-s-${n}-0`,
      tokenType: 'Bearer',
      issuedAt: now - 3_600_000,
      expiresAt: now - 1,
      refreshToken: `rt-s-${n}-0`,
    },
    updatedAt: now - 3_600_000,
  };
}
