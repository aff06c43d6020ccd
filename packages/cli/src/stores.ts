import {
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  type Clock,
  type PendingAuthorizationStore,
  type TokenStore,
} from '@aic/connector-core';
import { EncryptedFileTokenStore } from '@aic/store-file';
import type { StoreConfig } from './store-config.js';
import { openRedisStores } from './redis-stores.js';

/** The two stores a host binds, and how to release them. */
export interface OpenedStores {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  /** The encrypted file store, when that is the one in use (`aic key rotate`). */
  readonly fileStore?: EncryptedFileTokenStore | undefined;
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
    case 'file': {
      const store = new EncryptedFileTokenStore({
        path: config.path,
        keys: { current: config.keys.current, previous: config.keys.previous },
        clock,
      });
      return {
        tokenStore: store,
        pendingStore: store.pending,
        fileStore: store,
        close: () => Promise.resolve(),
      };
    }
    case 'redis':
      return openRedisStores(config, clock);
  }
}
