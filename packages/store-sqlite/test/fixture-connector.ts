// Plain TypeScript that Node runs as is (type stripping: no enums, namespaces or parameter
// properties): the jest tests import it with `@aic/connector-core` mapped to its sources, and the
// worker processes (fixtures/sqlite-worker.mjs) import it with the built package, so both sides
// run the very same connector against one RotatingEndpoint.
import {
  OAuthConnector,
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  connectionKey,
  createDefaultDispatcher,
  defineCredentialSchema,
  endpointPolicy,
  silentLogger,
  systemClock,
  text,
  type ConnectionRecord,
  type ConnectorRuntime,
  type PendingAuthorizationStore,
  type ProviderDefinition,
  type TokenRequestLimiter,
  type TokenStore,
} from '@aic/connector-core';

const credentialSchema = defineCredentialSchema({
  $id: 'https://aic.test/store-sqlite-fixture.credentials.json',
  title: text('Prueba', 'Test'),
  description: text('Proveedor de prueba', 'Test provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

/** A connection of the fixture connector (`fixture` / `id`). */
export const connectionOf = (id: string) => ({
  id,
  credentials: {
    clientId: 'sqlite-client',
    clientSecret: 'sqlite-worker-secret-5e7a',
    redirectUri: 'http://127.0.0.1:1/callback',
  },
});

export const keyOf = (id: string): string => connectionKey('fixture', id);

export interface FixturePorts {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  readonly tokenLimiter?: TokenRequestLimiter | undefined;
  /** Token call deadline (ms); the refresh lease is 2 × this + 5 s. Default 30 s. */
  readonly tokenMs?: number | undefined;
  readonly dispatcher?: ConnectorRuntime['dispatcher'] | undefined;
}

/**
 * A connector on the real clock whose token endpoint is `tokenBase/token`: refresh with HTTP
 * Basic, `expires_in` in milliseconds, refreshed exactly at expiry (short, forced expiry windows),
 * one attempt per token call. The host allows loopback endpoints (development policy).
 */
export function fixtureConnector(
  tokenBase: string,
  ports: FixturePorts,
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
    sampleCredentials: connectionOf('sample').credentials,
  } satisfies ProviderDefinition<typeof credentialSchema>;
  const tokenMs = ports.tokenMs ?? 30_000;
  return new OAuthConnector(definition, {
    tokenStore: ports.tokenStore,
    pendingStore: ports.pendingStore,
    clock: systemClock,
    logger: silentLogger,
    dispatcher: ports.dispatcher ?? createDefaultDispatcher(),
    endpointPolicy: endpointPolicy({ development: true }),
    deadlines: { tokenMs, apiMs: 2 * tokenMs },
    ...(ports.tokenLimiter === undefined ? {} : { tokenLimiter: ports.tokenLimiter }),
  });
}

/**
 * An authorized connection whose access token (generation 0) has just expired, as the endpoint's
 * `authorize(id)` issued it: the next `getAccessToken` refreshes with `RT-<id>-g0`.
 */
export function expiredRecord(id: string): ConnectionRecord {
  const now = Date.now();
  return {
    status: 'active',
    tokens: {
      accessToken: `AT-${id}-g0`,
      tokenType: 'Bearer',
      expiresAt: now - 1,
      issuedAt: now - 1_000,
      refreshToken: `RT-${id}-g0`,
    },
    authorizedAt: now - 1_000,
    updatedAt: now - 1_000,
  };
}
