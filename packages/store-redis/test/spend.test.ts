import { ErrorCode, MemoryLogger, type Lease } from '@aic/connector-core';
import { CONN, failure, pause, record, useStandalone } from './standalone.js';

const h = useStandalone();

const spend = (lease: Lease): Promise<void> => {
  if (lease.spendGrant === undefined) throw new Error('the Redis lease must implement spendGrant');
  return lease.spendGrant();
};

/** A holder that reads, spends the grant, then vanishes past its lease without writing. */
async function vanishAfterSpending(ttlMs = 150): Promise<void> {
  const store = h.store(await h.connection());
  await store.withLock(
    CONN,
    async (lease) => {
      await store.get(CONN);
      await spend(lease);
      await pause(ttlMs + 100);
    },
    { ttlMs },
  );
}

describe('Lease.spendGrant on Redis: a refresh token is never sent twice', () => {
  it('records the spend in the record hash; the holder’s write clears it', async () => {
    const store = h.store(await h.connection());
    await store.set(CONN, record('AT-1'));
    await store.withLock(CONN, async (lease) => {
      const read = await store.get(CONN);
      await spend(lease);
      expect((await h.raw(CONN)).c).toMatch(/^[\w-]+\|\d+$/);
      await store.set(CONN, record('AT-2'), { ifVersion: read!.version });
    });
    expect((await h.raw(CONN)).c).toBeUndefined();
  });

  it('a live holder whose call ended without a write clears its spend on release', async () => {
    const store = h.store(await h.connection());
    await store.set(CONN, record('AT-1'));
    await store.withLock(CONN, async (lease) => {
      await store.get(CONN);
      await spend(lease);
    });
    expect((await h.raw(CONN)).c).toBeUndefined();
  });

  it('after a holder vanished mid-refresh, the next holder sends nothing: lock_timeout, then refresh_interrupted', async () => {
    await h.store(await h.client()).set(CONN, record('AT-1'));
    await vanishAfterSpending();
    expect((await h.raw(CONN)).c).toBeDefined(); // kept: the lapsed holder could not vouch for its call
    const logger = new MemoryLogger();
    const next = h.store(await h.connection(), { interruptedRefreshMs: 1_500, logger });
    const attempt = () =>
      next.withLock(CONN, async (lease) => {
        await next.get(CONN);
        await spend(lease);
        return 'sent';
      });
    await expect(attempt()).rejects.toMatchObject(failure('lock_timeout'));
    await pause(1_500);
    await expect(attempt()).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'refresh_interrupted',
      connectorId: 'fixture',
      connectionId: 'conn-1',
    });
    expect(logger.entries.map((entry) => [entry.message, entry.fields?.['givingUp']])).toEqual([
      [
        'an earlier holder sent this refresh token and vanished before storing the answer; not sending it again',
        false,
      ],
      [
        'an earlier holder sent this refresh token and vanished before storing the answer; not sending it again',
        true,
      ],
    ]);
  });

  it('a stalled holder that comes back stores its rotated grant: its fenced write still wins', async () => {
    const seeded = h.store(await h.client());
    await seeded.set(CONN, record('AT-1'));
    const stalled = h.store(await h.connection());
    const other = h.store(await h.connection());
    await stalled.withLock(
      CONN,
      async (lease) => {
        const read = await stalled.get(CONN);
        await spend(lease);
        await pause(250); // stalled past its lease (the provider answered meanwhile)
        // Meanwhile another process takes the lock and is refused the spend: nothing sent twice.
        await expect(
          other.withLock(CONN, async (otherLease) => {
            await other.get(CONN);
            await spend(otherLease);
          }),
        ).rejects.toMatchObject(failure('lock_timeout'));
        await stalled.set(CONN, record('AT-2', 'RT-2'), { ifVersion: read!.version });
      },
      { ttlMs: 150 },
    );
    expect(await seeded.get(CONN)).toEqual({ ...record('AT-2', 'RT-2'), version: 2 });
    expect((await h.raw(CONN)).c).toBeUndefined();
    await other.withLock(CONN, async (lease) => {
      await other.get(CONN);
      await spend(lease);
    });
  });

  it('refuses a spend under a lost lock (lease_lapsed) or over a record that moved on (conflict)', async () => {
    const client = await h.client();
    const store = h.store(await h.connection());
    await store.set(CONN, record('AT-1'));
    await store.withLock(
      CONN,
      async (lease) => {
        await store.get(CONN);
        await client.set(`${h.prefix}{${CONN}}:lock`, 'someone-else');
        await expect(spend(lease)).rejects.toMatchObject(failure('lease_lapsed'));
        await client.del(`${h.prefix}{${CONN}}:lock`);
      },
      { ttlMs: 5_000 },
    );
    const other = h.store(await h.client());
    await store.withLock(CONN, async (lease) => {
      await store.get(CONN);
      await other.set(CONN, record('AT-x')); // an unconditional write behind the holder's back
      await expect(spend(lease)).rejects.toMatchObject({ code: ErrorCode.StoreConflict });
    });
    expect((await h.raw(CONN)).c).toBeUndefined();
  });
});
