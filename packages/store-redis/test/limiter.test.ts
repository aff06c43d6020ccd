import { ErrorCode, type TokenRequestSlot } from '@aic/connector-core';
import {
  RedisTokenRequestLimiter,
  type RedisConnection,
  type RedisTokenRequestLimiterOptions,
} from '../src/index.js';
import { pause, useStandalone } from './standalone.js';

const h = useStandalone();
const ORIGIN = 'https://login.example.com';
const limiters: RedisTokenRequestLimiter[] = [];

afterEach(async () => {
  await Promise.all(limiters.splice(0).map((limiter) => limiter.close()));
});

function limiter(
  on: RedisConnection,
  options: RedisTokenRequestLimiterOptions = {},
): RedisTokenRequestLimiter {
  const created = new RedisTokenRequestLimiter(on, {
    keyPrefix: h.prefix,
    jitterMs: 0,
    heartbeatMs: 60_000, // out of the way unless a test is about it
    aliveMs: 120_000,
    ...options,
  });
  limiters.push(created);
  return created;
}

describe('RedisTokenRequestLimiter', () => {
  it('bounds token requests in flight across processes, first come first served, two commands per request', async () => {
    const connections = [await h.connection(), await h.connection()];
    const [a, b] = connections.map((connection) => limiter(connection, { concurrency: 3 }));
    let active = 0;
    let maxActive = 0;
    const granted: string[] = [];
    const request = async (name: string, on: RedisTokenRequestLimiter) => {
      const slot = await on.acquire(ORIGIN, { waitMs: 10_000 });
      granted.push(name);
      active++;
      maxActive = Math.max(maxActive, active);
      await pause(40);
      active--;
      await slot.release();
    };
    const runs: Promise<void>[] = [];
    for (let i = 0; i < 12; i++) {
      runs.push(request(`r${i}`, i % 2 === 0 ? a! : b!));
      await pause(2); // queued in this order
    }
    await Promise.all(runs);
    expect(maxActive).toBe(3);
    // First come, first served within each process (across two processes, arrival order at Redis
    // and delivery of grants on two connections may interleave).
    for (const parity of [0, 1]) {
      const mine = granted.filter((name) => Number(name.slice(1)) % 2 === parity);
      expect(mine).toEqual([...mine].sort((x, y) => Number(x.slice(1)) - Number(y.slice(1))));
    }
    expect(granted.slice().sort()).toEqual(Array.from({ length: 12 }, (_, i) => `r${i}`).sort());
    // Besides the subscription and the first loading of each script (EVAL after NOSCRIPT):
    const sent = connections
      .flatMap((connection) => connection.sent)
      .filter((name) => name !== 'SSUBSCRIBE' && name !== 'EVAL');
    expect(sent.filter((name) => name === 'LIMIT_ACQUIRE')).toHaveLength(12);
    expect(sent.filter((name) => name === 'LIMIT_RELEASE')).toHaveLength(12);
    expect(sent).toHaveLength(24);
    expect(a!.load(ORIGIN)).toEqual({ active: 0, waiting: 0 });
  });

  it('keeps origins apart', async () => {
    const one = limiter(await h.connection(), { concurrency: 1 });
    const first = await one.acquire(ORIGIN, { waitMs: 1_000 });
    const other = await one.acquire('https://other.example.com', { waitMs: 100 });
    await other.release();
    await first.release();
  });

  it('a waiter gives up with ERR_TIMEOUT or ERR_ABORTED and leaves the queue; the slot goes to the next', async () => {
    const one = limiter(await h.connection(), { concurrency: 1 });
    const held = await one.acquire(ORIGIN, { waitMs: 1_000 });
    await expect(one.acquire(ORIGIN, { waitMs: 100 })).rejects.toMatchObject({ code: ErrorCode.Timeout });
    const controller = new AbortController();
    const aborted = one.acquire(ORIGIN, { waitMs: 10_000, signal: controller.signal });
    const next = one.acquire(ORIGIN, { waitMs: 10_000 });
    await pause(30);
    controller.abort(new Error('caller left'));
    await expect(aborted).rejects.toMatchObject({ code: ErrorCode.Aborted });
    await held.release();
    const slot: TokenRequestSlot = await next;
    await slot.release();
    expect(one.load(ORIGIN)).toEqual({ active: 0, waiting: 0 });
  });

  it('the slots of a process that stopped answering go to the queue once it counts as gone', async () => {
    const dead = limiter(await h.connection(), { concurrency: 1, heartbeatMs: 100, aliveMs: 400 });
    await dead.acquire(ORIGIN, { waitMs: 1_000 }); // never released: the process "crashes"
    await dead.close(); // no more heartbeats
    const alive = limiter(await h.connection(), { concurrency: 1, heartbeatMs: 100, aliveMs: 400 });
    const started = Date.now();
    const slot = await alive.acquire(ORIGIN, { waitMs: 5_000 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(1_500);
    await slot.release();
  });

  it('a live holder keeps its slot past aliveMs through its heartbeat', async () => {
    const one = limiter(await h.connection(), { concurrency: 1, heartbeatMs: 100, aliveMs: 300 });
    const held = await one.acquire(ORIGIN, { waitMs: 1_000 });
    await pause(700);
    await expect(
      limiter(await h.connection(), { concurrency: 1 }).acquire(ORIGIN, { waitMs: 200 }),
    ).rejects.toMatchObject({
      code: ErrorCode.Timeout,
    });
    await held.release();
  });

  it('a grant lost while the subscriber was down is found once it reconnects', async () => {
    const connection = await h.connection();
    const one = limiter(connection, { concurrency: 1 });
    const held = await one.acquire(ORIGIN, { waitMs: 1_000 });
    const waiting = one.acquire(ORIGIN, { waitMs: 5_000 });
    await pause(30);
    connection.deaf = true;
    await held.release();
    await pause(50);
    expect(one.load(ORIGIN)).toEqual({ active: 0, waiting: 1 });
    connection.deaf = false;
    connection.reconnected();
    const slot = await waiting;
    expect(connection.sent.filter((name) => name === 'LIMIT_CHECK')).toHaveLength(1);
    await slot.release();
  });
});
