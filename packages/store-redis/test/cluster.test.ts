/**
 * Against a real 3-master Redis Cluster the test starts on loopback: every script of a connection
 * runs on the one node owning its hash tag's slot, lock wake-ups and limiter grants travel on
 * sharded channels, and a node restarted in the middle of a multi-process storm loses nothing and
 * sends no refresh token twice.
 */
import { RotatingTokenEndpoint, storeFixtureKey } from '@aic/connector-core/testing';
import { ErrorCode } from '@aic/connector-core';
import { RedisTokenRequestLimiter, RedisTokenStore, keySlot, redisConnection } from '../src/index.js';
import { RedisClusterServers } from './redis-cluster.js';
import { CONN, KEY, counting, deferred, pause, record, type CountingConnection } from './standalone.js';
import { HostWorker, assertBuilt, failureCounts, type CallResult } from './workers.js';

let servers: RedisClusterServers;
let endpoint: RotatingTokenEndpoint;
const clusters: Awaited<ReturnType<RedisClusterServers['client']>>[] = [];
const closers: (() => Promise<void>)[] = [];
const workers: HostWorker[] = [];

beforeAll(async () => {
  assertBuilt();
  servers = await RedisClusterServers.start();
  endpoint = await RotatingTokenEndpoint.start({ lifetimeMs: 3_600_000 });
}, 300_000);
afterEach(async () => {
  for (const worker of workers.splice(0)) worker.kill();
  await Promise.all(closers.splice(0).map((close) => close()));
});
afterAll(async () => {
  for (const cluster of clusters) if (cluster.isOpen) await cluster.close().catch(() => cluster.destroy());
  await endpoint?.close();
  await servers?.dispose();
});

async function connection(): Promise<CountingConnection> {
  const cluster = await servers.client();
  clusters.push(cluster);
  const counted = counting(redisConnection(cluster));
  closers.push(() => counted.close());
  return counted;
}

function store(on: CountingConnection, prefix: string): RedisTokenStore {
  const created = new RedisTokenStore(on, { keyPrefix: prefix, keys: { current: KEY } });
  closers.push(() => created.close());
  return created;
}

/** Which master serves `slot`, from `CLUSTER SLOTS` of a node. */
async function ownerOf(
  slot: number,
  cluster: Awaited<ReturnType<RedisClusterServers['client']>>,
): Promise<number> {
  const ranges = (await cluster.sendCommand(undefined, true, ['CLUSTER', 'SLOTS'])) as [
    number,
    number,
    [string, number],
  ][];
  const range = ranges.find(([from, to]) => slot >= from && slot <= to);
  if (range === undefined) throw new Error(`slot ${slot} unserved`);
  return range[2][1];
}

describe('Redis Cluster (3 masters on loopback)', () => {
  it('keeps each connection’s keys on one node, spreads connections over all three, fences writes', async () => {
    const on = await connection();
    const s = store(on, 'c1:');
    const ids = Array.from({ length: 30 }, (_, i) => `fixture\u001fconn-${i}`);
    for (const id of ids) await s.set(id, record(`AT-${id}`), { ifVersion: 'absent' });
    for (const id of ids) expect(await s.get(id)).toEqual({ ...record(`AT-${id}`), version: 1 });
    await expect(s.set(ids[0]!, record('stale'), { ifVersion: 'absent' })).rejects.toMatchObject({
      code: ErrorCode.StoreConflict,
    });
    const owners = new Set<number>();
    for (const id of ids) {
      const slot = keySlot(`c1:{${id}}:rec`);
      expect(keySlot(`c1:{${id}}:lock`)).toBe(slot);
      owners.add(await ownerOf(slot, clusters[0]!));
    }
    expect(owners).toEqual(new Set(servers.nodes.map((node) => node.port)));
    await s.pending.put('state-1', {
      connectorId: 'fixture',
      connectionId: 'conn-1',
      stateDigest: 'd',
      redirectUri: 'https://aic.test/cb',
      createdAt: Date.now(),
      expiresAt: Date.now() + 60_000,
    });
    await expect(s.pending.forgetConnection('fixture', 'conn-1')).resolves.toBe(1);
  });

  it('wakes a waiter in another process through the slot’s sharded channel, without polling', async () => {
    const holderConnection = await connection();
    const waiterConnection = await connection();
    const holder = store(holderConnection, 'c2:');
    const waiter = store(waiterConnection, 'c2:');
    await holder.set(CONN, record('AT-1'));
    const gate = deferred();
    const held = holder.withLock(CONN, async () => {
      const read = await holder.get(CONN);
      await gate.promise;
      await holder.set(CONN, record('AT-2'), { ifVersion: read!.version });
    });
    await pause(50);
    waiterConnection.sent.length = 0;
    const waited = waiter.withLock(CONN, async () => 'locked', {
      afterWait: async () => ((await waiter.get(CONN))?.tokens?.accessToken === 'AT-2' ? 'woken' : undefined),
    });
    await pause(300);
    gate.resolve();
    await held;
    await expect(waited).resolves.toBe('woken');
    expect(waiterConnection.sent.filter((name) => name !== 'EVAL')).toEqual(['SSUBSCRIBE', 'ACQUIRE']);
  });

  it('bounds token requests across processes with the limiter', async () => {
    const limiters = [await connection(), await connection()].map(
      (on) => new RedisTokenRequestLimiter(on, { keyPrefix: 'c3:', concurrency: 2, jitterMs: 0 }),
    );
    for (const limiter of limiters) closers.push(() => limiter.close());
    let active = 0;
    let maxActive = 0;
    await Promise.all(
      Array.from({ length: 10 }, async (_, i) => {
        const slot = await limiters[i % 2]!.acquire('https://login.example.com', { waitMs: 10_000 });
        active++;
        maxActive = Math.max(maxActive, active);
        await pause(30);
        active--;
        await slot.release();
      }),
    );
    expect(maxActive).toBe(2);
  });

  it('a master restarted mid-storm (SIGKILL, AOF): no refresh token sent twice, nothing lost or regressed', async () => {
    const ids = Array.from({ length: 30 }, (_, i) => `cluster-${i}`);
    const seeder = store(await connection(), 'c4:');
    for (const id of ids) await seeder.set(storeFixtureKey(id), endpoint.authorize(id));
    endpoint.delayMs = 50;
    for (let i = 0; i < 2; i++) {
      workers.push(
        await HostWorker.start({
          redis: { cluster: servers.rootNodes },
          tokenBase: endpoint.baseUrl,
          prefix: 'c4:',
          key: KEY.toString('hex'),
          concurrency: 4,
        }),
      );
    }
    const victim = servers.nodes[1]!;
    let restarted: Promise<void> = Promise.resolve();
    let killed = false;
    endpoint.beforeReply = async () => {
      if (killed || endpoint.refreshes < 8) return;
      killed = true;
      await victim.stop('SIGKILL');
      restarted = new Promise((resolve) => setTimeout(resolve, 1_000)).then(() => victim.restart());
    };
    const during = (await Promise.all(workers.map((worker) => worker.call(ids)))).flat();
    await restarted;
    endpoint.beforeReply = undefined;
    endpoint.delayMs = 0;
    expect(killed).toBe(true);
    await servers.untilHealthy();
    // Typed and transient: the store, a lock or a turn to send a token request not there in time.
    const allowed = new Set([
      'ERR_STORE_FAILURE/unavailable',
      'ERR_STORE_FAILURE/lock_timeout',
      'ERR_TIMEOUT',
    ]);
    for (const label of Object.keys(failureCounts(during))) expect(allowed).toContain(label);

    let after: CallResult[] = [];
    for (let attempt = 0; attempt < 20; attempt++) {
      after = (await Promise.all(workers.map((worker) => worker.call(ids)))).flat();
      if (Object.keys(failureCounts(after)).length === 0) break;
      await pause(500); // the cluster client finds the node back
    }
    expect(failureCounts(after)).toEqual({});
    expect(endpoint.reused).toEqual([]);
    expect(endpoint.invalidGrants).toBe(0);
    for (const id of ids) {
      const grant = endpoint.grant(id);
      expect(grant.generation).toBe(1);
      expect(await seeder.get(storeFixtureKey(id))).toMatchObject({
        status: 'active',
        tokens: { refreshToken: grant.refreshToken },
        version: 2,
      });
    }
    console.log(
      `[cluster] master restarted mid-storm: 2 processes × ${ids.length} connections, failures while down ` +
        `${JSON.stringify(failureCounts(during))}, all refreshed exactly once, 0 refresh tokens sent twice`,
    );
  }, 120_000);
});
