/**
 * Several real Node processes on one SQLite file (child processes importing the built packages),
 * with a real token endpoint on loopback: what "safe across processes on one machine" means.
 */
import { DatabaseSync, backup } from 'node:sqlite';
import { RotatingTokenEndpoint, storeFixtureKey as keyOf } from '@aic/connector-core/testing';
import { record, useStoreFile } from '../src/__fixtures__/store-fixtures.js';
import { WorkerProcess, requireBuiltPackages } from './worker-process.js';

const file = useStoreFile();
beforeAll(() => requireBuiltPackages());

interface RefreshReport {
  calls: number;
  errors: string[];
  tokens: string[];
}

describe('several processes on one SQLite store', () => {
  it('4 processes × 120 getAccessToken calls with forced expiries: one refresh per expiry, nothing lost', async () => {
    const endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 60 });
    try {
      const store = file.open();
      await store.set(keyOf('shared'), endpoint.authorize('shared'));
      const workers = Array.from(
        { length: 4 },
        () => new WorkerProcess('refresh', [file.path, endpoint.baseUrl, 'shared', '120', '30000']),
      );
      const reports = await Promise.all(workers.map((worker) => worker.result<RefreshReport>()));

      expect(reports.map((report) => ({ calls: report.calls, errors: report.errors }))).toEqual(
        Array.from({ length: 4 }, () => ({ calls: 120, errors: [] })),
      );
      expect(endpoint.invalidGrants).toBe(0);
      expect(endpoint.unexpectedRequests).toBe(0);
      // No refresh while the current token was still valid: exactly one refresh per expiry window.
      expect(endpoint.earlyRefreshes).toBe(0);
      const grant = endpoint.grant('shared');
      expect(grant.generation).toBeGreaterThanOrEqual(5);
      for (const token of reports.flatMap((report) => report.tokens))
        expect(endpoint.issued.has(token)).toBe(true);
      // The last rotated refresh token is the stored one.
      const stored = await store.get(keyOf('shared'));
      expect(stored?.tokens).toMatchObject({
        refreshToken: grant.refreshToken,
        accessToken: grant.accessToken,
      });
      console.log(
        `[store-sqlite] 4 processes × 120 calls: ${grant.generation} refreshes (one per expiry window), ` +
          `${endpoint.invalidGrants} invalid_grant, ${endpoint.earlyRefreshes} duplicate refreshes, ` +
          `${endpoint.maxInFlight} token requests in flight at most`,
      );
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  it('a pending authorization is taken once across 4 processes racing for the same 200 states', async () => {
    const store = file.open();
    const keys = Array.from({ length: 200 }, (_, i) => `state-${i}`);
    const now = Date.now();
    for (const [i, key] of keys.entries()) {
      await store.pending.put(key, {
        connectorId: 'fixture',
        connectionId: `conn-${i}`,
        stateDigest: `digest-${i}`,
        redirectUri: 'https://aic.test/callback',
        createdAt: now,
        expiresAt: now + 600_000,
      });
    }
    // Each process walks the states from another starting point, so they meet on every state.
    const workers = Array.from({ length: 4 }, (_, w) => {
      const order = [...keys.slice(w * 50), ...keys.slice(0, w * 50)];
      return new WorkerProcess('take', [file.path, order.join(',')]);
    });
    await Promise.all(workers.map((worker) => worker.waitFor('ready')));
    for (const worker of workers) worker.send('go');
    const reports = await Promise.all(workers.map((worker) => worker.result<{ taken: string[] }>()));
    const taken = reports.flatMap((report) => report.taken);
    expect(taken.sort()).toEqual([...keys].sort());
    expect(reports.filter((report) => report.taken.length > 0).length).toBeGreaterThan(1); // they did race
  }, 60_000);

  it('the per-connection cap holds when 4 processes start authorizations of one connection at once', async () => {
    file.open().close(); // a fresh store: its counter starts at 0
    const workers = Array.from(
      { length: 4 },
      () => new WorkerProcess('put', [file.path, 'capped', '8', '5']),
    );
    await Promise.all(workers.map((worker) => worker.waitFor('ready')));
    for (const worker of workers) worker.send('go');
    await Promise.all(workers.map((worker) => worker.result()));
    const raw = file.raw();
    const kept = raw
      .prepare("SELECT seq FROM aic_pending WHERE connection_id = 'capped' ORDER BY seq")
      .all() as {
      seq: number;
    }[];
    // 32 starts, one counter value each: the 5 newest survive.
    expect(kept.map((row) => row.seq)).toEqual([28, 29, 30, 31, 32]);
  }, 60_000);

  it('the lock of a holder process killed while holding it is taken over once its lease lapses', async () => {
    const holder = new WorkerProcess('hold', [file.path, 'crash', '400']);
    await holder.waitFor('locked');
    holder.signal('SIGKILL');
    await holder.exited;
    const started = performance.now();
    await expect(file.open().withLock('crash', async () => 'recovered', { waitMs: 5_000 })).resolves.toBe(
      'recovered',
    );
    expect(performance.now() - started).toBeLessThan(5_000);
  }, 30_000);

  it('a running process detects the database rolled back under it; a process started afterwards cannot', async () => {
    const store = file.open();
    await store.set(keyOf('c1'), record('AT-rollback', 'RT-before-backup'));
    const copy = `${file.dir}/backup.db`;
    const source = new DatabaseSync(file.path);
    await backup(source, copy);
    source.close();
    await store.set(keyOf('c1'), record('AT-rollback', 'RT-after-backup'));

    const running = new WorkerProcess('watch', [file.path, keyOf('c1')]);
    await running.waitFor('ready');
    const restored = new DatabaseSync(copy);
    await backup(restored, file.path); // an operator restores the copy while the host runs
    restored.close();
    running.send('check');
    await expect(running.result()).resolves.toEqual({
      before: 'RT-after-backup',
      error: 'ERR_STORE_FAILURE',
      reason: 'rolled_back',
    });

    // The documented limit: nothing in a restored file tells a new process it is old.
    const fresh = new WorkerProcess('watch', [file.path, keyOf('c1')]);
    await fresh.waitFor('ready');
    fresh.send('check');
    await expect(fresh.result()).resolves.toEqual({ before: 'RT-before-backup', after: 'RT-before-backup' });
  }, 30_000);
});
