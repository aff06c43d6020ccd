import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { ErrorCode, type ConnectionRecord, type PendingAuthorization } from '@aic/connector-core';
import { SqliteTokenStore, type SqliteStoreOptions } from '../sqlite-token-store.js';

export const KEY_A = Buffer.alloc(32, 0xa1);
export const KEY_B = Buffer.alloc(32, 0xb2);
export const ACCESS = 'AT-sqlite-very-secret-access-token';
export const REFRESH = 'RT-sqlite-very-secret-refresh-token';
export const VERIFIER = 'sqlite-verifier-secret-0123456789-0123456789-abc';

export const record = (access = ACCESS, refresh = REFRESH): ConnectionRecord => ({
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

export const pending = (
  expiresAt: number,
  connectionId = 'conn-1',
  createdAt = expiresAt - 600_000,
): PendingAuthorization => ({
  connectorId: 'fixture',
  connectionId,
  stateDigest: 'digest',
  codeVerifier: VERIFIER,
  redirectUri: 'https://aic.test/callback',
  createdAt,
  expiresAt,
});

export const failure = (reason: string): { code: string; reason: string } => ({
  code: ErrorCode.StoreFailure,
  reason,
});

/**
 * A temporary directory per test and store factories on one database file in it. Stores are
 * closed after each test.
 */
export function useStoreFile(): {
  readonly dir: string;
  readonly path: string;
  open(options?: Partial<SqliteStoreOptions>): SqliteTokenStore;
  /** A plain connection to the file, as another program (or an attacker with file access) has. */
  raw(): DatabaseSync;
} {
  let dir = '';
  const opened: SqliteTokenStore[] = [];
  const raws: DatabaseSync[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aic-sqlite-store-'));
  });
  afterEach(async () => {
    for (const store of opened.splice(0)) store.close();
    for (const db of raws.splice(0)) if (db.isOpen) db.close();
    await rm(dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return dir;
    },
    get path() {
      return join(dir, 'state', 'tokens.db');
    },
    open(options = {}) {
      const store = new SqliteTokenStore({
        path: join(dir, 'state', 'tokens.db'),
        keys: { current: KEY_A },
        ...options,
      });
      opened.push(store);
      return store;
    },
    raw() {
      const db = new DatabaseSync(join(dir, 'state', 'tokens.db'));
      db.exec('PRAGMA busy_timeout = 5000');
      raws.push(db);
      return db;
    },
  };
}
