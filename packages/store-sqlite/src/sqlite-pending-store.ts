import type { Clock, Logger, PendingAuthorization, PendingAuthorizationStore } from '@aic/connector-core';
import { putPendingRow, type PendingRow, type RowCipher } from './sealed-rows.js';
import type { StoreDatabase } from './store-database.js';

/** Expired pending authorizations removed by one `put`, at most (the sweep never grows with the table). */
const SWEEP_BATCH = 32;

export interface PendingStoreSettings {
  readonly clock: Clock;
  readonly logger: Logger | undefined;
  /** How long an expired pending authorization is kept, so a late callback reads "expired". */
  readonly graceMs: number;
  /** Pending authorizations kept per connection; the oldest are dropped beyond it. */
  readonly maxPerConnection: number;
}

const PENDING_COLUMNS = 'key, connector_id, connection_id, seq, kid, iv, data, tag';

/**
 * Pending authorizations in the SQLite store, one sealed row each (`aic_pending`). Obtain it from
 * `SqliteTokenStore.pending`.
 *
 * - `put` also drops the oldest pending authorizations of the same connection beyond
 *   `maxPerConnection`, and up to 32 rows expired for longer than the grace period (by the
 *   `expires_at` index): abandoned flows can neither pile up for one connection nor in total.
 * - `take` reads and deletes in one write transaction: a state is usable once, also across
 *   processes. Each change advances the store-wide counter, so a database rolled back to a copy
 *   that still holds a consumed pending authorization is detected while the host runs.
 */
export class SqlitePendingAuthorizationStore implements PendingAuthorizationStore {
  readonly #db: StoreDatabase;
  readonly #rows: RowCipher;
  readonly #settings: PendingStoreSettings;

  /** @internal Use `SqliteTokenStore.pending`. */
  constructor(db: StoreDatabase, rows: RowCipher, settings: PendingStoreSettings) {
    this.#db = db;
    this.#rows = rows;
    this.#settings = settings;
  }

  async put(key: string, pending: PendingAuthorization): Promise<void> {
    const horizon = this.#settings.clock.now() - this.#settings.graceMs;
    const dropped = await this.#db.write(
      (tx) => {
        const seq = tx.next();
        putPendingRow(this.#db, key, seq, pending, this.#rows.sealPending(key, seq, pending));
        const capped = this.#db
          .statement(
            'DELETE FROM aic_pending WHERE key IN (SELECT key FROM aic_pending ' +
              'WHERE connector_id = ? AND connection_id = ? ORDER BY seq DESC LIMIT -1 OFFSET ?)',
          )
          .run(pending.connectorId, pending.connectionId, this.#settings.maxPerConnection);
        this.#db
          .statement(
            'DELETE FROM aic_pending WHERE key IN (SELECT key FROM aic_pending WHERE expires_at <= ? ' +
              `ORDER BY expires_at LIMIT ${SWEEP_BATCH})`,
          )
          .run(horizon);
        return Number(capped.changes);
      },
      { durable: true },
    );
    if (dropped > 0) {
      this.#settings.logger?.log(
        'info',
        'dropped the oldest pending authorizations of a connection (cap reached)',
        {
          connectorId: pending.connectorId,
          connectionId: pending.connectionId,
          dropped,
          cap: this.#settings.maxPerConnection,
        },
      );
    }
  }

  take(key: string): Promise<PendingAuthorization | undefined> {
    return this.#db.write(
      (tx) => {
        const row = this.#db
          .statement(`SELECT ${PENDING_COLUMNS} FROM aic_pending WHERE key = ?`)
          .get(key) as PendingRow | undefined;
        if (row === undefined) return undefined;
        // Opened before the delete: a row that does not open stays (and the error says why).
        const pending = this.#rows.openPending(row);
        this.#db.statement('DELETE FROM aic_pending WHERE key = ?').run(key);
        tx.next();
        return pending;
      },
      { durable: true },
    );
  }

  forgetConnection(connectorId: string, connectionId: string): Promise<number> {
    return this.#db.write(
      (tx) => {
        const removed = Number(
          this.#db
            .statement('DELETE FROM aic_pending WHERE connector_id = ? AND connection_id = ?')
            .run(connectorId, connectionId).changes,
        );
        if (removed > 0) tx.next();
        return removed;
      },
      { durable: true },
    );
  }
}
