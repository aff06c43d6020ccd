import type { ConnectionRecord } from '@aic/connector-core';
import { pending, record, useStoreFile } from './__fixtures__/store-fixtures.js';
import type { StoreSnapshot } from './sqlite-import.js';

const file = useStoreFile();
const NOW = Date.UTC(2026, 5, 1);
const versioned = (access: string, version: number): ConnectionRecord => ({ ...record(access), version });

const snapshot = (overrides: Partial<StoreSnapshot> = {}): StoreSnapshot => ({
  source: '/var/lib/aic/tokens.enc',
  fingerprint: 'f'.repeat(64),
  // Out of order on purpose: versions are kept where they can be.
  records: [
    ['fixture\u001fb', versioned('AT-b', 1_780_000_000_200)],
    ['fixture\u001fa', versioned('AT-a', 1_780_000_000_100)],
  ],
  pending: [
    ['p-live', pending(NOW + 60_000, 'a')],
    ['p-expired', pending(NOW - 1, 'b')],
  ],
  ...overrides,
});

describe('SqliteTokenStore.importSnapshot', () => {
  it('copies records (versions kept) and unexpired pending authorizations into an empty store, re-sealed', async () => {
    const store = file.open();
    await expect(store.importSnapshot(snapshot(), { now: NOW })).resolves.toEqual({
      outcome: 'imported',
      records: 2,
      replaced: 0,
      versionsKept: 2,
      pending: 1,
      expiredPending: 1,
    });
    const reader = file.open();
    expect(await reader.get('fixture\u001fa')).toEqual(versioned('AT-a', 1_780_000_000_100));
    expect(await reader.get('fixture\u001fb')).toEqual(versioned('AT-b', 1_780_000_000_200));
    await expect(reader.pending.take('p-expired')).resolves.toBeUndefined();
    await expect(reader.pending.take('p-live')).resolves.toEqual(pending(NOW + 60_000, 'a'));
    // Later writes get versions above the imported ones.
    await reader.set('fixture\u001fa', record('AT-a2'));
    expect((await reader.get('fixture\u001fa'))!.version).toBeGreaterThan(1_780_000_000_200);
    expect(file.raw().prepare('SELECT source, records, pending FROM aic_imports').all()).toEqual([
      { source: '/var/lib/aic/tokens.enc', records: 2, pending: 1 },
    ]);
  });

  it('is idempotent: the same snapshot again changes nothing, and a pending authorization used since stays used', async () => {
    const store = file.open();
    await store.importSnapshot(snapshot(), { now: NOW });
    await store.pending.take('p-live');
    await expect(store.importSnapshot(snapshot(), { now: NOW + 5 })).resolves.toEqual({
      outcome: 'already_imported',
      importedAt: NOW,
      records: 2,
      pending: 1,
    });
    await expect(store.importSnapshot(snapshot(), { now: NOW + 5, overwrite: true })).resolves.toMatchObject({
      outcome: 'already_imported',
    });
    await expect(store.pending.take('p-live')).resolves.toBeUndefined();
  });

  it('leaves a store that holds data alone unless told to overwrite; then replaces the same keys only', async () => {
    const store = file.open();
    await store.set('fixture\u001fa', record('AT-target-a'));
    await store.set('fixture\u001fz', record('AT-target-only'));
    for (let i = 0; i < 3; i++) await store.set('fixture\u001fa', record('AT-target-a'));
    const before = (await store.get('fixture\u001fa'))!.version!;
    const other = snapshot({
      fingerprint: 'e'.repeat(64),
      records: [['fixture\u001fa', versioned('AT-from-file', 2)]],
      pending: [],
    });
    await expect(store.importSnapshot(other, { now: NOW })).resolves.toEqual({
      outcome: 'target_not_empty',
      records: 2,
      pending: 0,
    });
    expect((await store.get('fixture\u001fa'))?.tokens?.accessToken).toBe('AT-target-a');

    await expect(store.importSnapshot(other, { now: NOW, overwrite: true })).resolves.toEqual({
      outcome: 'imported',
      records: 1,
      replaced: 1,
      versionsKept: 0,
      pending: 0,
      expiredPending: 0,
    });
    const replaced = (await store.get('fixture\u001fa'))!;
    expect(replaced.tokens?.accessToken).toBe('AT-from-file');
    // Version 2 is below what the key already had: it got a new, higher one.
    expect(replaced.version).toBeGreaterThan(before);
    expect((await store.get('fixture\u001fz'))?.tokens?.accessToken).toBe('AT-target-only');
  });
});
