import {
  StoreFailureError,
  decodeConnectionRecord,
  decodePendingAuthorization,
  type ConnectionRecord,
  type PendingAuthorization,
  type RecordCipher,
  type SealedRecord,
} from '@aic/connector-core';
import { pendingContext, recordContext } from './schema.js';
import type { StoreDatabase } from './store-database.js';

/** The sealed columns of a row. */
export interface SealedColumns {
  readonly kid: string;
  readonly iv: string;
  readonly data: string;
  readonly tag: string;
}

export interface RecordRow extends SealedColumns {
  readonly version: number;
}

export interface PendingRow extends SealedColumns {
  readonly key: string;
  readonly connector_id: string;
  readonly connection_id: string;
  readonly seq: number;
}

const sealedOf = (row: SealedColumns): SealedRecord => ({
  kid: row.kid,
  iv: row.iv,
  data: row.data,
  tag: row.tag,
});

/**
 * Seals and opens the rows of one store: AES-256-GCM through core's {@link RecordCipher}, with the
 * row's identity (key and version; for a pending authorization also connector, connection and
 * seq) as associated data.
 */
export class RowCipher {
  readonly #cipher: RecordCipher;
  readonly #where: string;

  constructor(cipher: RecordCipher, where: string) {
    this.#cipher = cipher;
    this.#where = where;
  }

  get currentKeyId(): string {
    return this.#cipher.currentKeyId;
  }

  sealRecord(key: string, version: number, record: ConnectionRecord): SealedRecord {
    const { version: _ignored, ...stored } = record;
    return this.#cipher.seal(recordContext(key, version), stored);
  }

  /** The record of a row, with the row's version; `corrupted` / `wrong_key` when it does not open. */
  openRecord(key: string, row: RecordRow): ConnectionRecord {
    const value = this.#cipher.open(recordContext(key, row.version), sealedOf(row), this.#where);
    const record = decodeConnectionRecord(value, this.#where);
    if (record.version !== undefined) throw new StoreFailureError('corrupted', this.#where);
    return { ...record, version: row.version };
  }

  sealPending(key: string, seq: number, pending: PendingAuthorization): SealedRecord {
    return this.#cipher.seal(pendingContext(key, pending.connectorId, pending.connectionId, seq), pending);
  }

  openPending(row: PendingRow): PendingAuthorization {
    const context = pendingContext(row.key, row.connector_id, row.connection_id, row.seq);
    return decodePendingAuthorization(this.#cipher.open(context, sealedOf(row), this.#where), this.#where);
  }
}

/** Writes (inserts or replaces) a sealed connection record row. */
export function putRecordRow(db: StoreDatabase, key: string, version: number, sealed: SealedRecord): void {
  db.statement(
    'INSERT INTO aic_records (key, version, kid, iv, data, tag) VALUES (?, ?, ?, ?, ?, ?) ' +
      'ON CONFLICT (key) DO UPDATE SET version = excluded.version, kid = excluded.kid, iv = excluded.iv, ' +
      'data = excluded.data, tag = excluded.tag',
  ).run(key, version, sealed.kid, sealed.iv, sealed.data, sealed.tag);
}

/** Writes (inserts or replaces) a sealed pending authorization row. */
export function putPendingRow(
  db: StoreDatabase,
  key: string,
  seq: number,
  pending: PendingAuthorization,
  sealed: SealedRecord,
): void {
  db.statement(
    'INSERT INTO aic_pending (key, connector_id, connection_id, seq, expires_at, kid, iv, data, tag) ' +
      'VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET connector_id = excluded.connector_id, ' +
      'connection_id = excluded.connection_id, seq = excluded.seq, expires_at = excluded.expires_at, ' +
      'kid = excluded.kid, iv = excluded.iv, data = excluded.data, tag = excluded.tag',
  ).run(
    key,
    pending.connectorId,
    pending.connectionId,
    seq,
    pending.expiresAt,
    sealed.kid,
    sealed.iv,
    sealed.data,
    sealed.tag,
  );
}
