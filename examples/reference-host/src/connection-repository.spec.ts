import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStoreKey } from '@aic/connector-core';
import { ConnectionExistsError, type StoredConnection } from '@aic/console';
import { ConnectionsFileError, SealedFileConnectionRepository } from './connection-repository.js';

const SECRET = 'sealed-client-secret-ÄÖ-4711';

/** The file as JSON, loosely: enough to tamper with it. */
interface Doc {
  format: string;
  connections: { a: { data: string }; b?: { data: string } };
}

const connection = (id: string, overrides: Partial<StoredConnection> = {}): StoredConnection => ({
  id,
  connectorId: 'hp-techpulse',
  name: `Conexión ${id}`,
  credentials: { clientId: `key-${id}`, clientSecret: SECRET, region: 'us' },
  createdAt: 1,
  updatedAt: 2,
  ...overrides,
});

let dir: string;
let path: string;
const key = generateStoreKey();
const repository = () => new SealedFileConnectionRepository({ path, keys: { current: key } });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aic-connections-'));
  path = join(dir, 'data', 'connections.enc');
});
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('SealedFileConnectionRepository', () => {
  it('stores, lists (by name), reads back and deletes; a new instance reads the same file', async () => {
    const first = repository();
    expect(await first.list()).toEqual([]);
    await first.save(connection('b', { name: 'Zeta' }));
    await first.save(connection('a', { name: 'Alfa' }));
    expect((await repository().list()).map((c) => c.id)).toEqual(['a', 'b']);
    expect(await repository().get('a')).toEqual(connection('a', { name: 'Alfa' }));
    await first.delete('a');
    await first.delete('missing');
    expect((await repository().list()).map((c) => c.id)).toEqual(['b']);
  });

  it('never writes a credential in clear, and the file is private to its owner', async () => {
    await repository().save(connection('a'));
    const content = await readFile(path, 'utf8');
    expect(content).not.toContain(SECRET);
    expect(content).not.toContain('key-a');
    expect(content).toContain('"format":"aic-console-connections/v1"');
    const { stat } = await import('node:fs/promises');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('refuses a create over an existing id', async () => {
    await repository().save(connection('a'));
    await expect(repository().save(connection('a'), { create: true })).rejects.toBeInstanceOf(
      ConnectionExistsError,
    );
  });

  it('loses no update when saves overlap', async () => {
    const shared = repository();
    await Promise.all(Array.from({ length: 20 }, (_, i) => shared.save(connection(`c${i}`))));
    expect(await shared.list()).toHaveLength(20);
  });

  describe('detects tampering', () => {
    const tamper = async (change: (document: Doc) => void): Promise<unknown> => {
      const document = JSON.parse(await readFile(path, 'utf8')) as Doc;
      change(document);
      await writeFile(path, JSON.stringify(document));
      return repository()
        .list()
        .catch((error: unknown) => error);
    };

    beforeEach(async () => {
      await repository().save(connection('a'));
      await repository().save(connection('b'));
    });

    it.each([
      [
        'a changed ciphertext',
        (d: Doc) => (d.connections.a.data = `A${d.connections.a.data.slice(1)}`),
        'integrity',
      ],
      ['a record moved to another id', (d: Doc) => (d.connections.b = d.connections.a), 'integrity'],
      ['a record removed', (d: Doc) => delete d.connections.b, 'integrity'],
      ['another format', (d: Doc) => (d.format = 'v0'), 'format'],
    ])('%s', async (_what, change, message) => {
      const error = await tamper(change);
      expect(error).toBeInstanceOf(ConnectionsFileError);
      expect((error as ConnectionsFileError).code).toBe('ERR_CONNECTIONS_FILE');
      expect((error as Error).message).toContain(message);
    });

    it('a record rolled back to an older version', async () => {
      const old = await readFile(path, 'utf8');
      await repository().save(connection('a', { name: 'renamed' }));
      const current = JSON.parse(await readFile(path, 'utf8')) as Doc;
      current.connections.a = (JSON.parse(old) as Doc).connections.a;
      await writeFile(path, JSON.stringify(current));
      await expect(repository().list()).rejects.toThrow(/integrity/);
    });
  });

  it('says when the file was sealed with another key, or is not JSON', async () => {
    await repository().save(connection('a'));
    const other = new SealedFileConnectionRepository({ path, keys: { current: generateStoreKey() } });
    await expect(other.list()).rejects.toThrow(/sealed with another key/);
    const rotated = new SealedFileConnectionRepository({
      path,
      keys: { current: generateStoreKey(), previous: [key] },
    });
    expect((await rotated.list()).map((c) => c.id)).toEqual(['a']);
    await writeFile(path, '{ nope');
    await expect(repository().list()).rejects.toThrow(/not valid JSON/);
  });
});
