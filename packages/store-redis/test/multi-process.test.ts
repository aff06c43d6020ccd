import { RotatingTokenEndpoint, storeFixtureKey } from '@aic/connector-core/testing';
import { createClient } from 'redis';
import { RedisTokenStore } from '../src/index.js';
import { RedisServer } from './redis-server.js';
import { KEY } from './standalone.js';
import { HostWorker, assertBuilt, failureCounts, type CallResult } from './workers.js';

const WORKERS = 4;
const ROUNDS = 200;
/** Access token lifetime: each worker's calls span many expiry windows. */
const LIFETIME_MS = 120;
const ID = 'shared';

let server: RedisServer;
let endpoint: RotatingTokenEndpoint;
const workers: HostWorker[] = [];

beforeAll(async () => {
  assertBuilt();
  server = await RedisServer.start();
  endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: LIFETIME_MS });
}, 300_000);
afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.exit()));
  await endpoint?.close();
  await server?.dispose();
});

it(`${WORKERS} processes × ${ROUNDS} calls with forced expiries: one refresh per expiry, no refresh token twice, none lost`, async () => {
  const client = createClient({ url: server.url });
  await client.connect();
  const store = new RedisTokenStore(client, { keyPrefix: 'multi:', keys: { current: KEY } });
  // An authorized connection whose access token has just expired: every worker starts by racing to refresh.
  await store.set(storeFixtureKey(ID), endpoint.authorize(ID));
  for (let i = 0; i < WORKERS; i++) {
    workers.push(
      await HostWorker.start({
        redis: { url: server.url },
        tokenBase: endpoint.baseUrl,
        prefix: 'multi:',
        key: KEY.toString('hex'),
      }),
    );
  }
  const results: CallResult[] = [];
  await Promise.all(
    workers.map(async (worker) => {
      for (let round = 0; round < ROUNDS; round++) {
        results.push(...(await worker.call([ID])));
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 6));
      }
    }),
  );

  expect(failureCounts(results)).toEqual({});
  expect(endpoint.invalidGrants).toBe(0);
  expect(endpoint.unexpectedRequests).toBe(0);
  expect(endpoint.reused).toEqual([]);
  // No refresh while the current token was still valid: exactly one refresh per expiry window.
  expect(endpoint.earlyRefreshes).toBe(0);
  // The run spanned many windows (otherwise this test would prove nothing).
  expect(endpoint.grant(ID).generation).toBeGreaterThanOrEqual(5);
  for (const result of results) if ('token' in result) expect(endpoint.issued.has(result.token)).toBe(true);
  // The last rotated refresh token is the stored one: nothing lost.
  expect((await store.get(storeFixtureKey(ID)))?.tokens).toMatchObject({
    refreshToken: endpoint.grant(ID).refreshToken,
    accessToken: endpoint.grant(ID).accessToken,
  });
  expect(await client.exists(`multi:{${storeFixtureKey(ID)}}:lock`)).toBe(0);
  console.log(
    `multi-process: ${WORKERS} workers × ${ROUNDS} calls, ${endpoint.grant(ID).generation} refreshes (one per expiry window), ` +
      `${endpoint.invalidGrants} invalid_grant, ${endpoint.earlyRefreshes} duplicate refreshes, 0 refresh tokens sent twice`,
  );
  await store.close();
  await client.close();
}, 120_000);
