import { ErrorCode, ManualClock, MemoryLogger } from '@aic/connector-core';
import { inspect } from 'node:util';
import { RedisTokenStore, keySlot, type NodeRedisClient } from '../src/index.js';
import {
  ACCESS,
  CONN,
  KEY,
  OTHER_KEY,
  REFRESH,
  failure,
  pause,
  pending,
  record,
  useStandalone,
  type Client,
} from './standalone.js';

// Type-level check: a plain node-redis client is accepted as is, no cast needed.
const acceptsNodeRedis = (client: Client): NodeRedisClient => client;
void acceptsNodeRedis;

const h = useStandalone();

describe('RedisTokenStore: records at rest', () => {
  it('refuses to be built without keys unless plaintext is asked for, which logs a warning', async () => {
    const client = await h.client();
    let error: unknown;
    try {
      new RedisTokenStore(client, { keyPrefix: h.prefix });
    } catch (caught) {
      error = caught;
    }
    expect(error).toMatchObject({ code: ErrorCode.Configuration });
    expect((error as { localized: { es: string; en: string } }).localized).toEqual({
      es: expect.stringContaining('indique las claves'),
      en: expect.stringContaining('give it keys'),
    });
    const logger = new MemoryLogger();
    const plain = h.store(client, { keys: undefined, plaintext: true, logger });
    expect(logger.entries).toEqual([
      {
        level: 'warn',
        message: `redis ${h.prefix}*: tokens are stored in Redis as plain JSON (plaintext: true); anyone who can read Redis can use them`,
        fields: {},
      },
    ]);
    await plain.set(CONN, record());
    expect(JSON.parse((await h.raw(CONN)).r!)).toEqual(record());
  });

  it('seals records under one hash tag per connection, with a version that only grows (also across a delete)', async () => {
    const store = h.store(await h.client());
    await expect(store.get(CONN)).resolves.toBeUndefined();
    await store.set(CONN, record());
    const raw = await h.raw(CONN);
    expect(Object.keys(raw).sort()).toEqual(['r', 'v']);
    expect(raw.r).not.toContain(ACCESS);
    expect(raw.r).not.toContain(REFRESH);
    expect(JSON.parse(raw.r!)).toMatchObject({ v: 1, kid: expect.any(String) });
    expect(await store.get(CONN)).toEqual({ ...record(), version: 1 });
    await store.set(CONN, { ...record('AT-2'), version: 99 }); // the given version is ignored
    expect(await h.store(await h.client()).get(CONN)).toEqual({ ...record('AT-2'), version: 2 });
    await store.delete(CONN);
    await expect(store.get(CONN)).resolves.toBeUndefined();
    await store.set(CONN, record('AT-3'));
    expect((await store.get(CONN))?.version).toBe(4);
    await store.delete('never-there');
    // Every key of the connection hashes to the slot of its tag.
    expect(keySlot(`${h.prefix}{${CONN}}:rec`)).toBe(keySlot(`${h.prefix}{${CONN}}:lock`));
  });

  it('opens with a previous key, refuses a wrong key, a moved ciphertext and plain JSON', async () => {
    const client = await h.client();
    const store = h.store(client);
    await store.set(CONN, record());
    await expect(
      h.store(client, { keys: { current: OTHER_KEY, previous: [KEY] } }).get(CONN),
    ).resolves.toEqual({
      ...record(),
      version: 1,
    });
    await expect(h.store(client, { keys: { current: OTHER_KEY } }).get(CONN)).rejects.toMatchObject(
      failure('wrong_key'),
    );
    await expect(h.store(client, { keys: undefined, plaintext: true }).get(CONN)).rejects.toMatchObject(
      failure('wrong_key'),
    );
    // A ciphertext copied under another connection does not open (bound to its key).
    await client.hSet(`${h.prefix}{other}:rec`, { r: (await h.raw(CONN)).r!, v: '1' });
    await expect(store.get('other')).rejects.toMatchObject(failure('corrupted'));
    await client.hSet(`${h.prefix}{plain}:rec`, { r: JSON.stringify(record()), v: '1' });
    await expect(store.get('plain')).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses damaged values and keys of the wrong type as corrupted, never as "no record"', async () => {
    const client = await h.client();
    const store = h.store(client, { keys: undefined, plaintext: true });
    await client.hSet(`${h.prefix}{garbage}:rec`, { r: '{"status":', v: '1' });
    await expect(store.get('garbage')).rejects.toMatchObject(failure('corrupted'));
    await client.hSet(`${h.prefix}{shape}:rec`, { r: '{"status":"weird","updatedAt":1}', v: '1' });
    await expect(store.get('shape')).rejects.toMatchObject(failure('corrupted'));
    await client.set(`${h.prefix}{string}:rec`, 'x');
    await expect(store.get('string')).rejects.toMatchObject(failure('corrupted'));
  });

  it('fences writes: a stale version or "absent" over a record changes nothing and throws ERR_STORE_CONFLICT', async () => {
    const store = h.store(await h.client());
    await store.set(CONN, record('AT-1'), { ifVersion: 'absent' });
    await expect(store.set(CONN, record('AT-x'), { ifVersion: 'absent' })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    await store.set(CONN, record('AT-2'), { ifVersion: 1 });
    await expect(store.set(CONN, record('AT-old'), { ifVersion: 1 })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    await expect(store.delete(CONN, { ifVersion: 1 })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    expect(await store.get(CONN)).toEqual({ ...record('AT-2'), version: 2 });
    await store.delete(CONN, { ifVersion: 2 });
    await expect(store.set(CONN, record('AT-3'), { ifVersion: 2 })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    await store.set(CONN, record('AT-3'), { ifVersion: 'absent' });
    expect(await store.get(CONN)).toEqual({ ...record('AT-3'), version: 4 });
  });

  it('refuses a key prefix with braces (it would break the hash tags)', async () => {
    const client = await h.client();
    expect(() => new RedisTokenStore(client, { keyPrefix: 'a{b}:', keys: { current: KEY } })).toThrow(
      expect.objectContaining({ code: ErrorCode.Configuration }),
    );
  });

  it('shows neither keys nor records in util.inspect or JSON.stringify', async () => {
    const store = h.store(await h.client());
    await store.set(CONN, record());
    for (const shown of [inspect(store, { depth: 6, showHidden: true }), JSON.stringify(store)]) {
      expect(shown).not.toContain(ACCESS);
      expect(shown).not.toContain(KEY.toString('hex'));
      expect(shown).not.toContain(KEY.toString('base64'));
    }
  });
});

describe('RedisPendingAuthorizationStore', () => {
  it('take is single-use across clients (GETDEL)', async () => {
    const value = pending(Date.now() + 60_000);
    await h.store(await h.client()).pending.put('state-key', value);
    const takes = await Promise.all(
      [await h.client(), await h.client(), await h.client()].map((on) =>
        h.store(on).pending.take('state-key'),
      ),
    );
    expect(takes.filter((taken) => taken !== undefined)).toEqual([value]);
  });

  it('sets a PX TTL of expiry plus grace on the entry and its connection index; gone once it passes', async () => {
    const client = await h.client();
    const clock = new ManualClock(Date.now());
    const store = h.store(client, { clock, pendingGraceMs: 60_000 });
    await store.pending.put('ttl', pending(clock.now() + 600_000));
    for (const key of [`${h.prefix}{p:ttl}`, `${h.prefix}{${CONN}}:pending`]) {
      const ttl = await client.pTTL(key);
      expect(ttl).toBeGreaterThan(660_000 - 1_000);
      expect(ttl).toBeLessThanOrEqual(660_000);
    }
    const short = h.store(client, { pendingGraceMs: 0 });
    await short.pending.put('short', pending(Date.now() + 80));
    await expect(short.pending.take('nothing')).resolves.toBeUndefined();
    await pause(200);
    await expect(short.pending.take('short')).resolves.toBeUndefined();
  });

  it('seals pending authorizations (the PKCE verifier never lies in Redis in clear)', async () => {
    const client = await h.client();
    const store = h.store(client);
    await store.pending.put('enc', pending(Date.now() + 60_000));
    expect(await client.get(`${h.prefix}{p:enc}`)).not.toContain('verifier-secret-value');
    await expect(store.pending.take('enc')).resolves.toMatchObject({ codeVerifier: expect.any(String) });
  });

  it('forgetConnection drops exactly that connection’s pending authorizations and its index', async () => {
    const client = await h.client();
    const store = h.store(client);
    await store.pending.put('a1', pending(Date.now() + 60_000));
    await store.pending.put('a2', pending(Date.now() + 60_000));
    await store.pending.put('b1', pending(Date.now() + 60_000, 'conn-2'));
    await expect(store.pending.take('a2')).resolves.toBeDefined();
    await expect(store.pending.forgetConnection('fixture', 'conn-1')).resolves.toBe(1);
    await expect(store.pending.take('a1')).resolves.toBeUndefined();
    expect(await client.exists(`${h.prefix}{${CONN}}:pending`)).toBe(0);
    await expect(store.pending.take('b1')).resolves.toMatchObject({ connectionId: 'conn-2' });
    await expect(store.pending.forgetConnection('fixture', 'conn-3')).resolves.toBe(0);
  });
});

describe('RedisTokenStore failures', () => {
  it('turns a closed client into ERR_STORE_FAILURE (unavailable) everywhere', async () => {
    const closed = await h.client();
    await closed.close();
    const store = h.store(closed, { writeRetryMs: 0 });
    await expect(store.get(CONN)).rejects.toMatchObject(failure('unavailable'));
    await expect(store.set(CONN, record())).rejects.toMatchObject(failure('unavailable'));
    await expect(store.withLock(CONN, async () => 'never')).rejects.toMatchObject(failure('unavailable'));
    await expect(store.pending.take('x')).rejects.toMatchObject(failure('unavailable'));
  });
});

describe('RedisTokenStore command pacing', () => {
  it('sends at most maxCommandsInFlight at once, the rest in order; a dropped connection fails the waiting ones at once', async () => {
    const connection = await h.connection();
    let inFlight = 0;
    let maxInFlight = 0;
    const watched = {
      ...connection,
      sendCommand: async (key: string, args: readonly string[], options: { abortSignal: AbortSignal }) => {
        maxInFlight = Math.max(maxInFlight, ++inFlight);
        try {
          return await connection.sendCommand(key, args, options);
        } finally {
          inFlight--;
        }
      },
    };
    const store = h.store(watched, { maxCommandsInFlight: 2 });
    await store.set(CONN, record());
    const reads = await Promise.all(Array.from({ length: 40 }, () => store.get(CONN)));
    expect(reads.every((read) => read?.tokens?.accessToken === ACCESS)).toBe(true);
    expect(maxInFlight).toBe(2);

    const doomed = await h.client();
    const paced = h.store(doomed, { maxCommandsInFlight: 1, commandTimeoutMs: 5_000, writeRetryMs: 0 });
    const started = Date.now();
    const pending = Array.from({ length: 20 }, () => paced.get(CONN).catch((error: unknown) => error));
    doomed.destroy();
    const errors = await Promise.all(pending);
    expect(errors.every((error) => (error as { reason?: string }).reason === 'unavailable')).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000); // not 20 × the command timeout
  });
});
