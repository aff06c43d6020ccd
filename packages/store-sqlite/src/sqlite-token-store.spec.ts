import { readFile, rename, stat, writeFile, copyFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { DatabaseSync, backup } from 'node:sqlite';
import { inspect } from 'node:util';
import { ErrorCode, MemoryLogger } from '@aic/connector-core';
import {
  ACCESS,
  KEY_A,
  KEY_B,
  REFRESH,
  VERIFIER,
  failure,
  pending,
  record,
  useStoreFile,
} from './__fixtures__/store-fixtures.js';
import { SQLITE_SCHEMA_VERSION } from './schema.js';

const file = useStoreFile();
const K1 = 'fixture\u001fconn-1';
const K2 = 'fixture\u001fconn-2';

describe('SqliteTokenStore: records', () => {
  it('round-trips records with a store-assigned version; a missing key is an empty answer', async () => {
    const store = file.open();
    await expect(store.get(K1)).resolves.toBeUndefined();
    await store.set(K1, record());
    await store.set(K2, {
      status: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
      updatedAt: 5,
    });
    expect(await file.open().get(K1)).toEqual({ ...record(), version: 1 });
    expect(await file.open().get(K2)).toEqual({
      status: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
      updatedAt: 5,
      version: 2,
    });
    // The version given by the caller is ignored: the store assigns it.
    await store.set(K1, { ...record('AT-x'), version: 999 });
    expect((await store.get(K1))?.version).toBe(3);
    await store.delete(K1);
    await store.delete('never-there');
    await expect(file.open().get(K1)).resolves.toBeUndefined();
    // Re-created after its delete, a key gets a version above any it had.
    await store.set(K1, record());
    expect((await store.get(K1))?.version).toBe(5);
    expect(store.path).toBe(file.path);
  });

  it('fences writes on the version read, atomically: a stale writer changes nothing (ERR_STORE_CONFLICT)', async () => {
    const store = file.open();
    const other = file.open();
    await store.set(K1, record('AT-first'), { ifVersion: 'absent' });
    await expect(other.set(K1, record('AT-stale'), { ifVersion: 'absent' })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    const read = (await store.get(K1))!.version!;
    await other.set(K1, record('AT-second'), { ifVersion: read });
    const second = (await store.get(K1))!;
    expect(second).toMatchObject({ tokens: { accessToken: 'AT-second' } });
    expect(second.version).toBeGreaterThan(read);
    await expect(store.set(K1, record('AT-stale'), { ifVersion: read })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    await expect(store.delete(K1, { ifVersion: read })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    await expect(store.delete(K1, { ifVersion: 'absent' })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    expect(await other.get(K1)).toEqual(second);
    await store.delete(K1, { ifVersion: second.version });
    await expect(other.get(K1)).resolves.toBeUndefined();
    await expect(store.delete(K1, { ifVersion: 'absent' })).resolves.toBeUndefined();
  });

  it('writes the file with mode 0600 in a directory it creates with mode 0700; tightens a loose file', async () => {
    await file.open().set('k', record());
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect((await stat(`${file.path}-wal`)).mode & 0o777).toBe(0o600);
    expect((await stat(dirname(file.path))).mode & 0o777).toBe(0o700);

    const { chmod } = await import('node:fs/promises');
    await chmod(file.path, 0o644);
    const logger = new MemoryLogger();
    const reopened = file.open({ logger });
    expect((await reopened.get('k'))?.tokens?.accessToken).toBe(ACCESS);
    expect((await stat(file.path)).mode & 0o777).toBe(0o600);
    expect(logger.entries.map((e) => e.message)).toEqual([
      'the token store file was readable by other users; its mode is now 0600',
    ]);
  });

  it('keeps tokens and PKCE verifiers only as ciphertext, one row per record, in WAL mode', async () => {
    const store = file.open();
    await store.set(K1, record());
    await store.pending.put('pending-key', pending(Date.now() + 60_000));
    store.close();
    const raw = file.raw();
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
    expect(raw.prepare('SELECT key, version FROM aic_records').all()).toEqual([{ key: K1, version: 1 }]);
    expect(raw.prepare('SELECT format, schema_version, seq FROM aic_state').get()).toEqual({
      format: 'aic-token-store-sqlite',
      schema_version: SQLITE_SCHEMA_VERSION,
      seq: 2,
    });
    raw.close();
    const bytes = await readFile(file.path);
    for (const secret of [ACCESS, REFRESH, VERIFIER, 'Bearer', 'https://aic.test/callback']) {
      expect(bytes.includes(Buffer.from(secret))).toBe(false);
    }
  });

  it('never shows keys or records in util.inspect or JSON.stringify of the store', async () => {
    const store = file.open();
    await store.set('k', record());
    for (const shown of [inspect(store, { depth: 5, showHidden: true }), JSON.stringify(store)]) {
      expect(shown).not.toContain(ACCESS);
      expect(shown).not.toContain(KEY_A.toString('hex'));
      expect(shown).not.toContain(KEY_A.toString('base64'));
    }
  });

  it('applies concurrent writes of several store instances without losing any', async () => {
    const stores = [file.open(), file.open(), file.open()];
    await Promise.all(Array.from({ length: 60 }, (_, i) => stores[i % 3]!.set(`k${i}`, record(`AT-${i}`))));
    const again = file.open();
    for (let i = 0; i < 60; i++) expect((await again.get(`k${i}`))?.tokens?.accessToken).toBe(`AT-${i}`);
    const versions = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => (await again.get(`k${i}`))!.version),
    );
    expect(new Set(versions).size).toBe(60);
  });
});

describe('SqliteTokenStore: group commit', () => {
  it('commits writes requested together in one transaction; a refused write in it changes nothing else', async () => {
    const store = file.open();
    await store.set('k0', record());
    const version = (await store.get('k0'))!.version!;
    const before = store.operations;
    const results = await Promise.allSettled([
      store.set('k1', record('AT-k1')),
      store.set('k0', record('AT-stale'), { ifVersion: 'absent' }),
      store.pending.put('p', pending(Date.now() + 60_000)),
      store.set('k2', record('AT-k2')),
    ]);
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    expect(results[1]).toMatchObject({ reason: { code: ErrorCode.StoreConflict } });
    const after = store.operations;
    expect([after.writes - before.writes, after.transactions - before.transactions]).toEqual([4, 1]);
    expect(await store.get('k0')).toEqual({ ...record(), version });
    // The refused write took no version: the others follow each other.
    expect((await store.get('k1'))!.version).toBe(version + 1);
    expect((await store.get('k2'))!.version).toBe(version + 3);
  });
});

describe('SqliteTokenStore: damaged data and keys', () => {
  const sealedColumns = (db: DatabaseSync, key: string) =>
    db.prepare('SELECT version, kid, iv, data, tag FROM aic_records WHERE key = ?').get(key) as {
      version: number;
      kid: string;
      iv: string;
      data: string;
      tag: string;
    };

  beforeEach(async () => {
    const store = file.open();
    await store.set(K1, record());
    await store.set(K2, record('AT-other'));
  });

  it('refuses a row with one flipped character in its ciphertext (corrupted)', async () => {
    const raw = file.raw();
    const row = sealedColumns(raw, K1);
    const flipped = row.data.startsWith('A') ? `B${row.data.slice(1)}` : `A${row.data.slice(1)}`;
    raw.prepare('UPDATE aic_records SET data = ? WHERE key = ?').run(flipped, K1);
    await expect(file.open().get(K1)).rejects.toMatchObject(failure('corrupted'));
    await expect(file.open().get(K2)).resolves.toMatchObject({ tokens: { accessToken: 'AT-other' } });
  });

  it('refuses a row copied to another key, or given another version (associated data)', async () => {
    const raw = file.raw();
    const other = sealedColumns(raw, K2);
    raw
      .prepare('UPDATE aic_records SET version = ?, kid = ?, iv = ?, data = ?, tag = ? WHERE key = ?')
      .run(other.version, other.kid, other.iv, other.data, other.tag, K1);
    await expect(file.open().get(K1)).rejects.toMatchObject(failure('corrupted'));
    raw.prepare('UPDATE aic_records SET version = version + 10 WHERE key = ?').run(K2);
    await expect(file.open().get(K2)).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses an IV or tag of the wrong length', async () => {
    const raw = file.raw();
    raw.prepare('UPDATE aic_records SET iv = ? WHERE key = ?').run('AAAA', K1);
    raw.prepare('UPDATE aic_records SET tag = ? WHERE key = ?').run('AAAA', K2);
    await expect(file.open().get(K1)).rejects.toMatchObject(failure('corrupted'));
    await expect(file.open().get(K2)).rejects.toMatchObject(failure('corrupted'));
  });

  it('refuses a file that is not a SQLite database, and a database of another format', async () => {
    const store = file.open();
    store.close();
    await writeFile(file.path, '{"format":"aic-token-store","version":1,"tokens":{},"pending":{}}\n');
    await unlink(`${file.path}-wal`).catch(() => undefined);
    await unlink(`${file.path}-shm`).catch(() => undefined);
    expect(() => file.open()).toThrow(expect.objectContaining(failure('corrupted')));

    await unlink(file.path);
    file.open().close();
    const raw = file.raw();
    raw.prepare("UPDATE aic_state SET format = 'something-else'").run();
    raw.close();
    expect(() => file.open()).toThrow(expect.objectContaining(failure('corrupted')));
  });

  it('refuses a newer schema version (unsupported_format)', async () => {
    const raw = file.raw();
    raw.prepare('UPDATE aic_state SET schema_version = ?').run(SQLITE_SCHEMA_VERSION + 1);
    raw.close();
    expect(() => file.open()).toThrow(expect.objectContaining(failure('unsupported_format')));
  });

  it('refuses a wrong key (wrong_key) with a message that says what to do, without key material', async () => {
    const error = (await file
      .open({ keys: { current: KEY_B } })
      .get(K1)
      .catch((e: unknown) => e)) as Error & { localized: { es: string; en: string } };
    expect(error).toMatchObject({ name: 'StoreFailureError', ...failure('wrong_key') });
    expect(error.localized.en).toContain(file.path);
    expect(error.localized.es).toContain('clave anterior');
    for (const shown of [inspect(error), JSON.stringify(error), error.stack ?? '']) {
      expect(shown).not.toContain(KEY_A.toString('hex'));
      expect(shown).not.toContain(KEY_B.toString('hex'));
      expect(shown).not.toContain(ACCESS);
    }
  });

  it('reports a path it cannot create as an I/O failure, and a key that is not 32 bytes as ERR_CONFIGURATION', async () => {
    await writeFile(`${file.dir}/plain-file`, 'x');
    expect(() => file.open({ path: `${file.dir}/plain-file/tokens.db` })).toThrow(
      expect.objectContaining(failure('io')),
    );
    expect(() => file.open({ keys: { current: Buffer.alloc(16) } })).toThrow(
      expect.objectContaining({ code: ErrorCode.Configuration }),
    );
  });
});

describe('SqliteTokenStore: key rotation', () => {
  it('reads old rows with a previous key, writes with the current one; rotateKeys re-encrypts the rest', async () => {
    const before = file.open();
    const started = pending(Date.now() + 60_000);
    await before.set('one', record('AT-1'));
    await before.pending.put('p', started);
    const versionOfOne = (await before.get('one'))!.version;

    const during = file.open({ keys: { current: KEY_B, previous: [KEY_A] } });
    expect((await during.get('one'))?.tokens?.accessToken).toBe('AT-1');
    await during.set('two', record('AT-2'));
    await expect(file.open({ keys: { current: KEY_B } }).get('one')).rejects.toMatchObject(
      failure('wrong_key'),
    );

    expect(await during.rotateKeys()).toBe(2);
    expect(await during.rotateKeys()).toBe(0);

    const after = file.open({ keys: { current: KEY_B } });
    expect(await after.get('one')).toMatchObject({ tokens: { accessToken: 'AT-1' }, version: versionOfOne });
    expect((await after.get('two'))?.tokens?.accessToken).toBe('AT-2');
    expect(await after.pending.take('p')).toEqual(started);
    await expect(file.open({ keys: { current: KEY_A } }).get('one')).rejects.toMatchObject(
      failure('wrong_key'),
    );
  });

  it('re-encrypts in batches, so a large store is rotated completely', async () => {
    const before = file.open();
    for (let i = 0; i < 450; i++) await before.set(`k${i}`, record(`AT-${i}`));
    const during = file.open({ keys: { current: KEY_B, previous: [KEY_A] } });
    expect(await during.rotateKeys()).toBe(450);
    const after = file.open({ keys: { current: KEY_B } });
    expect((await after.get('k0'))?.tokens?.accessToken).toBe('AT-0');
    expect((await after.get('k449'))?.tokens?.accessToken).toBe('AT-449');
  });
});

describe('SqliteTokenStore: a database rolled back while the host runs', () => {
  it('refuses a copy restored in place (SQLite backup API) once this process saw newer data', async () => {
    const logger = new MemoryLogger();
    const host = file.open({ logger });
    await host.set(K1, record(ACCESS, 'RT-old'));
    const copy = `${file.dir}/backup.db`;
    const source = new DatabaseSync(file.path);
    await backup(source, copy);
    source.close();
    await host.set(K1, record(ACCESS, 'RT-new'));
    expect((await host.get(K1))?.tokens?.refreshToken).toBe('RT-new');

    // An operator restores yesterday's copy with SQLite's own tools while the host runs.
    const restored = new DatabaseSync(copy);
    await backup(restored, file.path);
    restored.close();

    await expect(host.get(K1)).rejects.toMatchObject(failure('rolled_back'));
    // Sticky: no later operation of this process uses the old refresh token either.
    await expect(host.set(K2, record())).rejects.toMatchObject(failure('rolled_back'));
    await expect(host.pending.take('anything')).rejects.toMatchObject(failure('rolled_back'));
    expect(logger.entries.filter((e) => e.level === 'error').map((e) => e.message)).toEqual([
      'the store write counter went back: the token store was rolled back or replaced while in use',
    ]);
    // The documented limit: a process started after the restore has nothing to compare with.
    await expect(file.open().get(K1)).resolves.toMatchObject({ tokens: { refreshToken: 'RT-old' } });
  });

  it('refuses a store whose file was replaced or removed', async () => {
    const host = file.open();
    await host.set(K1, record());
    const copy = `${file.dir}/copy.db`;
    await copyFile(file.path, copy);
    await rename(copy, file.path);
    await expect(host.get(K1)).rejects.toMatchObject(failure('rolled_back'));

    const other = file.open();
    await other.get(K1);
    await unlink(file.path);
    await expect(other.get(K1)).rejects.toMatchObject(failure('rolled_back'));
  });

  it('refuses a store that became another store (another store id)', async () => {
    const host = file.open();
    await host.set(K1, record());
    const raw = file.raw();
    raw.prepare("UPDATE aic_state SET store_id = 'another-store'").run();
    await expect(host.get(K1)).rejects.toMatchObject(failure('rolled_back'));
  });
});

describe('SqliteTokenStore: busy database and closing', () => {
  it('waits without blocking while another connection holds the write lock, then writes', async () => {
    const store = file.open();
    await store.set(K1, record());
    const raw = file.raw();
    raw.exec('BEGIN IMMEDIATE');
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const writing = store.set(K1, record('AT-after-wait'));
    await new Promise((r) => setTimeout(r, 120));
    raw.exec('COMMIT');
    await writing;
    clearInterval(ticker);
    expect(ticks).toBeGreaterThanOrEqual(10); // the event loop kept running
    expect((await store.get(K1))?.tokens?.accessToken).toBe('AT-after-wait');
    expect(store.operations.busyRetries).toBeGreaterThan(0);
  });

  it('fails with unavailable when the write lock stays taken longer than busyTimeoutMs, writing nothing', async () => {
    const store = file.open({ busyTimeoutMs: 80 });
    await store.set(K1, record());
    const raw = file.raw();
    raw.exec('BEGIN IMMEDIATE');
    await expect(store.set(K1, record('AT-never'))).rejects.toMatchObject(failure('unavailable'));
    raw.exec('ROLLBACK');
    expect((await store.get(K1))?.tokens?.accessToken).toBe(ACCESS);
  });

  it('refuses every call once closed', async () => {
    const store = file.open();
    store.close();
    store.close();
    await expect(store.get(K1)).rejects.toMatchObject(failure('unavailable'));
  });
});
