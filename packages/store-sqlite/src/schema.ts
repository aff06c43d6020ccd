/** The `format` marker of a SQLite token store (row `aic_state.format`). */
export const SQLITE_STORE_FORMAT = 'aic-token-store-sqlite';
/** The schema version this code reads and writes. */
export const SQLITE_SCHEMA_VERSION = 1;

/**
 * The tables of a store. Every name starts with `aic_`, so a store can share a database file with
 * nothing else of ours. One row per record; every lookup of the hot path is by primary key or by an
 * index (no statement scans a table).
 *
 * - `aic_state`: one row. `seq` is the store-wide write counter: every write of a record, a pending
 *   authorization or a lock takes the next value (record versions are such values), so it only ever
 *   grows; a process that sees it lower than before knows the database was rolled back.
 * - `aic_records`: connection records, sealed (AES-256-GCM); the associated data binds the key and
 *   the version, so a row copied to another key or version does not open.
 * - `aic_pending`: pending authorizations, sealed, with the connector and connection in the clear
 *   (bound into the associated data) for the per-connection cap and `forgetConnection`.
 * - `aic_locks`: the per-connection leases. A released lease stays as a row without owner; `seq`
 *   (indexed) is what waiting processes watch to learn that a lease was released.
 * - `aic_token_slots`: token request slots per token endpoint origin (`SqliteTokenRequestLimiter`).
 * - `aic_spends`: refresh tokens a lease holder is sending (`Lease.spendGrant`), until a write of
 *   the record (or the holder's timely release) resolves them.
 * - `aic_imports`: what `importSnapshot` (`aic store migrate`) already copied in.
 */
export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS aic_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  format TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  store_id TEXT NOT NULL,
  seq INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS aic_records (
  key TEXT PRIMARY KEY NOT NULL,
  version INTEGER NOT NULL,
  kid TEXT NOT NULL,
  iv TEXT NOT NULL,
  data TEXT NOT NULL,
  tag TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS aic_records_kid ON aic_records (kid);
CREATE TABLE IF NOT EXISTS aic_pending (
  key TEXT PRIMARY KEY NOT NULL,
  connector_id TEXT NOT NULL,
  connection_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  kid TEXT NOT NULL,
  iv TEXT NOT NULL,
  data TEXT NOT NULL,
  tag TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS aic_pending_connection ON aic_pending (connector_id, connection_id, seq);
CREATE INDEX IF NOT EXISTS aic_pending_expiry ON aic_pending (expires_at);
CREATE INDEX IF NOT EXISTS aic_pending_kid ON aic_pending (kid);
CREATE TABLE IF NOT EXISTS aic_locks (
  key TEXT PRIMARY KEY NOT NULL,
  owner TEXT,
  expires_at INTEGER NOT NULL,
  seq INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS aic_locks_seq ON aic_locks (seq);
CREATE TABLE IF NOT EXISTS aic_token_slots (
  origin TEXT NOT NULL,
  slot INTEGER NOT NULL,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  PRIMARY KEY (origin, slot)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aic_spends (
  key TEXT PRIMARY KEY NOT NULL,
  owner TEXT NOT NULL,
  spent_at INTEGER NOT NULL,
  version INTEGER
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS aic_imports (
  fingerprint TEXT PRIMARY KEY NOT NULL,
  source TEXT NOT NULL,
  imported_at INTEGER NOT NULL,
  records INTEGER NOT NULL,
  pending INTEGER NOT NULL
);
`;

/** Associated data of a sealed connection record: format, key and version. */
export const recordContext = (key: string, version: number): string =>
  `${SQLITE_STORE_FORMAT}/v${SQLITE_SCHEMA_VERSION}\u0000record\u0000${key}\u0000${version}`;

/** Associated data of a sealed pending authorization: key, connector, connection and its seq. */
export const pendingContext = (key: string, connectorId: string, connectionId: string, seq: number): string =>
  `${SQLITE_STORE_FORMAT}/v${SQLITE_SCHEMA_VERSION}\u0000pending\u0000${key}\u0000${connectorId}\u0000${connectionId}\u0000${seq}`;
