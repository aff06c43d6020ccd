import {
  ErrorCode,
  ManualClock,
  MemoryLogger,
  type ConnectionRecord,
  type PendingAuthorization,
} from '@aic/connector-core';
import { inspect } from 'node:util';
import { createClient } from 'redis';
import { RedisTokenStore, type RedisCommandClient, type RedisStoreOptions } from '../src/index.js';
import { RedisServer } from './redis-server.js';

const newClient = (url: string) => createClient({ url, socket: { reconnectStrategy: () => 50 } });
type Client = ReturnType<typeof newClient>;

// Type-level check: a plain node-redis client is a RedisCommandClient, no cast needed.
const acceptsNodeRedis = (client: Client): RedisCommandClient => client;
void acceptsNodeRedis;

const ACCESS = 'AT-redis-secret-access';
const REFRESH = 'RT-redis-secret-refresh';
const KEY = Buffer.alloc(32, 0x3c);
const OTHER_KEY = Buffer.alloc(32, 0x4d);
const CONN = 'fixture\u001fconn-1';

const record = (access = ACCESS, refresh = REFRESH): ConnectionRecord => ({
  status: 'active',
  tokens: {
    accessToken: access,
    tokenType: 'Bearer',
    expiresAt: 2_000,
    issuedAt: 1_000,
    refreshToken: refresh,
  },
  updatedAt: 1_000,
});
const pending = (expiresAt: number): PendingAuthorization => ({
  connectorId: 'fixture',
  connectionId: 'conn-1',
  stateDigest: 'digest',
  codeVerifier: 'verifier-secret-value-0123456789-0123456789',
  redirectUri: 'https://aic.test/callback',
  createdAt: expiresAt - 600_000,
  expiresAt,
});
const failure = (reason: string) => ({ code: ErrorCode.StoreFailure, reason });
const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: RedisServer;
const clients: Client[] = [];
let client: Client;
let prefix: string;
let testNumber = 0;

async function connect(): Promise<Client> {
  const created = newClient(server.url);
  created.on('error', () => undefined);
  await created.connect();
  clients.push(created);
  return created;
}
const storeOn = (on: Client, options: RedisStoreOptions = {}): RedisTokenStore =>
  new RedisTokenStore(on, { keyPrefix: prefix, ...options });

beforeAll(async () => {
  server = await RedisServer.start();
  client = await connect();
}, 300_000);
beforeEach(() => {
  prefix = `t${++testNumber}:`;
});
afterAll(async () => {
  for (const open of clients) if (open.isOpen) await open.close();
  await server?.dispose();
});

describe('RedisTokenStore records', () => {
  it('round-trips records as JSON under <prefix>token:<key>', async () => {
    const store = storeOn(client);
    await expect(store.get(CONN)).resolves.toBeUndefined();
    await store.set(CONN, record());
    expect(await storeOn(await connect()).get(CONN)).toEqual(record());
    expect(JSON.parse((await client.get(`${prefix}token:${CONN}`))!)).toEqual(record());
    await store.delete(CONN);
    await store.delete('never-there');
    await expect(store.get(CONN)).resolves.toBeUndefined();
    expect(await client.exists(`${prefix}token:${CONN}`)).toBe(0);
  });

  it('with keys, stores only ciphertext bound to the key, and refuses the wrong key', async () => {
    const store = storeOn(client, { keys: { current: KEY } });
    await store.set(CONN, record());
    const raw = (await client.get(`${prefix}token:${CONN}`))!;
    expect(raw).not.toContain(ACCESS);
    expect(raw).not.toContain(REFRESH);
    expect(JSON.parse(raw)).toMatchObject({ v: 1, kid: expect.any(String) });
    await expect(storeOn(client, { keys: { current: KEY } }).get(CONN)).resolves.toEqual(record());
    await expect(
      storeOn(client, { keys: { current: OTHER_KEY, previous: [KEY] } }).get(CONN),
    ).resolves.toEqual(record());
    await expect(storeOn(client, { keys: { current: OTHER_KEY } }).get(CONN)).rejects.toMatchObject(
      failure('wrong_key'),
    );
    await expect(storeOn(client).get(CONN)).rejects.toMatchObject(failure('wrong_key'));
    // A ciphertext copied under another key does not open (AAD binding).
    await client.set(`${prefix}token:other`, raw);
    await expect(store.get('other')).rejects.toMatchObject(failure('corrupted'));
    // Plain JSON where ciphertext is expected is refused too.
    await client.set(`${prefix}token:plain`, JSON.stringify(record()));
    await expect(store.get('plain')).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses damaged values and keys of the wrong type as corrupted, never as "no record"', async () => {
    const store = storeOn(client);
    await client.set(`${prefix}token:garbage`, '{"status":');
    await expect(store.get('garbage')).rejects.toMatchObject(failure('corrupted'));
    await client.set(`${prefix}token:shape`, '{"status":"weird","updatedAt":1}');
    await expect(store.get('shape')).rejects.toMatchObject(failure('corrupted'));
    await client.hSet(`${prefix}token:hash`, 'a', 'b');
    await expect(store.get('hash')).rejects.toMatchObject(failure('corrupted'));
  });

  it('shows neither keys nor records in util.inspect or JSON.stringify', async () => {
    const store = storeOn(client, { keys: { current: KEY } });
    await store.set(CONN, record());
    for (const shown of [inspect(store, { depth: 6, showHidden: true }), JSON.stringify(store)]) {
      expect(shown).not.toContain(ACCESS);
      expect(shown).not.toContain(KEY.toString('hex'));
    }
  });
});

describe('RedisPendingAuthorizationStore', () => {
  it('take is single-use across clients (GETDEL)', async () => {
    const value = pending(Date.now() + 60_000);
    await storeOn(client).pending.put('state-key', value);
    const takes = await Promise.all(
      [client, await connect(), await connect()].map((on) => storeOn(on).pending.take('state-key')),
    );
    expect(takes.filter((taken) => taken !== undefined)).toEqual([value]);
  });

  it('sets a PX TTL of expiry plus grace, and the entry is gone once it passes', async () => {
    const clock = new ManualClock(Date.now());
    const store = storeOn(client, { clock, pendingGraceMs: 60_000 });
    await store.pending.put('ttl', pending(clock.now() + 600_000));
    const ttl = await client.pTTL(`${prefix}pending:ttl`);
    expect(ttl).toBeGreaterThan(660_000 - 1_000);
    expect(ttl).toBeLessThanOrEqual(660_000);

    const short = storeOn(client, { pendingGraceMs: 0 });
    await short.pending.put('short', pending(Date.now() + 80));
    await expect(short.pending.take('nothing')).resolves.toBeUndefined();
    await pause(200);
    await expect(short.pending.take('short')).resolves.toBeUndefined();
  });

  it('encrypts pending authorizations (PKCE verifier) when keys are given', async () => {
    const store = storeOn(client, { keys: { current: KEY } });
    await store.pending.put('enc', pending(Date.now() + 60_000));
    expect(await client.get(`${prefix}pending:enc`)).not.toContain('verifier-secret-value');
    await expect(store.pending.take('enc')).resolves.toMatchObject({ codeVerifier: expect.any(String) });
  });
});

describe('RedisTokenStore lock', () => {
  it('is exclusive across clients (processes) and lets other keys through', async () => {
    const a = storeOn(client);
    const b = storeOn(await connect());
    const gate = deferred();
    const order: string[] = [];
    const held = a.withLock(CONN, async () => {
      order.push('a-in');
      await gate.promise;
      order.push('a-out');
    });
    await pause(30);
    const waiting = b.withLock(CONN, async () => {
      order.push('b-in');
      return 'b';
    });
    await pause(80);
    expect(order).toEqual(['a-in']);
    await expect(b.withLock('other', async () => 'free')).resolves.toBe('free');
    gate.resolve();
    await held;
    await expect(waiting).resolves.toBe('b');
    expect(order).toEqual(['a-in', 'a-out', 'b-in']);
    expect(await client.exists(`${prefix}lock:${CONN}`)).toBe(0);
  });

  it('releases only its own lock: a lock taken over meanwhile is left to its new owner', async () => {
    const logger = new MemoryLogger();
    const store = storeOn(client, { logger });
    await store.withLock(
      CONN,
      async () => {
        // The holder stalled past its TTL; another instance now owns the lock. Renewals see it.
        await client.set(`${prefix}lock:${CONN}`, 'someone-else', {
          expiration: { type: 'PX', value: 60_000 },
        });
        await pause(100);
      },
      { ttlMs: 60 },
    );
    expect(await client.get(`${prefix}lock:${CONN}`)).toBe('someone-else');
    expect(logger.entries.map((e) => e.message)).toEqual([
      'a Redis store lock lapsed while held (the holder stalled past its TTL)',
    ]);
  });

  it('takes over the lock of a crashed holder once its TTL lapses', async () => {
    // A crashed holder: a lock nobody renews or releases.
    await client.set(`${prefix}lock:${CONN}`, 'crashed-holder', { expiration: { type: 'PX', value: 250 } });
    const started = Date.now();
    await expect(storeOn(client).withLock(CONN, async () => 'recovered', { waitMs: 5_000 })).resolves.toBe(
      'recovered',
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
  });

  it('renews a held lock past its TTL, so a waiter times out with lock_timeout', async () => {
    const gate = deferred();
    const held = storeOn(client).withLock(CONN, () => gate.promise, { ttlMs: 150 });
    await pause(30);
    await expect(
      storeOn(await connect()).withLock(CONN, async () => 'never', { waitMs: 450 }),
    ).rejects.toMatchObject(failure('lock_timeout'));
    gate.resolve();
    await held;
  });

  it('stops waiting with ERR_ABORTED when the signal aborts (also in the in-process queue)', async () => {
    const store = storeOn(client);
    const gate = deferred();
    const held = store.withLock(CONN, () => gate.promise);
    await pause(30);
    const controller = new AbortController();
    const remote = storeOn(await connect()).withLock(CONN, async () => 'never', {
      signal: controller.signal,
    });
    const local = store.withLock(CONN, async () => 'never', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller left')), 40);
    await expect(remote).rejects.toMatchObject({ code: ErrorCode.Aborted });
    await expect(local).rejects.toMatchObject({ code: ErrorCode.Aborted });
    await expect(store.withLock(CONN, async () => 'late', { waitMs: 20 })).rejects.toMatchObject(
      failure('lock_timeout'),
    );
    gate.resolve();
    await held;
  });

  it('reloads its Lua scripts after the server script cache is flushed', async () => {
    const store = storeOn(client);
    await store.withLock(CONN, async () => undefined);
    await client.scriptFlush();
    await store.withLock(CONN, async () => undefined);
    expect(await client.exists(`${prefix}lock:${CONN}`)).toBe(0);
  });
});

describe('RedisTokenStore failures', () => {
  it('turns a closed client or an unreachable server into ERR_STORE_FAILURE (unavailable)', async () => {
    const closed = await connect();
    await closed.close();
    const store = storeOn(closed, { writeRetryMs: 0 });
    await expect(store.get(CONN)).rejects.toMatchObject(failure('unavailable'));
    await expect(store.set(CONN, record())).rejects.toMatchObject(failure('unavailable'));
    await expect(store.withLock(CONN, async () => 'never')).rejects.toMatchObject(failure('unavailable'));
    await expect(store.pending.take('x')).rejects.toMatchObject(failure('unavailable'));
  });
});
