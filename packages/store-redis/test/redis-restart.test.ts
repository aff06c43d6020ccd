import { ErrorCode, MemoryLogger, connectionKey } from '@aic/connector-core';
import { createClient } from 'redis';
import { RedisTokenStore } from '../src/index.js';
import { connection, fixtureConnector } from './fixture-connector.js';
import { seedExpiredConnection, useIntegration } from './integration-harness.js';

const PREFIX = 'restart:';
const KEY = connectionKey('fixture', 'conn-1');

// AOF with fsync on every write: what a host that must not lose tokens runs.
const integration = useIntegration({ persistent: true, tokenLifetimeMs: 60_000, reconnect: true });

async function untilReady(): Promise<void> {
  const { client } = integration;
  for (let i = 0; i < 200 && !client.isReady; i++) await new Promise((r) => setTimeout(r, 25));
  expect(client.isReady).toBe(true);
}

it('Redis killed and restarted mid-run: typed errors while down, nothing lost or corrupted after', async () => {
  const { server, endpoint, client } = integration;
  const store = new RedisTokenStore(client, {
    keyPrefix: PREFIX,
    commandTimeoutMs: 500,
    writeRetryMs: 8_000,
  });
  const connector = fixtureConnector(endpoint.baseUrl, { tokenStore: store, pendingStore: store.pending });
  await seedExpiredConnection(store, KEY);
  await expect(connector.getAccessToken(connection)).resolves.toMatchObject({ accessToken: 'AT-1' });

  // 1. Redis crashes. Calls that need the store fail fast with a typed error; no refresh is made.
  await server.stop('SIGKILL');
  await expect(connector.getAccessToken(connection, { forceRefresh: true })).rejects.toMatchObject({
    code: ErrorCode.StoreFailure,
    reason: 'unavailable',
  });
  await expect(connector.getStatus(connection)).rejects.toMatchObject({ code: ErrorCode.StoreFailure });
  await expect(store.pending.take('any')).rejects.toMatchObject({ code: ErrorCode.StoreFailure });
  // A still-fresh token is served from the connector's cache meanwhile.
  await expect(connector.getAccessToken(connection)).resolves.toMatchObject({ accessToken: 'AT-1' });
  expect(endpoint.generation).toBe(1);

  // 2. Redis is back with its data: the rotated refresh token survived.
  await server.restart();
  await untilReady();
  expect((await store.get(KEY))?.tokens?.refreshToken).toBe('RT-1');
  await expect(connector.getAccessToken(connection, { forceRefresh: true })).resolves.toMatchObject({
    accessToken: 'AT-2',
  });

  // 3. Redis dies after the provider rotated the refresh token and before the store write, for
  //    longer than one command may take: the write is retried until Redis is back instead of
  //    losing RT-3.
  let restarted: Promise<void> = Promise.resolve();
  endpoint.beforeReply = async (generation) => {
    if (generation !== 3) return;
    await server.stop('SIGKILL');
    restarted = new Promise((resolve) => setTimeout(resolve, 1_500)).then(() => server.restart());
  };
  await expect(connector.getAccessToken(connection, { forceRefresh: true })).resolves.toMatchObject({
    accessToken: 'AT-3',
  });
  await restarted;
  endpoint.beforeReply = undefined;

  // 4. Nothing lost or corrupted: a fresh client and store read the last rotation, it still
  //    works at the provider, and no lock is left behind.
  const other = createClient({ url: server.url });
  other.on('error', () => undefined);
  await other.connect();
  try {
    const fresh = new RedisTokenStore(other, { keyPrefix: PREFIX });
    expect((await fresh.get(KEY))?.tokens?.refreshToken).toBe('RT-3');
    const next = fixtureConnector(endpoint.baseUrl, { tokenStore: fresh, pendingStore: fresh.pending });
    await expect(next.getAccessToken(connection, { forceRefresh: true })).resolves.toMatchObject({
      accessToken: 'AT-4',
    });
    expect((await fresh.get(KEY))?.tokens?.refreshToken).toBe('RT-4');
    expect(await other.keys(`${PREFIX}*`)).toEqual([`${PREFIX}token:${KEY}`]);
  } finally {
    await other.close();
  }
  expect(endpoint.invalidGrants).toBe(0);
  expect(endpoint.unexpectedRequests).toBe(0);
}, 60_000);

it('a lock whose release failed because Redis was down is released once Redis is back, not after its TTL', async () => {
  const { server, client } = integration;
  await untilReady();
  const logger = new MemoryLogger();
  const store = new RedisTokenStore(client, { keyPrefix: PREFIX, commandTimeoutMs: 300, logger });
  await store.withLock(
    'held-during-crash',
    async () => {
      await server.stop('SIGKILL');
    },
    { ttlMs: 60_000 },
  );
  expect(logger.entries.map((entry) => entry.message)).toEqual([
    'could not release a Redis store lock; retrying in the background',
  ]);
  await server.restart();
  await untilReady();
  // Persisted with a 60 s TTL, yet gone within a few background retries.
  let left = 1;
  for (let i = 0; i < 100 && left > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = await client.exists(`${PREFIX}lock:held-during-crash`);
  }
  expect(left).toBe(0);
}, 30_000);
