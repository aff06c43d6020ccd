import { randomUUID } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DatabaseSync } from 'node:sqlite';
import { StoreFailureError, isConnectorError, type Logger } from '@aic/connector-core';
import { SCHEMA_SQL, SQLITE_SCHEMA_VERSION, SQLITE_STORE_FORMAT } from './schema.js';

/** The one row of `aic_state`. */
export interface StateRow {
  readonly format: string;
  readonly schema_version: number;
  readonly store_id: string;
  readonly seq: number;
}

/** During the first open only, SQLite's own (blocking) busy handler waits this long. */
const OPEN_BUSY_TIMEOUT_MS = 5_000;

const errorCode = (error: unknown): number | undefined => {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code & 0xff : undefined;
};

/** SQLITE_BUSY (5) or SQLITE_LOCKED (6): another connection holds a lock; try again later. */
export const isBusy = (error: unknown): boolean => {
  const code = errorCode(error);
  return code === 5 || code === 6;
};

/** The typed error for anything a store operation threw (typed errors pass through). */
export function storeFailure(error: unknown, where: string): Error {
  if (isConnectorError(error)) return error;
  const code = errorCode(error);
  // SQLITE_CORRUPT (11), SQLITE_NOTADB (26): not a database this store can read.
  if (code === 11 || code === 26) return new StoreFailureError('corrupted', where, { cause: error });
  return new StoreFailureError('io', where, { cause: error });
}

/**
 * Opens (creating when missing) the store file at the absolute `path`: the directory with mode
 * 0700, the file with 0600 before SQLite opens it (SQLite gives its `-wal` and `-shm` files the
 * same mode; a looser existing file is tightened and logged), WAL journal, the schema and the
 * state row. Refuses another format (`corrupted`) or a newer schema (`unsupported_format`).
 */
export function openStoreFile(
  path: string,
  logger: Logger | undefined,
): { db: DatabaseSync; state: StateRow; identity: { dev: number; ino: number } } {
  let db: DatabaseSync;
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
    if ((statSync(path).mode & 0o077) !== 0) {
      chmodSync(path, 0o600);
      logger?.log('warn', 'the token store file was readable by other users; its mode is now 0600', {
        store: path,
      });
    }
    // Loaded when a store opens, not when this module is imported: on a Node.js without
    // `node:sqlite` the package's version guard must be what the host sees first.
    const { DatabaseSync: Database } = process.getBuiltinModule('node:sqlite');
    db = new Database(path);
  } catch (error) {
    throw storeFailure(error, path);
  }
  try {
    const state = initialize(db, path);
    const info = statSync(path);
    return { db, state, identity: { dev: info.dev, ino: info.ino } };
  } catch (error) {
    db.close();
    throw storeFailure(error, path);
  }
}

function initialize(db: DatabaseSync, path: string): StateRow {
  db.exec(`PRAGMA busy_timeout = ${OPEN_BUSY_TIMEOUT_MS}`);
  const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string } | undefined;
  // A file system without shared memory (some network shares) cannot run WAL safely.
  if (mode?.journal_mode !== 'wal') throw new StoreFailureError('io', path);
  db.exec('PRAGMA journal_size_limit = 16777216');
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(SCHEMA_SQL);
    let state = db
      .prepare('SELECT format, schema_version, store_id, seq FROM aic_state WHERE id = 1')
      .get() as StateRow | undefined;
    if (state === undefined) {
      state = {
        format: SQLITE_STORE_FORMAT,
        schema_version: SQLITE_SCHEMA_VERSION,
        store_id: randomUUID(),
        seq: 0,
      };
      db.prepare(
        'INSERT INTO aic_state (id, format, schema_version, store_id, seq) VALUES (1, ?, ?, ?, ?)',
      ).run(state.format, state.schema_version, state.store_id, state.seq);
    }
    if (state.format !== SQLITE_STORE_FORMAT) throw new StoreFailureError('corrupted', path);
    if (state.schema_version !== SQLITE_SCHEMA_VERSION) {
      throw new StoreFailureError(
        state.schema_version > SQLITE_SCHEMA_VERSION ? 'unsupported_format' : 'corrupted',
        path,
      );
    }
    db.exec('COMMIT');
    return state;
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  } finally {
    db.exec('PRAGMA busy_timeout = 0');
  }
}
