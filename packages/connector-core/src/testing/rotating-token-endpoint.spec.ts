import { request } from 'undici';
import { createDefaultDispatcher } from '../http/dispatcher.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../stores/memory-stores.js';
import {
  RotatingTokenEndpoint,
  rotatedAccessToken,
  rotatedRefreshToken,
  type RotatingTokenEndpointOptions,
} from './rotating-token-endpoint.js';
import {
  storeFixtureConnection,
  storeFixtureConnector,
  storeFixtureDefinition,
  storeFixtureKey,
} from './store-fixture.js';

const dispatcher = createDefaultDispatcher();
const endpoints: RotatingTokenEndpoint[] = [];
afterEach(async () => {
  for (const endpoint of endpoints.splice(0)) await endpoint.close();
});
afterAll(() => dispatcher.close());

async function started(options: RotatingTokenEndpointOptions): Promise<RotatingTokenEndpoint> {
  const endpoint = await RotatingTokenEndpoint.start(options);
  endpoints.push(endpoint);
  return endpoint;
}

/** The fixture connector on a memory store holding what `endpoint.authorize(id)` gave. */
async function hostOf(endpoint: RotatingTokenEndpoint, id: string) {
  const tokenStore = new MemoryTokenStore();
  await tokenStore.set(storeFixtureKey(id), endpoint.authorize(id));
  const connector = storeFixtureConnector({
    origin: endpoint.baseUrl,
    expiresInUnit: 'milliseconds',
    tokenStore,
    pendingStore: new MemoryPendingAuthorizationStore(),
    dispatcher,
  });
  return { connector, tokenStore, connection: storeFixtureConnection(id) };
}

/** The fixture client, RFC 6749 Basic (`-` is form-encoded too). */
const FIXTURE_BASIC = `Basic ${Buffer.from('store%2Dfixture%2Dclient:store%2Dfixture%2Dsecret%2D5e7a').toString('base64')}`;

/** A refresh request sent by hand. */
async function refresh(endpoint: RotatingTokenEndpoint, refreshToken: string, authorization = FIXTURE_BASIC) {
  const response = await request(`${endpoint.baseUrl}/token`, {
    method: 'POST',
    dispatcher,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization,
    },
    body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken }).toString(),
  });
  return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
}

describe('RotatingTokenEndpoint', () => {
  it('authorize gives the record a host stores: generation 0, its access token already expired', async () => {
    const endpoint = await started({ lifetimeMs: 60_000 });
    const before = Date.now();
    const record = endpoint.authorize('c1');
    expect(record).toMatchObject({
      status: 'active',
      tokens: { accessToken: 'AT-c1-g0', tokenType: 'Bearer', refreshToken: 'RT-c1-g0' },
    });
    expect(record.tokens!.expiresAt).toBeLessThan(Date.now());
    expect(record.tokens!.expiresAt).toBeGreaterThanOrEqual(before - 1);
    expect(endpoint.grant('c1')).toMatchObject({ generation: 0, refreshToken: 'RT-c1-g0' });
    expect(endpoint.issued).toEqual(new Set(['AT-c1-g0']));
    expect(() => endpoint.grant('other')).toThrow('no grant for other');
  });

  it('rotates on each refresh of the fixture connector, which stores the rotation', async () => {
    const endpoint = await started({ lifetimeMs: 60_000 });
    const { connector, tokenStore, connection } = await hostOf(endpoint, 'c1');
    await expect(connector.getAccessToken(connection)).resolves.toMatchObject({ accessToken: 'AT-c1-g1' });
    await expect(connector.getAccessToken(connection, { forceRefresh: true })).resolves.toMatchObject({
      accessToken: rotatedAccessToken('c1', 2),
    });
    expect((await tokenStore.get(storeFixtureKey('c1')))?.tokens?.refreshToken).toBe(
      rotatedRefreshToken('c1', 2),
    );
    expect(endpoint.grant('c1')).toMatchObject({ generation: 2, previousRefreshToken: 'RT-c1-g1' });
    expect(endpoint.refreshes).toBe(2);
    expect([...endpoint.received]).toEqual([
      ['RT-c1-g0', 1],
      ['RT-c1-g1', 1],
    ]);
    // The forced refresh came while the access token was still valid.
    expect([endpoint.earlyRefreshes, endpoint.invalidGrants, endpoint.unexpectedRequests]).toEqual([1, 0, 0]);
    expect(endpoint.issued).toEqual(new Set(['AT-c1-g0', 'AT-c1-g1', 'AT-c1-g2']));
  });

  it('refuses a retired refresh token (invalid_grant) and counts it as sent twice', async () => {
    const endpoint = await started({ lifetimeMs: 60_000 });
    endpoint.authorize('c1');
    expect(await refresh(endpoint, 'RT-c1-g0')).toEqual({
      status: 200,
      body: { access_token: 'AT-c1-g1', token_type: 'Bearer', expires_in: 60_000, refresh_token: 'RT-c1-g1' },
    });
    expect(await refresh(endpoint, 'RT-c1-g0')).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect([endpoint.invalidGrants, endpoint.reuses, endpoint.grant('c1').generation]).toEqual([1, 0, 1]);
    expect(endpoint.reused).toEqual(['RT-c1-g0']);
  });

  it('with graceReuse, accepts the retired refresh token once more', async () => {
    const endpoint = await started({ lifetimeMs: 60_000, graceReuse: true });
    endpoint.authorize('c1');
    await refresh(endpoint, 'RT-c1-g0');
    expect((await refresh(endpoint, 'RT-c1-g0')).body).toMatchObject({ refresh_token: 'RT-c1-g2' });
    expect(await refresh(endpoint, 'RT-c1-g1')).toEqual({ status: 400, body: { error: 'invalid_grant' } });
    expect([endpoint.reuses, endpoint.invalidGrants, endpoint.grant('c1').generation]).toEqual([1, 1, 2]);
  });

  it('answers another client, an unknown connection or another request as unexpected (invalid_request)', async () => {
    const endpoint = await started({ lifetimeMs: 60_000 });
    endpoint.authorize('c1');
    const unexpected = { status: 400, body: { error: 'invalid_request' } };
    expect(await refresh(endpoint, 'RT-c1-g0', `Basic ${Buffer.from('x:y').toString('base64')}`)).toEqual(
      unexpected,
    );
    expect(await refresh(endpoint, 'RT-c2-g0')).toEqual(unexpected);
    expect(await refresh(endpoint, 'not-a-fixture-token')).toEqual(unexpected);
    const get = await request(`${endpoint.baseUrl}/token`, { dispatcher });
    expect([get.statusCode, await get.body.json()]).toEqual([400, { error: 'invalid_request' }]);
    expect([endpoint.unexpectedRequests, endpoint.grant('c1').generation, endpoint.received.size]).toEqual([
      4, 0, 0,
    ]);
  });

  it('expects the client it is given', async () => {
    const endpoint = await started({ lifetimeMs: 60_000, client: { clientId: 'a.b', clientSecret: 's' } });
    endpoint.authorize('c1');
    const basic = `Basic ${Buffer.from('a%2Eb:s').toString('base64')}`;
    expect((await refresh(endpoint, 'RT-c1-g0', basic)).status).toBe(200);
    expect((await refresh(endpoint, 'RT-c1-g1')).status).toBe(400);
  });

  it('answers after delayMs, counts requests in flight, and calls beforeReply once the grant rotated', async () => {
    const endpoint = await started({ lifetimeMs: 60_000 });
    for (const id of ['a', 'b', 'c']) endpoint.authorize(id);
    endpoint.delayMs = 50;
    const seen: [string, number, string][] = [];
    endpoint.beforeReply = async (connection, generation) => {
      seen.push([connection, generation, endpoint.grant(connection).refreshToken]);
    };
    const begun = Date.now();
    await Promise.all(['a', 'b', 'c'].map((id) => refresh(endpoint, rotatedRefreshToken(id, 0))));
    expect(Date.now() - begun).toBeGreaterThanOrEqual(45);
    expect(endpoint.maxInFlight).toBe(3);
    expect(endpoint.inFlight).toBe(0);
    expect(seen.sort()).toEqual([
      ['a', 1, 'RT-a-g1'],
      ['b', 1, 'RT-b-g1'],
      ['c', 1, 'RT-c-g1'],
    ]);
  });
});

describe('storeFixtureDefinition', () => {
  it('reads expires_in in seconds by default (core policy), in milliseconds refreshed at expiry on request', () => {
    const origin = 'https://auth.store.test';
    const seconds = storeFixtureDefinition({ origin });
    expect(seconds).toMatchObject({
      id: 'fixture',
      regions: {
        main: { authorization: `${origin}/authorize`, token: `${origin}/token`, apiBase: `${origin}/api` },
      },
      grant: { type: 'authorization_code', pkce: 'S256', missingRefreshToken: 'error' },
      expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
      retry: { maxAttempts: 1 },
    });
    expect(storeFixtureDefinition({ origin, expiresInUnit: 'milliseconds' }).expiry).toEqual({
      expiresInUnit: 'milliseconds',
      defaultLifetimeSeconds: 1,
      refreshMarginSeconds: 0,
    });
    expect(storeFixtureConnection('c1')).toEqual({ id: 'c1', credentials: seconds.sampleCredentials });
    expect(storeFixtureKey('c1')).toBe('fixture\u001fc1');
  });
});
