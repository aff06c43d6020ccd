import type { ConnectionRecord, PendingAuthorization } from '@aic/connector-core';
import { putPendingRow, putRecordRow, type RowCipher } from './sealed-rows.js';
import type { StoreDatabase } from './store-database.js';

/** The whole content of another store, decrypted (e.g. `EncryptedFileTokenStore.snapshot()`). */
export interface StoreSnapshot {
  /** Where it comes from (a path), remembered with the import. */
  readonly source: string;
  /** Identifies this exact content (e.g. a digest of the source file): importing it again changes nothing. */
  readonly fingerprint: string;
  readonly records: readonly (readonly [key: string, record: ConnectionRecord])[];
  readonly pending: readonly (readonly [key: string, pending: PendingAuthorization])[];
}

export interface ImportOptions {
  /** Import into a store that already holds records or pending authorizations (same keys replaced). */
  readonly overwrite?: boolean | undefined;
  /** Pending authorizations that expired by then are not copied (epoch ms). */
  readonly now: number;
}

export type ImportResult =
  | {
      readonly outcome: 'imported';
      /** Records written, and how many of them replaced a record of the same key. */
      readonly records: number;
      readonly replaced: number;
      /** Versions kept from the source (the others got a new, higher one). */
      readonly versionsKept: number;
      readonly pending: number;
      /** Pending authorizations already expired, not copied. */
      readonly expiredPending: number;
    }
  | {
      readonly outcome: 'already_imported';
      readonly importedAt: number;
      readonly records: number;
      readonly pending: number;
    }
  | {
      /** Nothing written: the store holds data and `overwrite` was not given. */
      readonly outcome: 'target_not_empty';
      readonly records: number;
      readonly pending: number;
    };

/**
 * Copies a snapshot into the store in one durable transaction (all of it or nothing), re-sealed
 * under this store's keys and row identities.
 *
 * - Idempotent: a snapshot with a fingerprint already imported changes nothing
 *   (`already_imported`), so a consumed pending authorization is never brought back by a re-run.
 * - A store that holds records or pending authorizations is left alone unless `overwrite`
 *   (`target_not_empty`); with it, records and pending authorizations of the same keys are replaced
 *   and the others kept.
 * - Versions: a record keeps its version when that is above every version the store has given
 *   (the store-wide counter), else it gets the next one — per key, versions only ever grow.
 */
export function importSnapshot(
  db: StoreDatabase,
  rows: RowCipher,
  snapshot: StoreSnapshot,
  options: ImportOptions,
): Promise<ImportResult> {
  return db.write(
    (tx): ImportResult => {
      const done = db
        .statement('SELECT imported_at, records, pending FROM aic_imports WHERE fingerprint = ?')
        .get(snapshot.fingerprint) as { imported_at: number; records: number; pending: number } | undefined;
      if (done !== undefined) {
        return {
          outcome: 'already_imported',
          importedAt: done.imported_at,
          records: done.records,
          pending: done.pending,
        };
      }
      const held = {
        records: (db.statement('SELECT count(*) AS n FROM aic_records').get() as { n: number }).n,
        pending: (db.statement('SELECT count(*) AS n FROM aic_pending').get() as { n: number }).n,
      };
      if ((held.records > 0 || held.pending > 0) && options.overwrite !== true) {
        return { outcome: 'target_not_empty', ...held };
      }
      let replaced = 0;
      let versionsKept = 0;
      const records = [...snapshot.records].sort(([, a], [, b]) => (a.version ?? 0) - (b.version ?? 0));
      for (const [key, record] of records) {
        const existing = db.statement('SELECT version FROM aic_records WHERE key = ?').get(key) as
          { version: number } | undefined;
        if (existing !== undefined) {
          replaced++;
          tx.atLeast(existing.version);
        }
        let version: number;
        if (
          record.version !== undefined &&
          Number.isSafeInteger(record.version) &&
          record.version > tx.current()
        ) {
          tx.atLeast(record.version);
          version = record.version;
          versionsKept++;
        } else {
          version = tx.next();
        }
        putRecordRow(db, key, version, rows.sealRecord(key, version, record));
      }
      let pending = 0;
      for (const [key, value] of snapshot.pending) {
        if (value.expiresAt <= options.now) continue;
        const seq = tx.next();
        putPendingRow(db, key, seq, value, rows.sealPending(key, seq, value));
        pending++;
      }
      db.statement(
        'INSERT INTO aic_imports (fingerprint, source, imported_at, records, pending) VALUES (?, ?, ?, ?, ?)',
      ).run(snapshot.fingerprint, snapshot.source, options.now, records.length, pending);
      return {
        outcome: 'imported',
        records: records.length,
        replaced,
        versionsKept,
        pending,
        expiredPending: snapshot.pending.length - pending,
      };
    },
    { durable: true },
  );
}
