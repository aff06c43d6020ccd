import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { RecordCipher, type SealedRecord, type StoreKeys } from '@aic/connector-core';
import { ConnectionExistsError, type ConnectionRepository, type StoredConnection } from '@aic/console';

const FORMAT = 'aic-console-connections/v1';

interface ConnectionsDocument {
  readonly format: typeof FORMAT;
  /** Connection id → the sealed connection (everything but the id, which is the AAD). */
  readonly connections: Readonly<Record<string, SealedRecord>>;
  /** HMAC over the ids and ciphertexts: an entry removed, added or rolled back is detected. */
  readonly mac: { readonly kid: string; readonly value: string };
}

/** The connections file could not be read: unreadable, tampered, or sealed with another key. */
export class ConnectionsFileError extends Error {
  override readonly name = 'ConnectionsFileError';
  readonly code = 'ERR_CONNECTIONS_FILE';
}

const aad = (id: string): string => `aic-console/connection\u001f${id}`;

const canonical = (connections: Readonly<Record<string, SealedRecord>>): string =>
  JSON.stringify(
    Object.keys(connections)
      .sort()
      .map((id) => [
        id,
        connections[id]!.kid,
        connections[id]!.iv,
        connections[id]!.data,
        connections[id]!.tag,
      ]),
  );

/**
 * The console's connections in one file, each sealed with core's {@link RecordCipher}
 * (AES-256-GCM, the connection id as additional authenticated data, so a record moved to another
 * id fails to open) and the whole file under an HMAC (a record removed or rolled back fails).
 * Client secrets are therefore never on disk in clear. Writes are atomic (temporary file, fsync,
 * rename) and serialized in this process; one process owns the file.
 *
 * The key is the host's store key (or its own): 32 random bytes, rotation as for the token
 * store (`keys.previous` read, `keys.current` written).
 */
export class SealedFileConnectionRepository implements ConnectionRepository {
  readonly #path: string;
  readonly #cipher: RecordCipher;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { readonly path: string; readonly keys: StoreKeys }) {
    this.#path = options.path;
    this.#cipher = new RecordCipher(options.keys);
  }

  async #read(): Promise<Map<string, StoredConnection>> {
    let content: string;
    try {
      content = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return new Map();
      throw new ConnectionsFileError(`cannot read the connections file ${this.#path}`);
    }
    let document: ConnectionsDocument;
    try {
      document = JSON.parse(content) as ConnectionsDocument;
    } catch {
      throw new ConnectionsFileError(`the connections file ${this.#path} is not valid JSON`);
    }
    if (
      document?.format !== FORMAT ||
      typeof document.connections !== 'object' ||
      document.mac === undefined
    ) {
      throw new ConnectionsFileError(`the connections file ${this.#path} is not in the ${FORMAT} format`);
    }
    try {
      this.#cipher.verify(canonical(document.connections), document.mac, this.#path);
      const out = new Map<string, StoredConnection>();
      for (const [id, sealed] of Object.entries(document.connections)) {
        const value = this.#cipher.open(aad(id), sealed, this.#path) as Omit<StoredConnection, 'id'>;
        out.set(id, Object.freeze({ ...value, id }));
      }
      return out;
    } catch (error) {
      const reason = (error as { reason?: unknown }).reason;
      throw new ConnectionsFileError(
        reason === 'wrong_key'
          ? `the connections file ${this.#path} was sealed with another key`
          : `the connections file ${this.#path} failed its integrity check (tampered or damaged)`,
      );
    }
  }

  async #write(connections: ReadonlyMap<string, StoredConnection>): Promise<void> {
    const sealed: Record<string, SealedRecord> = {};
    for (const [id, { id: _id, ...rest }] of connections) sealed[id] = this.#cipher.seal(aad(id), rest);
    const document: ConnectionsDocument = {
      format: FORMAT,
      connections: sealed,
      mac: this.#cipher.authenticate(canonical(sealed)),
    };
    await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
    const temporary = join(dirname(this.#path), `.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(temporary, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(document)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, this.#path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  /** Runs `task` after every earlier write (read-modify-write without lost updates in this process). */
  #serialized<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async list(): Promise<readonly StoredConnection[]> {
    const all = await this.#serialized(() => this.#read());
    return [...all.values()].sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<StoredConnection | undefined> {
    return (await this.#serialized(() => this.#read())).get(id);
  }

  save(connection: StoredConnection, options: { readonly create?: boolean } = {}): Promise<void> {
    return this.#serialized(async () => {
      const all = await this.#read();
      if (options.create === true && all.has(connection.id)) throw new ConnectionExistsError(connection.id);
      all.set(connection.id, connection);
      await this.#write(all);
    });
  }

  delete(id: string): Promise<void> {
    return this.#serialized(async () => {
      const all = await this.#read();
      if (all.delete(id)) await this.#write(all);
    });
  }
}
