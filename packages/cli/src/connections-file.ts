import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { text } from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';

/** What the CLI remembers about a connection: its connector and WHERE its credentials are. */
export interface ConnectionEntry {
  readonly connector: string;
  /** Absolute path of the credentials file. The file's content (secrets) is never copied here. */
  readonly credentialsFile: string;
}

const isEntry = (value: unknown): value is ConnectionEntry =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as ConnectionEntry).connector === 'string' &&
  typeof (value as ConnectionEntry).credentialsFile === 'string';

/**
 * The connections file (`<state-dir>/connections.json`): `{ [connectionId]: { connector,
 * credentialsFile } }`, so that `aic status <connection>` works after `aic connect`. Writes are
 * atomic (temporary file + rename).
 */
export class ConnectionsFile {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async readAll(): Promise<Readonly<Record<string, ConnectionEntry>>> {
    let content: string;
    try {
      content = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ENOENT') return {};
      throw this.#failure('leer', 'read', error);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(content);
    } catch (cause) {
      throw this.#failure('leer', 'read', cause);
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw this.#failure('leer', 'read');
    }
    const entries: Record<string, ConnectionEntry> = {};
    for (const [id, entry] of Object.entries(parsed)) {
      if (!isEntry(entry)) throw this.#failure('leer', 'read');
      entries[id] = { connector: entry.connector, credentialsFile: entry.credentialsFile };
    }
    return entries;
  }

  async get(id: string): Promise<ConnectionEntry | undefined> {
    return (await this.readAll())[id];
  }

  async put(id: string, entry: ConnectionEntry): Promise<void> {
    await this.#write({ ...(await this.readAll()), [id]: entry });
  }

  /** Removes a connection; false when it was not there. */
  async remove(id: string): Promise<boolean> {
    const { [id]: removed, ...rest } = await this.readAll();
    if (removed === undefined) return false;
    await this.#write(rest);
    return true;
  }

  async #write(entries: Readonly<Record<string, ConnectionEntry>>): Promise<void> {
    const temporary = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
      await writeFile(temporary, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, this.path);
    } catch (cause) {
      await rm(temporary, { force: true });
      throw this.#failure('escribir', 'write', cause);
    }
  }

  #failure(es: string, en: string, cause?: unknown): CliError {
    return new CliError(
      CliErrorCode.StateFile,
      text(
        `No se pudo ${es} el archivo de conexiones ${this.path} (JSON de la forma { "<conexión>": { "connector", "credentialsFile" } }).`,
        `Could not ${en} the connections file ${this.path} (JSON shaped { "<connection>": { "connector", "credentialsFile" } }).`,
      ),
      cause === undefined ? {} : { cause },
    );
  }
}
