/**
 * Process faults on the SQLite store with real processes and a real token endpoint: a refresh
 * holder stopped (SIGSTOP) past its lease, and a process killed (SIGKILL) between receiving a
 * rotated token and storing it. A refresh token is never sent twice, a record never goes back to
 * an older state; RELIABILITY.md documents the loss windows these tests pin down.
 */
import { RotatingTokenEndpoint, storeFixtureKey as keyOf } from '@aic/connector-core/testing';
import { useStoreFile } from '../src/__fixtures__/store-fixtures.js';
import { WorkerProcess, requireBuiltPackages } from './worker-process.js';

const file = useStoreFile();
beforeAll(() => requireBuiltPackages());

/** Token call deadline of the workers: their refresh lease is 2 × 300 + 5,000 = 5.6 s. */
const TOKEN_MS = '300';

interface Outcome {
  token?: string;
  error?: string;
  reason?: string;
}

async function seeded(endpoint: RotatingTokenEndpoint, connection: string) {
  const store = file.open();
  await store.set(keyOf(connection), endpoint.authorize(connection));
  return { store, version: (await store.get(keyOf(connection)))!.version! };
}

const spends = (connection: string) =>
  (
    file.raw().prepare('SELECT count(*) AS n FROM aic_spends WHERE key = ?').get(keyOf(connection)) as {
      n: number;
    }
  ).n;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a refresh holder stopped past its lease (SIGSTOP) — its refresh token is never sent again', () => {
  it('while it may come back, the next process is refused and sends nothing; resumed, the holder stores its answer', async () => {
    const endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 60_000 });
    const env = { AIC_TEST_INTERRUPTED_MS: '60000' };
    try {
      const { store, version } = await seeded(endpoint, 'stalled');
      const stale = new WorkerProcess(
        'stall',
        [file.path, endpoint.baseUrl, 'stalled', TOKEN_MS, '300'],
        env,
      );
      await stale.waitFor('storing'); // the provider rotated to generation 1; it is about to write
      stale.signal('SIGSTOP');
      // After the stalled holder's lease lapsed (never renewed), the next process takes the lock,
      // finds the refresh token spent by a holder that may come back, and sends nothing.
      const other = new WorkerProcess(
        'refresh',
        [file.path, endpoint.baseUrl, 'stalled', '1', TOKEN_MS],
        env,
      );
      await expect(other.result()).resolves.toMatchObject({ errors: ['ERR_STORE_FAILURE'] });
      expect((await store.get(keyOf('stalled')))?.version).toBe(version);
      expect(spends('stalled')).toBe(1);

      stale.signal('SIGCONT');
      // Nobody wrote meanwhile: its fenced write is the newest state and lands.
      await expect(stale.result<Outcome>()).resolves.toEqual({ token: 'AT-stalled-g1' });
      expect((await store.get(keyOf('stalled')))?.tokens).toMatchObject({ refreshToken: 'RT-stalled-g1' });
      expect(spends('stalled')).toBe(0);
      const after = new WorkerProcess(
        'refresh',
        [file.path, endpoint.baseUrl, 'stalled', '1', TOKEN_MS],
        env,
      );
      await expect(after.result()).resolves.toMatchObject({ errors: [], tokens: ['AT-stalled-g1'] });
      // One refresh token sent once: nothing reused, nothing refused, nothing lost.
      expect([endpoint.grant('stalled').generation, endpoint.reuses, endpoint.invalidGrants]).toEqual([
        1, 0, 0,
      ]);
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  it('past interruptedRefreshMs the connection is marked for a new authorization, and the late write is fenced', async () => {
    const endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 60_000 });
    const env = { AIC_TEST_INTERRUPTED_MS: '1000' };
    try {
      const { store } = await seeded(endpoint, 'lapsed');
      const stale = new WorkerProcess('stall', [file.path, endpoint.baseUrl, 'lapsed', TOKEN_MS, '300'], env);
      await stale.waitFor('storing');
      stale.signal('SIGSTOP');
      const other = new WorkerProcess('refresh', [file.path, endpoint.baseUrl, 'lapsed', '1', TOKEN_MS], env);
      await expect(other.result()).resolves.toMatchObject({ errors: ['ERR_REAUTHORIZATION_REQUIRED'] });
      const marked = (await store.get(keyOf('lapsed')))!;
      expect(marked).toMatchObject({
        status: 'reauthorization_required',
        reauthorizationReason: 'refresh_interrupted',
      });

      stale.signal('SIGCONT');
      // Its write of generation 1 is refused (fenced on the version it read): the connection is not
      // moved back to "active" behind the state a person is asked to act on.
      await expect(stale.result<Outcome>()).resolves.toEqual({ error: 'ERR_STORE_CONFLICT' });
      expect(await store.get(keyOf('lapsed'))).toEqual(marked);
      expect([endpoint.grant('lapsed').generation, endpoint.reuses, endpoint.invalidGrants]).toEqual([
        1, 0, 0,
      ]);
    } finally {
      await endpoint.close();
    }
  }, 60_000);
});

describe('a process killed between receiving a rotated token and storing it (SIGKILL)', () => {
  it('leaves the previous grant intact and its spend recorded: refused while the window lasts, then a new authorization is asked for', async () => {
    const endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 60_000, graceReuse: true });
    const env = { AIC_TEST_INTERRUPTED_MS: '8000' };
    try {
      const { store, version } = await seeded(endpoint, 'killed');
      const victim = new WorkerProcess(
        'stall',
        [file.path, endpoint.baseUrl, 'killed', TOKEN_MS, '60000'],
        env,
      );
      await victim.waitFor('storing');
      const spentAt = Date.now();
      victim.signal('SIGKILL');
      await victim.exited;

      // The store still holds generation 0, untouched and readable, and the spend of it.
      expect(await store.get(keyOf('killed'))).toMatchObject({
        version,
        tokens: { refreshToken: 'RT-killed-g0' },
      });
      expect(file.raw().prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      expect(spends('killed')).toBe(1);

      // A restarted host, once the dead holder's lease lapsed: refused, nothing sent…
      const first = new WorkerProcess('refresh', [file.path, endpoint.baseUrl, 'killed', '1', TOKEN_MS], env);
      await expect(first.result()).resolves.toMatchObject({ errors: ['ERR_STORE_FAILURE'] });
      // …and after interruptedRefreshMs, the connection needs a new authorization (stored).
      await pause(Math.max(0, spentAt + 8_500 - Date.now()));
      const second = new WorkerProcess(
        'refresh',
        [file.path, endpoint.baseUrl, 'killed', '1', TOKEN_MS],
        env,
      );
      await expect(second.result()).resolves.toMatchObject({ errors: ['ERR_REAUTHORIZATION_REQUIRED'] });
      expect(await store.get(keyOf('killed'))).toMatchObject({
        status: 'reauthorization_required',
        reauthorizationReason: 'refresh_interrupted',
        tokens: { refreshToken: 'RT-killed-g0' },
      });
      expect(spends('killed')).toBe(0);
      // Even a provider that would have accepted generation 0 again never saw it twice.
      expect([endpoint.grant('killed').generation, endpoint.reuses, endpoint.invalidGrants]).toEqual([
        1, 0, 0,
      ]);
    } finally {
      await endpoint.close();
    }
  }, 60_000);

  it('killed at random moments while refreshing: the store always holds the current grant or the one just before it, never a damaged or older one', async () => {
    const endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 15 });
    try {
      const outcomes = { current: 0, previous: 0 };
      for (let round = 0; round < 8; round++) {
        const connection = `fuzz-${round}`;
        const { store } = await seeded(endpoint, connection);
        const victim = new WorkerProcess('refresh', [
          file.path,
          endpoint.baseUrl,
          connection,
          '100000',
          '30000',
        ]);
        // Started refreshing, then killed 0–250 ms later, wherever it is.
        while (endpoint.grant(connection).generation === 0) await new Promise((r) => setTimeout(r, 5));
        await new Promise((r) => setTimeout(r, Math.random() * 250));
        victim.signal('SIGKILL');
        await victim.exited;
        const stored = (await store.get(keyOf(connection)))!;
        const grant = endpoint.grant(connection);
        if (stored.tokens?.refreshToken === grant.refreshToken) outcomes.current++;
        else {
          // Killed after the provider rotated, before the store committed: the loss window — and
          // the refresh token the store still holds is guarded by the spend (never sent again).
          expect(stored.tokens?.refreshToken).toBe(`RT-${connection}-g${grant.generation - 1}`);
          expect(spends(connection)).toBe(1);
          outcomes.previous++;
        }
        expect(stored.status).toBe('active');
      }
      expect(file.raw().prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
      expect(outcomes.current + outcomes.previous).toBe(8);
      console.log(
        `[store-sqlite] 8 random SIGKILLs while refreshing: ${outcomes.current} stored the current grant, ` +
          `${outcomes.previous} died inside the window between the provider's answer and the commit`,
      );
    } finally {
      await endpoint.close();
    }
  }, 60_000);
});
