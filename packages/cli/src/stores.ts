import {
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  type Clock,
  type PendingAuthorizationStore,
  type TokenRequestLimiter,
  type TokenStore,
} from '@aic/connector-core';
import { EncryptedFileTokenStore } from '@aic/store-file';
import { SqliteTokenRequestLimiter, SqliteTokenStore } from '@aic/store-sqlite';
import type { StoreConfig } from './store-config.js';
import { openRedisStores } from './redis-stores.js';

/** A store whose records can be re-encrypted with the current key (`aic key rotate`). */
export interface RotatableStore {
  readonly path: string;
  rotateKeys(): Promise<number>;
}

/** The stores a host binds, and how to release them. */
export interface OpenedStores {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  /** A limit on token requests shared with the other processes of the store (SQLite). */
  readonly tokenLimiter?: TokenRequestLimiter | undefined;
  /** The embedded encrypted store in use, if any (`aic key rotate`). */
  readonly rotatable?: RotatableStore | undefined;
  close(): Promise<void>;
}

/** Opens the stores `config` names. */
export async function openStores(config: StoreConfig, clock: Clock): Promise<OpenedStores> {
  switch (config.kind) {
    case 'memory':
      return {
        tokenStore: new MemoryTokenStore(),
        pendingStore: new MemoryPendingAuthorizationStore(clock),
        close: () => Promise.resolve(),
      };
    case 'sqlite': {
      const store = new SqliteTokenStore({
        path: config.path,
        keys: { current: config.keys.current, previous: config.keys.previous },
        clock,
      });
      return {
        tokenStore: store,
        pendingStore: store.pending,
        tokenLimiter: new SqliteTokenRequestLimiter(store),
        rotatable: store,
        close: () => {
          store.close();
          return Promise.resolve();
        },
      };
    }
    case 'file': {
      const store = new EncryptedFileTokenStore({
        path: config.path,
        keys: { current: config.keys.current, previous: config.keys.previous },
        clock,
      });
      return {
        tokenStore: store,
        pendingStore: store.pending,
        rotatable: store,
        close: () => Promise.resolve(),
      };
    }
    case 'redis':
      return openRedisStores(config, clock);
  }
}
