/**
 * A process killed between receiving a rotated refresh token and persisting it. The engine's
 * rule (TokenStore.set resolves = durable) is: persist the whole new token set, THEN hand out
 * the access token. So whatever instant the process dies at, the store holds either the old
 * grant (RT-1) or the new one (RT-2) — never a mix, never an access token from a grant that
 * was not stored. What is recoverable then depends on the provider (see RELIABILITY.md).
 */
import nock from 'nock';
import { ErrorCode } from '../src/errors/codes.js';
import { OAuthConnector } from '../src/connector/oauth-connector.js';
import { createDefaultDispatcher } from '../src/http/dispatcher.js';
import { connectionKey, type ConnectionRecord } from '../src/stores/connection-record.js';
import { MemoryPendingAuthorizationStore } from '../src/stores/memory-stores.js';
import { ManualClock } from '../src/support/clock.js';
import { MemoryLogger } from '../src/support/logger.js';
import { AUTH_HOST, fixtureDefinition } from '../src/__fixtures__/fixture-provider.js';
import { registerSecret } from '../../../test/secrets.js';
import { CrashableStore, type Disk } from './support/crash-store.js';
import { Figures } from './support/figures.js';

const figures = new Figures('rotation-crash');
const KEY = connectionKey('fixture', 'conn-1');
const START = Date.UTC(2026, 5, 1);
for (const n of [3, 4]) {
  registerSecret(`AT-${n}`, `rotation suite access token #${n}`);
  registerSecret(`RT-${n}`, `rotation suite refresh token #${n}`);
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});
afterAll(() => {
  nock.enableNetConnect();
  figures.report();
});

const clock = new ManualClock(START);
const connection = { id: 'conn-1', credentials: { ...fixtureDefinition.sampleCredentials } };

/** One "process": a connector over its own store instance on the shared disk. */
function processOn(disk: Disk, events: string[] = []) {
  const store = new CrashableStore(disk, events);
  const logger = new MemoryLogger();
  const connector = new OAuthConnector(fixtureDefinition, {
    tokenStore: store,
    pendingStore: new MemoryPendingAuthorizationStore(clock),
    clock,
    logger,
    dispatcher: createDefaultDispatcher(),
    random: () => 0.5,
  });
  return { store, connector, logger, clock };
}

/** A disk holding an authorized grant (AT-1 / RT-1) whose access token is due for refresh. */
function authorizedDisk(): Disk {
  const issuedAt = clock.now();
  const record: ConnectionRecord = {
    status: 'active',
    tokens: {
      accessToken: 'AT-1',
      tokenType: 'Bearer',
      issuedAt,
      expiresAt: issuedAt + 3600_000,
      refreshToken: 'RT-1',
    },
    authorizedAt: issuedAt,
    updatedAt: issuedAt,
  };
  clock.advance(3600_000);
  return new Map([[KEY, record]]);
}

const refresh = (refreshToken: string) =>
  nock(AUTH_HOST).post('/token', `grant_type=refresh_token&refresh_token=${refreshToken}`);
const rotated = (n: number) => ({
  access_token: `AT-${n}`,
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: `RT-${n}`,
});
const stored = (disk: Disk) => ({
  at: disk.get(KEY)?.tokens?.accessToken,
  rt: disk.get(KEY)?.tokens?.refreshToken,
});
const settled = async (promise: Promise<unknown>): Promise<boolean> => {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
};

/**
 * Tokens lost: refresh tokens whose access token reached a caller but which are not what the
 * store holds at the end (0 is the promise).
 */
function lost(disk: Disk, handedOut: readonly string[]): number {
  const last = handedOut.at(-1);
  if (last === undefined) return 0;
  return stored(disk).rt === `RT-${last.slice(3)}` ? 0 : 1;
}

const scenario = (name: string, disk: Disk, handedOut: readonly string[]): void => {
  const tokensLost = lost(disk, handedOut);
  expect(tokensLost).toBe(0);
  figures.add('crash scenarios', 1);
  figures.add('tokens lost', tokensLost);
  figures.add(`scenario: ${name}`, 1);
};

describe('a failed write after a rotation', () => {
  it('hands out no access token and keeps RT-1; the next call saves RT-2 without a token request', async () => {
    const disk = authorizedDisk();
    const p = processOn(disk);
    const first = refresh('RT-1').reply(200, rotated(2));
    p.store.crashOnNextSet('throw');
    await expect(p.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.StoreFailure,
    });
    first.done();
    expect(stored(disk)).toEqual({ at: 'AT-1', rt: 'RT-1' });

    // No nock scope: a token request here would fail the test (net connect is disabled).
    const token = await p.connector.getAccessToken(connection);
    expect(token.accessToken).toBe('AT-2');
    expect(stored(disk)).toEqual({ at: 'AT-2', rt: 'RT-2' });
    expect(p.store.events).toEqual(['set:RT-2', 'crash:throw', 'set:RT-2', 'durable:RT-2']);
    scenario('set throws, the same process saves the rotated grant on the next call', disk, ['AT-2']);
  });

  it('while the store keeps failing, no token request spends RT-2 or RT-1', async () => {
    const disk = authorizedDisk();
    const p = processOn(disk);
    refresh('RT-1').reply(200, rotated(2));
    p.store.crashOnNextSet('throw');
    await expect(p.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.StoreFailure,
    });
    p.store.crashOnNextSet('throw');
    await expect(p.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.StoreFailure,
    });
    expect(stored(disk)).toEqual({ at: 'AT-1', rt: 'RT-1' });
    const token = await p.connector.getAccessToken(connection);
    expect(token.accessToken).toBe('AT-2');
    expect(stored(disk)).toEqual({ at: 'AT-2', rt: 'RT-2' });
    scenario('set throws twice, then the rotated grant is saved', disk, ['AT-2']);
  });

  it('a process restarted after the failed write (memory gone) refreshes with RT-1: a provider without grace refuses it', async () => {
    const disk = authorizedDisk();
    const p = processOn(disk);
    refresh('RT-1').reply(200, rotated(2));
    p.store.crashOnNextSet('throw');
    await expect(p.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.StoreFailure,
    });
    const restarted = processOn(disk);
    refresh('RT-1').reply(400, { error: 'invalid_grant', error_description: 'refresh token already used' });
    await expect(restarted.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'invalid_grant',
    });
    expect(disk.get(KEY)).toMatchObject({
      status: 'reauthorization_required',
      tokens: { refreshToken: 'RT-1' },
    });
    // No further token request: the state sticks until a person authorizes again.
    await expect(restarted.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
    });
    scenario('set throws, process restarted, provider without grace', disk, []);
  });
});

describe('a process killed inside the write', () => {
  it('dies before the write is durable: no token was handed out; a restarted process refreshes with RT-1', async () => {
    const disk = authorizedDisk();
    const a = processOn(disk);
    const answered = refresh('RT-1').reply(200, rotated(2));
    a.store.crashOnNextSet('die-before-write');
    const dying = a.connector.getAccessToken(connection);
    expect(await settled(dying)).toBe(false);
    answered.done();
    expect(stored(disk)).toEqual({ at: 'AT-1', rt: 'RT-1' });

    const b = processOn(disk);
    const again = refresh('RT-1').reply(200, rotated(3));
    expect((await b.connector.getAccessToken(connection)).accessToken).toBe('AT-3');
    again.done();
    expect(stored(disk)).toEqual({ at: 'AT-3', rt: 'RT-3' });
    scenario('killed before the write', disk, ['AT-3']);
  });

  it('dies after the write is durable: a restarted process uses AT-2 / RT-2 with no token request at all', async () => {
    const disk = authorizedDisk();
    const a = processOn(disk);
    const answered = refresh('RT-1').reply(200, rotated(2));
    a.store.crashOnNextSet('die-after-write');
    expect(await settled(a.connector.getAccessToken(connection))).toBe(false);
    answered.done();

    const b = processOn(disk);
    expect((await b.connector.getAccessToken(connection)).accessToken).toBe('AT-2');
    expect(stored(disk)).toEqual({ at: 'AT-2', rt: 'RT-2' });
    scenario('killed after the write', disk, ['AT-2']);
  });
});

describe('ordering: persist, then hand out', () => {
  it('no caller gets AT-2 until RT-2 is durable; then all 10 do', async () => {
    const disk = authorizedDisk();
    const events: string[] = [];
    const p = processOn(disk, events);
    refresh('RT-1').reply(200, rotated(2));
    const release = p.store.holdNextSet();
    const callers = Array.from({ length: 10 }, () =>
      p.connector.getAccessToken(connection).then((t) => void events.push(`caller:${t.accessToken}`)),
    );
    expect(await settled(Promise.race(callers))).toBe(false);
    expect(stored(disk)).toEqual({ at: 'AT-1', rt: 'RT-1' });
    release();
    await Promise.all(callers);
    expect(events).toEqual(['set:RT-2', 'durable:RT-2', ...Array.from({ length: 10 }, () => 'caller:AT-2')]);
    scenario('persist before hand-out', disk, ['AT-2']);
  });

  it('a failed write of a completed authorization stores nothing; the callback cannot be replayed', async () => {
    const disk: Disk = new Map();
    const p = processOn(disk);
    const { state } = await p.connector.startAuthorization(connection);
    nock(AUTH_HOST).post('/token').reply(200, rotated(4));
    p.store.crashOnNextSet('throw');
    await expect(
      p.connector.completeAuthorization(connection, { code: 'the-code', state }),
    ).rejects.toMatchObject({
      code: ErrorCode.StoreFailure,
    });
    expect(disk.size).toBe(0);
    await expect(
      p.connector.completeAuthorization(connection, { code: 'the-code', state }),
    ).rejects.toMatchObject({
      code: ErrorCode.StateMismatch,
    });
    scenario('authorization write fails', disk, []);
  });
});
