import nock from 'nock';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import {
  ErrorCode,
  ManualClock,
  MemoryLogger,
  OAuthConnector,
  RecordCipher,
  createDefaultDispatcher,
  type ConnectionRecord,
  type PendingAuthorization,
} from '@aic/connector-core';
import { assertNoPendingMocks, storeFixtureDefinition } from '@aic/connector-core/testing';
import { EncryptedFileTokenStore, type EncryptedFileStoreOptions } from './encrypted-file-store.js';
import { StoreDocument } from './store-document.js';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, '__fixtures__/file-store-worker.mjs');
const builtStore = resolve(here, '../dist/index.js');
// The Node binary running jest (Node 24 under `pnpm exec`). Not `node_modules/.bin/node`: that is a
// shell wrapper, and killing it would leave the real worker running.
const nodeBinary = process.execPath;

const KEY_A = Buffer.alloc(32, 0xa1);
const KEY_B = Buffer.alloc(32, 0xb2);
const ACCESS = 'AT-very-secret-access-token';
const REFRESH = 'RT-very-secret-refresh-token';
const VERIFIER = 'verifier-secret-0123456789-0123456789-abcdefgh';

const record = (access = ACCESS, refresh = REFRESH): ConnectionRecord => ({
  status: 'active',
  tokens: {
    accessToken: access,
    tokenType: 'Bearer',
    expiresAt: 2_000,
    issuedAt: 1_000,
    refreshToken: refresh,
  },
  authorizedAt: 1_000,
  refreshTokenDeadline: 9_000,
  updatedAt: 1_000,
});

const pending = (expiresAt: number): PendingAuthorization => ({
  connectorId: 'fixture',
  connectionId: 'conn-1',
  stateDigest: 'digest',
  codeVerifier: VERIFIER,
  redirectUri: 'https://aic.test/callback',
  createdAt: expiresAt - 600_000,
  expiresAt,
});

let dir: string;
let path: string;
const open = (options: Partial<EncryptedFileStoreOptions> = {}): EncryptedFileTokenStore =>
  new EncryptedFileTokenStore({ path, keys: { current: KEY_A }, ...options });
const failure = (reason: string) => ({ code: ErrorCode.StoreFailure, reason });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aic-file-store-'));
  path = join(dir, 'state', 'tokens.enc');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('EncryptedFileTokenStore: records', () => {
  it('round-trips records; a missing file or key is an empty answer, not an error', async () => {
    const store = open();
    await expect(store.get('fixture\u001fconn-1')).resolves.toBeUndefined();
    await store.set('fixture\u001fconn-1', record());
    await store.set('fixture\u001fconn-2', {
      status: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
      updatedAt: 5,
    });
    const first = await open().get('fixture\u001fconn-1');
    const { version: firstVersion, ...firstStored } = first!;
    expect(firstStored).toEqual(record());
    const reauthorization = {
      status: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
      updatedAt: 5,
    };
    expect(await open().get('fixture\u001fconn-2')).toEqual({
      ...reauthorization,
      version: expect.any(Number),
    });
    expect(await open().get('fixture\u001fconn-3')).toBeUndefined();
    await store.delete('fixture\u001fconn-1');
    await store.delete('never-there');
    expect(await open().get('fixture\u001fconn-1')).toBeUndefined();
    expect(await open().get('fixture\u001fconn-2')).toEqual({
      ...reauthorization,
      version: expect.any(Number),
    });
    // Re-created after its delete, a key gets a version above the one it had.
    await store.set('fixture\u001fconn-1', record());
    expect((await open().get('fixture\u001fconn-1'))!.version).toBeGreaterThan(firstVersion!);
    expect(store.path).toBe(path);
  });

  it('fences writes on the version read: a stale writer changes nothing (ERR_STORE_CONFLICT)', async () => {
    const store = open();
    await expect(store.set('k', record('AT-first'), { ifVersion: 'absent' })).resolves.toBeUndefined();
    const read = (await store.get('k'))!.version!;
    await expect(store.set('k', record('AT-stale'), { ifVersion: 'absent' })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    await store.set('k', record('AT-second'), { ifVersion: read });
    const second = (await store.get('k'))!;
    expect(second.version).toBeGreaterThan(read);
    // A writer still holding the first version (its lease lapsed meanwhile) loses, and so does a delete.
    await expect(store.set('k', record('AT-stale'), { ifVersion: read })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    await expect(store.delete('k', { ifVersion: read })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    expect(await open().get('k')).toEqual(second);
    await store.delete('k', { ifVersion: second.version });
    await expect(open().get('k')).resolves.toBeUndefined();
  });

  it('snapshot: every record and pending authorization of one read, decrypted', async () => {
    const store = open();
    const empty = await store.snapshot();
    expect(empty).toEqual({ fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/), records: [], pending: [] });
    await store.set('a', record('AT-a'));
    await store.set('b', record('AT-b'));
    const started = pending(Date.now() + 60_000);
    await store.pending.put('p', started);
    const snapshot = await open().snapshot();
    expect(snapshot.records.map(([key, stored]) => [key, stored.tokens?.accessToken])).toEqual([
      ['a', 'AT-a'],
      ['b', 'AT-b'],
    ]);
    expect(snapshot.records.every(([, stored]) => typeof stored.version === 'number')).toBe(true);
    expect(snapshot.pending).toEqual([['p', started]]);
    expect(snapshot.fingerprint).not.toBe(empty.fingerprint);
    expect((await open().snapshot()).fingerprint).toBe(snapshot.fingerprint);
    await expect(open({ keys: { current: KEY_B } }).snapshot()).rejects.toMatchObject(failure('wrong_key'));
  });

  it('writes the file with mode 0600 in a directory it creates with mode 0700', async () => {
    await open().set('k', record());
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(path))).mode & 0o777).toBe(0o700);
  });

  it('keeps tokens and PKCE verifiers only as ciphertext, in a versioned JSON document', async () => {
    const store = open();
    await store.set('fixture\u001fconn-1', record());
    await store.pending.put('pending-key', pending(Date.now() + 60_000));
    const raw = await readFile(path, 'utf8');
    for (const secret of [ACCESS, REFRESH, VERIFIER, 'Bearer', 'https://aic.test/callback']) {
      expect(raw).not.toContain(secret);
    }
    const parsed = JSON.parse(raw) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['format', 'version', 'tokens', 'pending', 'mac']);
    expect(parsed['format']).toBe('aic-token-store');
    expect(parsed['version']).toBe(1);
    expect(Object.keys(parsed['tokens'] as object)).toEqual(['fixture\u001fconn-1']);
    expect(Object.keys(parsed['pending'] as object)).toEqual(['pending-key']);
  });

  it('never shows keys or records in util.inspect or JSON.stringify of the store', async () => {
    const store = open();
    await store.set('k', record());
    for (const shown of [inspect(store, { depth: 5, showHidden: true }), JSON.stringify(store)]) {
      expect(shown).not.toContain(ACCESS);
      expect(shown).not.toContain(KEY_A.toString('hex'));
      expect(shown).not.toContain(KEY_A.toString('base64'));
    }
  });

  it('applies concurrent writes of one process without losing any', async () => {
    const store = open();
    await Promise.all(Array.from({ length: 40 }, (_, i) => store.set(`k${i}`, record(`AT-${i}`))));
    const again = open();
    for (let i = 0; i < 40; i++) expect((await again.get(`k${i}`))?.tokens?.accessToken).toBe(`AT-${i}`);
  });
});

describe('EncryptedFileTokenStore: damaged files and keys', () => {
  beforeEach(async () => {
    await open().set('fixture\u001fconn-1', record());
  });

  it('refuses a file with one flipped byte in a ciphertext (ERR_STORE_FAILURE, corrupted)', async () => {
    const raw = await readFile(path, 'utf8');
    const sealed = (JSON.parse(raw) as { tokens: Record<string, { data: string }> }).tokens[
      'fixture\u001fconn-1'
    ]!;
    const flipped = sealed.data.startsWith('A') ? `B${sealed.data.slice(1)}` : `A${sealed.data.slice(1)}`;
    await writeFile(path, raw.replace(sealed.data, flipped));
    await expect(open().get('fixture\u001fconn-1')).rejects.toMatchObject(failure('corrupted'));
    // Nor does a write paper over it.
    await expect(open().set('other', record())).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses a record moved to another key even when the file MAC is recomputed (AAD binding)', async () => {
    const store = open();
    await store.set('fixture\u001fconn-2', record('AT-other'));
    const parsed = JSON.parse(await readFile(path, 'utf8')) as {
      tokens: Record<string, unknown>;
      mac: unknown;
    };
    const first = parsed.tokens['fixture\u001fconn-1'];
    parsed.tokens['fixture\u001fconn-1'] = parsed.tokens['fixture\u001fconn-2'];
    parsed.tokens['fixture\u001fconn-2'] = first;
    // An attacker holding the key could do this; without it the MAC alone already fails.
    const cipher = new RecordCipher({ current: KEY_A });
    const document = StoreDocument.parse(
      JSON.stringify({ ...parsed, mac: cipher.authenticate(canonicalOf(parsed)) }),
      cipher,
      path,
    );
    await writeFile(path, document.serialize(cipher));
    await expect(open().get('fixture\u001fconn-1')).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses a record removed from the file (document MAC)', async () => {
    await open().set('fixture\u001fconn-2', record());
    const parsed = JSON.parse(await readFile(path, 'utf8')) as { tokens: Record<string, unknown> };
    delete parsed.tokens['fixture\u001fconn-2'];
    await writeFile(path, JSON.stringify(parsed));
    await expect(open().get('fixture\u001fconn-1')).rejects.toMatchObject(failure('corrupted'));
  });

  it.each([
    ['truncated to half', (raw: string) => raw.slice(0, Math.floor(raw.length / 2))],
    ['truncated to zero bytes', () => ''],
    ['not JSON', () => 'hello'],
    ['foreign JSON', () => '{"tokens":{}}'],
    ['a JSON array', () => '[]'],
    ['a bad section', (raw: string) => raw.replace('"pending": {}', '"pending": 7')],
    ['a bad sealed record', (raw: string) => raw.replace(/"iv": "[^"]+"/, '"iv": 5')],
    ['no MAC', (raw: string) => raw.replace('"mac"', '"nomac"')],
    ['a non-numeric version', (raw: string) => raw.replace('"version": 1', '"version": "1"')],
  ])('refuses a file %s (ERR_STORE_FAILURE, corrupted), never answering "empty"', async (_, damage) => {
    await writeFile(path, damage(await readFile(path, 'utf8')));
    await expect(open().get('fixture\u001fconn-1')).rejects.toMatchObject(failure('corrupted'));
    await expect(open().get('anything')).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses an IV or tag of the wrong length', async () => {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as {
      tokens: Record<string, { iv: string }>;
    };
    parsed.tokens['fixture\u001fconn-1']!.iv = 'AAAA';
    const cipher = new RecordCipher({ current: KEY_A });
    await writeFile(path, JSON.stringify({ ...parsed, mac: cipher.authenticate(canonicalOf(parsed)) }));
    await expect(open().get('fixture\u001fconn-1')).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses a newer format version (unsupported_format)', async () => {
    await writeFile(path, (await readFile(path, 'utf8')).replace('"version": 1', '"version": 2'));
    await expect(open().get('fixture\u001fconn-1')).rejects.toMatchObject(failure('unsupported_format'));
  });

  it('refuses a wrong key (wrong_key) with a message that says what to do, without key material', async () => {
    const error = (await open({ keys: { current: KEY_B } })
      .get('fixture\u001fconn-1')
      .catch((e: unknown) => e)) as Error & { localized: { es: string; en: string } };
    expect(error).toMatchObject({ name: 'StoreFailureError', ...failure('wrong_key') });
    expect(error.localized.en).toContain(path);
    expect(error.localized.en).toContain('previous key');
    expect(error.localized.es).toContain('clave anterior');
    for (const shown of [inspect(error), JSON.stringify(error), error.stack ?? '']) {
      expect(shown).not.toContain(KEY_A.toString('hex'));
      expect(shown).not.toContain(KEY_B.toString('hex'));
      expect(shown).not.toContain(ACCESS);
    }
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({ details: { reason: 'wrong_key' } });
  });

  it('reports an unreadable path as an I/O failure', async () => {
    await expect(
      new EncryptedFileTokenStore({ path: dir, keys: { current: KEY_A } }).get('k'),
    ).rejects.toMatchObject(failure('io'));
    await writeFile(join(dir, 'plain-file'), 'x');
    await expect(
      new EncryptedFileTokenStore({
        path: join(dir, 'plain-file', 'tokens.enc'),
        keys: { current: KEY_A },
      }).set('k', record()),
    ).rejects.toMatchObject(failure('io'));
  });

  it('rejects a key that is not 32 bytes (ERR_CONFIGURATION)', () => {
    expect(() => open({ keys: { current: Buffer.alloc(16) } })).toThrow(
      expect.objectContaining({ code: ErrorCode.Configuration }),
    );
  });
});

describe('EncryptedFileTokenStore: key rotation', () => {
  it('reads old records with a previous key, writes with the current one, and rotateKeys re-encrypts', async () => {
    const before = open();
    const started = pending(Date.now() + 60_000);
    await before.set('one', record('AT-1'));
    await before.pending.put('p', started);

    const during = open({ keys: { current: KEY_B, previous: [KEY_A] } });
    expect((await during.get('one'))?.tokens?.accessToken).toBe('AT-1');
    await during.set('two', record('AT-2'));
    // Still partly under the old key: the new key alone cannot open "one".
    await expect(open({ keys: { current: KEY_B } }).get('one')).rejects.toMatchObject(failure('wrong_key'));

    expect(await during.rotateKeys()).toBe(2);
    expect(await during.rotateKeys()).toBe(0);

    const after = open({ keys: { current: KEY_B } });
    expect((await after.get('one'))?.tokens?.accessToken).toBe('AT-1');
    expect((await after.get('two'))?.tokens?.accessToken).toBe('AT-2');
    expect(await after.pending.take('p')).toEqual(started);
    await expect(open({ keys: { current: KEY_A } }).get('one')).rejects.toMatchObject(failure('wrong_key'));
  });
});

describe('EncryptedFilePendingAuthorizationStore', () => {
  it('take is single-use, across store instances on the same file', async () => {
    const value = pending(Date.now() + 60_000);
    await open().pending.put('state-digest', value);
    const [first, second] = await Promise.all([
      open().pending.take('state-digest'),
      open().pending.take('state-digest'),
    ]);
    expect([first, second].filter((taken) => taken !== undefined)).toEqual([value]);
    await expect(open().pending.take('state-digest')).resolves.toBeUndefined();
  });

  it('keeps an expired entry for the grace period, then sweeps it on the next put', async () => {
    const clock = new ManualClock(1_000_000);
    const store = open({ clock, pendingGraceMs: 60_000 });
    await store.pending.put('old', pending(1_000_000 + 10_000));
    clock.advance(10_000 + 60_000 - 1);
    await store.pending.put('new-1', pending(clock.now() + 600_000));
    expect(await open().pending.take('old')).toEqual(pending(1_000_000 + 10_000));

    await store.pending.put('old', pending(1_000_000 + 10_000));
    clock.advance(1);
    await store.pending.put('new-2', pending(clock.now() + 600_000));
    await expect(open().pending.take('old')).resolves.toBeUndefined();
    await expect(open().pending.take('new-1')).resolves.toMatchObject({ codeVerifier: VERIFIER });
  });
});

describe('EncryptedFileTokenStore: atomic writes', () => {
  it('ignores a temp file left by a crash in the middle of a write', async () => {
    const store = open();
    await store.set('k', record('AT-before'));
    // A crash after writing part of the next version into its temp file, before the rename.
    await writeFile(`${path}.deadbeef0000.tmp`, '{"format":"aic-token-store","version":1,"tok');
    expect((await open().get('k'))?.tokens?.accessToken).toBe('AT-before');
    await store.set('k', record('AT-after'));
    expect((await open().get('k'))?.tokens?.accessToken).toBe('AT-after');
    const names = await readdir(dirname(path));
    expect(names.sort()).toEqual(['tokens.enc', 'tokens.enc.deadbeef0000.tmp']);
  });
});

describe('EncryptedFileTokenStore: locks', () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it('excludes a second store instance (another holder of the lock file) until release', async () => {
    const a = open();
    const b = open();
    const gate = deferred();
    const order: string[] = [];
    const held = a.withLock('conn', async () => {
      order.push('a-in');
      await gate.promise;
      order.push('a-out');
    });
    await new Promise((r) => setTimeout(r, 20));
    const waiting = b.withLock('conn', async () => {
      order.push('b-in');
      return 'b';
    });
    await new Promise((r) => setTimeout(r, 60));
    expect(order).toEqual(['a-in']);
    // Another key is not blocked.
    await expect(b.withLock('other', async () => 'free')).resolves.toBe('free');
    gate.resolve();
    await held;
    await expect(waiting).resolves.toBe('b');
    expect(order).toEqual(['a-in', 'a-out', 'b-in']);
    expect((await readdir(dirname(path))).filter((name) => name.endsWith('.lock'))).toEqual([]);
  });

  it('gives up after waitMs with lock_timeout while the lease lasts; the lease is never renewed past its TTL', async () => {
    const a = open();
    const gate = deferred();
    let holderSignal: AbortSignal | undefined;
    const held = a.withLock(
      'conn',
      (lease) => {
        holderSignal = lease.signal;
        return gate.promise;
      },
      { ttlMs: 400 },
    );
    await new Promise((r) => setTimeout(r, 20));
    await expect(open().withLock('conn', async () => 'never', { waitMs: 100 })).rejects.toMatchObject(
      failure('lock_timeout'),
    );
    // In-process waiters time out the same way.
    await expect(a.withLock('conn', async () => 'never', { waitMs: 30 })).rejects.toMatchObject(
      failure('lock_timeout'),
    );
    // The holder is still running, but its lease lapses at 400 ms: its signal aborts and another
    // holder gets the lock (the holder's later writes are fenced by record version).
    await expect(open().withLock('conn', async () => 'taken over', { waitMs: 2_000 })).resolves.toBe(
      'taken over',
    );
    expect(holderSignal?.aborted).toBe(true);
    gate.resolve();
    await held;
  });

  it('stops waiting with ERR_ABORTED when the signal aborts', async () => {
    const gate = deferred();
    const held = open().withLock('conn', () => gate.promise);
    await new Promise((r) => setTimeout(r, 20));
    const controller = new AbortController();
    const waiting = open().withLock('conn', async () => 'never', { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller left')), 30);
    await expect(waiting).rejects.toMatchObject({ code: ErrorCode.Aborted });
    const already = AbortSignal.abort();
    await expect(open().withLock('conn', async () => 'never', { signal: already })).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
    gate.resolve();
    await held;
  });

  it('breaks a lapsed lease (expired content, or no content from a creator that died) and logs it', async () => {
    await mkdir(dirname(path), { recursive: true });
    const logger = new MemoryLogger();
    const store = open({ logger });
    // Find the lock file name of key "conn" by taking the lock once.
    let lockName = '';
    await store.withLock('conn', async () => {
      lockName = (await readdir(dirname(path))).find((name) => name.endsWith('.lock'))!;
    });
    const lockPath = join(dirname(path), lockName);
    await writeFile(lockPath, JSON.stringify({ owner: 'dead', pid: 1, expiresAt: Date.now() - 1 }));
    await expect(store.withLock('conn', async () => 'taken')).resolves.toBe('taken');

    await writeFile(lockPath, '');
    const old = new Date(Date.now() - 10_000);
    await utimes(lockPath, old, old);
    await expect(store.withLock('conn', async () => 'taken again')).resolves.toBe('taken again');
    expect(logger.entries.filter((e) => e.message.startsWith('broke a lapsed store lock'))).toHaveLength(2);
  });

  it('releases only its own lease: a lease broken and re-taken meanwhile is left to its new owner', async () => {
    const logger = new MemoryLogger();
    const store = open({ logger });
    const lockFile = async () =>
      join(
        dirname(path),
        (await readdir(dirname(path))).find((name) => name.endsWith('.lock'))!,
      );
    await store.withLock(
      'conn',
      async () => {
        // Another process broke this (stalled) holder's lease and took the lock.
        await writeFile(
          await lockFile(),
          JSON.stringify({ owner: 'other', pid: 1, expiresAt: Date.now() + 60_000 }),
        );
        await new Promise((r) => setTimeout(r, 80));
      },
      { ttlMs: 60 },
    );
    expect(JSON.parse(await readFile(await lockFile(), 'utf8'))).toMatchObject({ owner: 'other' });
    expect(logger.entries.map((e) => e.message)).toEqual([
      'a store lock lapsed while held (the holder stalled past its TTL)',
    ]);
  });

  it('clears a guard file left by a process that died inside it', async () => {
    const store = open();
    await store.set('k', record());
    const guard = `${path}.write.lock.guard`;
    await writeFile(guard, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(guard, old, old);
    await writeFile(
      `${path}.write.lock`,
      JSON.stringify({ owner: 'dead', pid: 1, expiresAt: Date.now() - 1 }),
    );
    await store.set('k', record('AT-after-crash'));
    expect((await open().get('k'))?.tokens?.accessToken).toBe('AT-after-crash');
    expect((await readdir(dirname(path))).sort()).toEqual(['tokens.enc']);
  });

  it('takes over the lock of a crashed holder PROCESS after its TTL', async () => {
    requireBuiltStore();
    const child = spawn(nodeBinary, [worker, 'hold', path, '300'], { env: workerEnv(), stdio: 'pipe' });
    await new Promise<void>((resolveLocked, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('locked')) resolveLocked();
      });
      child.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    await expect(open().withLock('crash', async () => 'recovered', { waitMs: 5_000 })).resolves.toBe(
      'recovered',
    );
  });
});

describe('EncryptedFileTokenStore: two processes on one file', () => {
  it('loses no record and no locked increment when two processes interleave writes and locks', async () => {
    requireBuiltStore();
    const rounds = 60;
    const results = await Promise.all(
      ['1', '2'].map((id) => runWorker(['hammer', path, id, String(rounds)])),
    );
    expect(results.map((out) => JSON.parse(out) as unknown)).toEqual([
      { worker: '1', increments: rounds },
      { worker: '2', increments: rounds },
    ]);
    const store = open();
    expect((await store.get('counter'))?.updatedAt).toBe(2 * rounds);
    for (const id of ['1', '2']) {
      for (let i = 0; i < rounds; i++) {
        expect((await store.get(`w${id}:${i}`))?.tokens?.accessToken).toBe(`AT-w${id}-${i}`);
        expect((await store.pending.take(`p${id}:${i}`))?.connectionId).toBe(`w${id}`);
      }
    }
    expect((await readdir(dirname(path))).sort()).toEqual(['tokens.enc']);
  }, 60_000);
});

describe('OAuthConnector on the encrypted file store', () => {
  /** The scripted (nock) authorization server. */
  const AUTH_HOST = 'https://auth.store-file.test';
  const fixtureDefinition = storeFixtureDefinition({ origin: AUTH_HOST });
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => assertNoPendingMocks(nock));
  afterAll(() => nock.enableNetConnect());

  const connectorOn = (clock: ManualClock) => {
    const store = open();
    return new OAuthConnector(fixtureDefinition, {
      tokenStore: store,
      pendingStore: store.pending,
      clock,
      logger: new MemoryLogger(),
      dispatcher: createDefaultDispatcher(),
      random: () => 0.5,
    });
  };
  const connection = { id: 'conn-1', credentials: { ...fixtureDefinition.sampleCredentials } };

  it('keeps its authorization and rotated refresh token across restarts (new store instances)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 5, 1));
    const first = connectorOn(clock);
    const start = await first.startAuthorization(connection);
    // The callback may arrive at another instance: the pending authorization is in the file.
    const second = connectorOn(clock);
    nock(AUTH_HOST)
      .post('/token', (body: Record<string, string>) => body['grant_type'] === 'authorization_code')
      .reply(200, { access_token: ACCESS, token_type: 'Bearer', expires_in: 3600, refresh_token: REFRESH });
    await second.completeAuthorization(connection, { code: 'the-code', state: start.state });

    const third = connectorOn(clock);
    await expect(third.getAccessToken(connection)).resolves.toMatchObject({ accessToken: ACCESS });

    clock.advance(3600_000);
    const refresh = nock(AUTH_HOST)
      .post('/token', `grant_type=refresh_token&refresh_token=${REFRESH}`)
      .reply(200, { access_token: 'AT-2', token_type: 'Bearer', expires_in: 3600, refresh_token: 'RT-2' });
    await expect(third.getAccessToken(connection)).resolves.toMatchObject({ accessToken: 'AT-2' });
    refresh.done();

    const fourth = connectorOn(clock);
    await expect(fourth.getAccessToken(connection)).resolves.toMatchObject({ accessToken: 'AT-2' });
    expect((await open().get('fixture\u001fconn-1'))?.tokens?.refreshToken).toBe('RT-2');
    await expect(fourth.getStatus(connection)).resolves.toMatchObject({
      state: 'active',
      hasRefreshToken: true,
    });
    const raw = await readFile(path, 'utf8');
    expect(raw).not.toContain('RT-2');
    expect(raw).not.toContain(ACCESS);
  });
});

function canonicalOf(parsed: { tokens: Record<string, unknown>; pending?: unknown }): string {
  const document = new StoreDocument(
    new Map(Object.entries(parsed.tokens)) as ConstructorParameters<typeof StoreDocument>[0],
    new Map(Object.entries(parsed.pending ?? {})) as ConstructorParameters<typeof StoreDocument>[1],
  );
  return document.canonical();
}

function requireBuiltStore(): void {
  if (!existsSync(builtStore)) {
    throw new Error(`build the packages first (pnpm exec tsc -b): ${builtStore} is missing`);
  }
}

function workerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, AIC_TEST_STORE_KEY: KEY_A.toString('hex') };
}

function runWorker(args: string[]): Promise<string> {
  return new Promise((resolveOutput, reject) => {
    const child = spawn(nodeBinary, [worker, ...args], { env: workerEnv(), stdio: 'pipe' });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolveOutput(out.trim()) : reject(new Error(`worker exited ${code}: ${err}`)),
    );
  });
}
