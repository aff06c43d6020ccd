import nock from 'nock';
import { readFile } from 'node:fs/promises';
import { ManualClock, MemoryLogger, OAuthConnector, createDefaultDispatcher } from '@aic/connector-core';
import { assertNoPendingMocks, storeFixtureDefinition } from '@aic/connector-core/testing';
import { ACCESS, REFRESH, useStoreFile } from './__fixtures__/store-fixtures.js';
import { SqliteTokenRequestLimiter } from './sqlite-token-limiter.js';

const file = useStoreFile();
/** The scripted (nock) authorization server. */
const AUTH_HOST = 'https://auth.store-sqlite.test';
const fixtureDefinition = storeFixtureDefinition({ origin: AUTH_HOST });

describe('OAuthConnector on the SQLite store', () => {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => assertNoPendingMocks(nock));
  afterAll(() => nock.enableNetConnect());

  const dispatchers: ReturnType<typeof createDefaultDispatcher>[] = [];
  afterEach(async () => {
    for (const dispatcher of dispatchers.splice(0)) await dispatcher.close();
  });

  /** A host process: its own store instance, limiter and connector on the shared file. */
  const hostOn = (clock: ManualClock) => {
    const store = file.open({ clock });
    const dispatcher = createDefaultDispatcher();
    dispatchers.push(dispatcher);
    return new OAuthConnector(fixtureDefinition, {
      tokenStore: store,
      pendingStore: store.pending,
      tokenLimiter: new SqliteTokenRequestLimiter(store, { concurrency: 2 }),
      clock,
      logger: new MemoryLogger(),
      dispatcher,
      random: () => 0.5,
    });
  };
  const connection = { id: 'conn-1', credentials: { ...fixtureDefinition.sampleCredentials } };

  it('completes an authorization started by another instance, keeps the rotated refresh token across restarts', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const first = hostOn(clock);
    const start = await first.startAuthorization(connection);
    // The callback may arrive at another process: the pending authorization is in the database.
    const second = hostOn(clock);
    nock(AUTH_HOST)
      .post('/token', (body: Record<string, string>) => body['grant_type'] === 'authorization_code')
      .reply(200, { access_token: ACCESS, token_type: 'Bearer', expires_in: 3600, refresh_token: REFRESH });
    await second.completeAuthorization(connection, { code: 'the-sqlite-code', state: start.state });
    // Single use: the same callback again is refused without a token request.
    await expect(
      hostOn(clock).completeAuthorization(connection, { code: 'the-sqlite-code', state: start.state }),
    ).rejects.toMatchObject({ code: 'ERR_STATE_MISMATCH' });

    const third = hostOn(clock);
    await expect(third.getAccessToken(connection)).resolves.toMatchObject({ accessToken: ACCESS });

    clock.advance(3600_000);
    const refresh = nock(AUTH_HOST)
      .post('/token', `grant_type=refresh_token&refresh_token=${REFRESH}`)
      .reply(200, {
        access_token: 'AT-sqlite-rotated',
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: 'RT-sqlite-rotated',
      });
    await expect(third.getAccessToken(connection)).resolves.toMatchObject({
      accessToken: 'AT-sqlite-rotated',
    });
    refresh.done();

    const fourth = hostOn(clock);
    await expect(fourth.getAccessToken(connection)).resolves.toMatchObject({
      accessToken: 'AT-sqlite-rotated',
    });
    await expect(fourth.getStatus(connection)).resolves.toMatchObject({
      state: 'active',
      hasRefreshToken: true,
    });
    const bytes = await readFile(file.path);
    for (const secret of ['RT-sqlite-rotated', 'AT-sqlite-rotated', ACCESS, REFRESH]) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }

    // disconnect: tokens and pending authorizations of the connection are gone for every process.
    await hostOn(clock).startAuthorization(connection);
    const pendingRows = () =>
      (file.raw().prepare('SELECT count(*) AS n FROM aic_pending').get() as { n: number }).n;
    expect(pendingRows()).toBe(1);
    await fourth.disconnect(connection);
    expect(pendingRows()).toBe(0);
    await expect(hostOn(clock).getStatus(connection)).resolves.toMatchObject({ state: 'not_authorized' });
  });
});
