import {
  EncryptedFileTokenStore,
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  type Clock,
  type PendingAuthorizationStore,
  type TokenStore,
} from '@aic/connector-core';
import { RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import type { StoreSpec } from './config.js';

export interface HostStores {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  close(): Promise<void>;
}

/**
 * The token and pending-authorization stores a host binds. One machine: the encrypted file
 * (tokens survive restarts). Several machines: Redis, whose lock makes a refresh happen once
 * across all of them. Memory: trials only.
 */
export async function openHostStores(spec: StoreSpec, clock?: Clock): Promise<HostStores> {
  switch (spec.type) {
    case 'memory':
      return {
        tokenStore: new MemoryTokenStore(),
        pendingStore: new MemoryPendingAuthorizationStore(clock),
        close: () => Promise.resolve(),
      };
    case 'file': {
      const store = new EncryptedFileTokenStore({ path: spec.path, keys: { current: spec.key }, clock });
      return { tokenStore: store, pendingStore: store.pending, close: () => Promise.resolve() };
    }
    case 'redis': {
      const client = createClient({ url: spec.url });
      client.on('error', () => undefined); // reconnects by itself; commands fail typed meanwhile
      await client.connect();
      // Without a key only when the configuration says "plaintext": the store then logs a warning.
      const store = new RedisTokenStore(client, {
        keyPrefix: spec.keyPrefix,
        keys: spec.key === undefined ? undefined : { current: spec.key },
        plaintext: spec.key === undefined,
        clock,
      });
      const close = async (): Promise<void> => {
        await store.close();
        await client.close();
      };
      return { tokenStore: store, pendingStore: store.pending, close };
    }
  }
}
