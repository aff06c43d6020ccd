import { ManualClock } from '../support/clock.js';
import { MemoryLogger } from '../support/logger.js';
import type { ConnectionRecord } from '../stores/connection-record.js';
import { MemoryTokenStore } from '../stores/memory-stores.js';
import type { TokenSet } from '../tokens/token-set.js';
import { TokenManager, type ManagedConnection } from './token-manager.js';

const connection: ManagedConnection = {
  key: 'acme\u001fc-1',
  id: 'c-1',
  context: { connectorId: 'acme', connectionId: 'c-1' },
  origins: { token: 'https://auth.acme.test', apiBase: 'https://api.acme.test' },
};
const T0 = Date.UTC(2026, 5, 1);
const tokens = (accessToken: string): TokenSet => ({
  accessToken,
  tokenType: 'Bearer',
  issuedAt: T0,
  expiresAt: T0 + 3_600_000,
  refreshToken: 'RT',
});

/** A store whose reads wait until the test lets them through. */
class GatedStore extends MemoryTokenStore {
  #gate: Promise<void> = Promise.resolve();
  #open: () => void = () => undefined;
  close(): void {
    this.#gate = new Promise<void>((resolve) => (this.#open = resolve));
  }
  open(): void {
    this.#open();
  }
  override async get(key: string): Promise<ConnectionRecord | undefined> {
    await this.#gate;
    return super.get(key);
  }
}

describe('TokenManager: a 401 caller joining a flight started for another reason', () => {
  it('still gets its forced refresh when the joined flight returns the rejected token', async () => {
    const store = new GatedStore();
    await store.set(connection.key, { status: 'active', tokens: tokens('AT-1'), updatedAt: T0 });
    const refreshed: string[] = [];
    const manager = new TokenManager<ManagedConnection>({
      leaseMs: 65_000,
      store,
      clock: new ManualClock(T0),
      logger: new MemoryLogger(),
      policy: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
      grants: {
        refresh: async (_, refreshToken) => {
          refreshed.push(refreshToken);
          return tokens('AT-2');
        },
      },
    });
    store.close();
    const plain = manager.getAccessToken(connection); // cache empty: starts a flight reading the store
    const rejected = manager.getAccessToken(connection, { force: true, rejectedAccessToken: 'AT-1' });
    store.open();
    expect((await plain).accessToken).toBe('AT-1');
    expect((await rejected).accessToken).toBe('AT-2');
    expect(refreshed).toEqual(['RT']);
  });

  it('reuses a token another caller stored meanwhile instead of refreshing again', async () => {
    const store = new MemoryTokenStore();
    await store.set(connection.key, { status: 'active', tokens: tokens('AT-2'), updatedAt: T0 });
    let refreshes = 0;
    const manager = new TokenManager<ManagedConnection>({
      leaseMs: 65_000,
      store,
      clock: new ManualClock(T0),
      logger: new MemoryLogger(),
      policy: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
      grants: {
        refresh: async () => {
          refreshes++;
          return tokens('AT-3');
        },
      },
    });
    const token = await manager.getAccessToken(connection, { force: true, rejectedAccessToken: 'AT-1' });
    expect(token.accessToken).toBe('AT-2');
    expect(refreshes).toBe(0);
  });
});
