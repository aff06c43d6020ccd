import {
  RotatingTokenEndpoint,
  rotatedAccessToken,
  rotatedRefreshToken,
  storeFixtureConnection,
  storeFixtureConnector,
  storeFixtureKey,
} from '@aic/connector-core/testing';
import { RedisTokenRequestLimiter, RedisTokenStore } from '../src/index.js';
import { KEY, useStandalone, type CountingConnection } from './standalone.js';

const h = useStandalone();
let endpoint: RotatingTokenEndpoint;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 3_600_000 });
});
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(async () => {
  await endpoint.close();
});

/** A host process as far as Redis can tell: its own client, store, limiter and connector. */
async function host(connection: CountingConnection) {
  const tokenStore = new RedisTokenStore(connection, { keyPrefix: h.prefix, keys: { current: KEY } });
  const tokenLimiter = new RedisTokenRequestLimiter(connection, { keyPrefix: h.prefix, concurrency: 2 });
  closers.push(
    () => tokenStore.close(),
    () => tokenLimiter.close(),
  );
  return storeFixtureConnector({
    origin: endpoint.baseUrl,
    expiresInUnit: 'milliseconds',
    tokenStore,
    pendingStore: tokenStore.pending,
    tokenLimiter,
  });
}

describe('the engine on the Redis store', () => {
  it('two processes, one expired connection, 50 callers each: one refresh, and the commands of one', async () => {
    const id = `race-${h.prefix}`;
    const connections = [await h.connection(), await h.connection()];
    const [a, b] = await Promise.all(connections.map((connection) => host(connection)));
    await h.store(await h.client()).set(storeFixtureKey(id), endpoint.authorize(id));
    endpoint.delayMs = 100;
    const calls = [a!, b!].flatMap((connector) =>
      Array.from({ length: 50 }, () => connector.getAccessToken(storeFixtureConnection(id))),
    );
    const tokens = await Promise.all(calls);
    endpoint.delayMs = 0;
    expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set([rotatedAccessToken(id, 1)]));
    expect(endpoint.received.get(rotatedRefreshToken(id, 0))).toBe(1);
    expect(endpoint.grant(id).generation).toBe(1);
    // The holder: lock (with the record), slot, spend, slot back, write (releases and wakes).
    // The waiter: one failed attempt; the wake-up carried the new record. Scripts only, no re-read.
    const sent = connections.map((connection) =>
      connection.sent.filter((name) => name !== 'SSUBSCRIBE' && name !== 'EVAL'),
    );
    expect(sent.map((names) => names.join(' ')).sort()).toEqual([
      'ACQUIRE',
      'ACQUIRE LIMIT_ACQUIRE SPEND LIMIT_RELEASE WRITE',
    ]);
    expect(await h.store(await h.client()).get(storeFixtureKey(id))).toMatchObject({
      status: 'active',
      tokens: { accessToken: rotatedAccessToken(id, 1), refreshToken: rotatedRefreshToken(id, 1) },
      version: 2,
    });
  });

  it('a rotated refresh token is stored before the access token is handed out, sealed', async () => {
    const id = `sealed-${h.prefix}`;
    const connector = await host(await h.connection());
    await h.store(await h.client()).set(storeFixtureKey(id), endpoint.authorize(id));
    const token = await connector.getAccessToken(storeFixtureConnection(id));
    expect(token.accessToken).toBe(rotatedAccessToken(id, 1));
    const raw = await h.raw(storeFixtureKey(id));
    expect(raw.r).not.toContain(rotatedRefreshToken(id, 1));
    expect(raw.v).toBe('2');
  });
});
