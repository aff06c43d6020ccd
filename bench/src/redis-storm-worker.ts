/**
 * One host process of the multi-connection Redis storm: a RedisTokenStore and a
 * RedisTokenRequestLimiter on the bench's Redis, and a refresh-token connector against the storm
 * endpoint. Prints "ready"; on "go" (stdin) calls getAccessToken once for every connection at once,
 * prints `{ elapsedMs, failures: { code: count } }` and exits.
 *
 *   node redis-storm-worker.js <redisUrl> <tokenBase> <prefix> <keyHex> <connections> <concurrency> <idPrefix>
 */
import {
  OAuthConnector,
  MemoryPendingAuthorizationStore,
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  defineCredentialSchema,
  endpointPolicy,
  silentLogger,
  systemClock,
  text,
  type ProviderDefinition,
} from '@aic/connector-core';
import { RedisTokenRequestLimiter, RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import { Agent } from 'undici';

const [
  redisUrl = '',
  tokenBase = '',
  prefix = '',
  keyHex = '',
  connectionsArg = '0',
  concurrencyArg = '16',
  idPrefix = 'c',
] = process.argv.slice(2);

const schema = defineCredentialSchema({
  $id: 'https://aic.test/bench-storm.credentials.json',
  title: text('Tormenta', 'Storm'),
  description: text('Proveedor de la tormenta', 'Storm provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});
const definition = {
  id: 'storm',
  version: '0.0.0',
  displayName: text('Tormenta', 'Storm'),
  description: text('Tormenta de renovaciones', 'Refresh storm'),
  credentialSchema: schema,
  regions: {
    local: { authorization: `${tokenBase}/authorize`, token: `${tokenBase}/token`, apiBase: tokenBase },
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
  sampleCredentials: {
    clientId: 'storm',
    clientSecret: 'storm-secret',
    redirectUri: 'http://127.0.0.1:1/cb',
  },
} satisfies ProviderDefinition<typeof schema>;

const client = createClient({ url: redisUrl });
client.on('error', () => undefined);
await client.connect();
const store = new RedisTokenStore(client, {
  keyPrefix: prefix,
  keys: { current: Buffer.from(keyHex, 'hex') },
});
const limiter = new RedisTokenRequestLimiter(client, {
  keyPrefix: prefix,
  concurrency: Number(concurrencyArg),
});
const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 60_000 });
const connector = new OAuthConnector(definition, {
  tokenStore: store,
  pendingStore: new MemoryPendingAuthorizationStore(),
  clock: systemClock,
  logger: silentLogger,
  dispatcher,
  endpointPolicy: endpointPolicy({ development: true }),
  tokenLimiter: limiter,
});
const connections = Array.from({ length: Number(connectionsArg) }, (_, i) => ({
  id: `${idPrefix}${i}`,
  credentials: definition.sampleCredentials,
}));

process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void (async () => {
    const started = performance.now();
    const results = await Promise.allSettled(
      connections.map((connection) => connector.getAccessToken(connection)),
    );
    const elapsedMs = performance.now() - started;
    const failures: Record<string, number> = {};
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      const error = result.reason as { code?: string; reason?: string };
      const label = `${error.code ?? 'UNKNOWN'}${error.reason === undefined ? '' : `/${error.reason}`}`;
      failures[label] = (failures[label] ?? 0) + 1;
    }
    process.stdout.write(`${JSON.stringify({ elapsedMs, failures })}\n`);
    await store.close();
    await limiter.close();
    await client.close();
    await dispatcher.close();
    process.exit(0);
  })();
});
