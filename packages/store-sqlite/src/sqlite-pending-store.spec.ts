import { ManualClock, MemoryLogger } from '@aic/connector-core';
import { VERIFIER, failure, pending, useStoreFile } from './__fixtures__/store-fixtures.js';

const file = useStoreFile();

describe('SqlitePendingAuthorizationStore', () => {
  it('take is single-use, across store instances on the same file', async () => {
    const value = pending(Date.now() + 60_000);
    await file.open().pending.put('state-digest', value);
    const [first, second, third] = await Promise.all([
      file.open().pending.take('state-digest'),
      file.open().pending.take('state-digest'),
      file.open().pending.take('state-digest'),
    ]);
    expect([first, second, third].filter((taken) => taken !== undefined)).toEqual([value]);
    await expect(file.open().pending.take('state-digest')).resolves.toBeUndefined();
  });

  it('keeps an expired entry for the grace period, then sweeps it on a later put', async () => {
    const clock = new ManualClock(1_000_000);
    const store = file.open({ clock, pendingGraceMs: 60_000 });
    await store.pending.put('old', pending(1_000_000 + 10_000, 'conn-old'));
    clock.advance(10_000 + 60_000 - 1);
    await store.pending.put('new-1', pending(clock.now() + 600_000, 'conn-new'));
    expect(await file.open().pending.take('old')).toEqual(pending(1_000_000 + 10_000, 'conn-old'));

    await store.pending.put('old', pending(1_000_000 + 10_000, 'conn-old'));
    clock.advance(1);
    await store.pending.put('new-2', pending(clock.now() + 600_000, 'conn-new'));
    await expect(file.open().pending.take('old')).resolves.toBeUndefined();
    await expect(file.open().pending.take('new-1')).resolves.toMatchObject({ codeVerifier: VERIFIER });
  });

  it('sweeps at most 32 expired entries per put (the cost of a put does not grow with the table)', async () => {
    const clock = new ManualClock(1_000_000);
    const store = file.open({ clock, pendingGraceMs: 0 });
    for (let i = 0; i < 40; i++) await store.pending.put(`old-${i}`, pending(1_000_001 + i, `conn-${i}`));
    clock.advance(1_000);
    await store.pending.put('fresh', pending(clock.now() + 600_000, 'conn-fresh'));
    const count = () => file.raw().prepare('SELECT count(*) AS n FROM aic_pending').get() as { n: number };
    expect(count().n).toBe(40 + 1 - 32);
    await store.pending.put('fresh-2', pending(clock.now() + 600_000, 'conn-fresh-2'));
    expect(count().n).toBe(2);
  });

  it('keeps at most maxPendingPerConnection per connection, dropping the oldest, and logs it', async () => {
    const logger = new MemoryLogger();
    const store = file.open({ maxPendingPerConnection: 3, logger });
    const later = Date.now() + 600_000;
    for (let i = 1; i <= 5; i++) await store.pending.put(`s${i}`, pending(later, 'conn-1'));
    await store.pending.put('other', pending(later, 'conn-2'));
    const taken = await Promise.all(
      ['s1', 's2', 's3', 's4', 's5', 'other'].map((key) => store.pending.take(key)),
    );
    expect(taken.map((value) => value?.connectionId)).toEqual([
      undefined,
      undefined,
      'conn-1',
      'conn-1',
      'conn-1',
      'conn-2',
    ]);
    expect(logger.entries.map((e) => [e.message, e.fields])).toEqual([
      [
        'dropped the oldest pending authorizations of a connection (cap reached)',
        { connectorId: 'fixture', connectionId: 'conn-1', dropped: 1, cap: 3 },
      ],
      [
        'dropped the oldest pending authorizations of a connection (cap reached)',
        { connectorId: 'fixture', connectionId: 'conn-1', dropped: 1, cap: 3 },
      ],
    ]);
  });

  it('forgetConnection drops every pending authorization of one connection only', async () => {
    const store = file.open();
    const later = Date.now() + 600_000;
    await store.pending.put('a1', pending(later, 'conn-a'));
    await store.pending.put('a2', pending(later, 'conn-a'));
    await store.pending.put('b1', pending(later, 'conn-b'));
    await expect(store.pending.forgetConnection('fixture', 'conn-a')).resolves.toBe(2);
    await expect(store.pending.forgetConnection('fixture', 'conn-a')).resolves.toBe(0);
    await expect(store.pending.forgetConnection('other-connector', 'conn-b')).resolves.toBe(0);
    await expect(file.open().pending.take('a1')).resolves.toBeUndefined();
    await expect(file.open().pending.take('b1')).resolves.toMatchObject({ connectionId: 'conn-b' });
  });

  it('refuses a row whose connection columns were edited, and keeps it (nothing consumed)', async () => {
    const store = file.open();
    await store.pending.put('p', pending(Date.now() + 600_000, 'conn-a'));
    file.raw().prepare("UPDATE aic_pending SET connection_id = 'conn-b'").run();
    await expect(store.pending.take('p')).rejects.toMatchObject(failure('corrupted'));
    const left = file.raw().prepare('SELECT count(*) AS n FROM aic_pending').get() as { n: number };
    expect(left.n).toBe(1);
  });

  it('detects a consumed pending authorization brought back by a rollback', async () => {
    const store = file.open();
    await store.pending.put('p', pending(Date.now() + 600_000));
    const raw = file.raw();
    const saved = raw.prepare('SELECT * FROM aic_pending').get() as Record<string, string | number>;
    const seqBefore = (raw.prepare('SELECT seq FROM aic_state').get() as { seq: number }).seq;
    await expect(store.pending.take('p')).resolves.toMatchObject({ connectionId: 'conn-1' });
    // Roll the row and the counter back (what restoring an older copy does).
    raw
      .prepare(
        'INSERT INTO aic_pending (key, connector_id, connection_id, seq, expires_at, kid, iv, data, tag) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        saved['key']!,
        saved['connector_id']!,
        saved['connection_id']!,
        saved['seq']!,
        saved['expires_at']!,
        saved['kid']!,
        saved['iv']!,
        saved['data']!,
        saved['tag']!,
      );
    raw.prepare('UPDATE aic_state SET seq = ?').run(seqBefore);
    await expect(store.pending.take('p')).rejects.toMatchObject(failure('rolled_back'));
  });
});
