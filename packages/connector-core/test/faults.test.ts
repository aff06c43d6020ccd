/**
 * Injected transport faults on a real loopback socket: resets, truncated JSON, missing headers,
 * stalled bodies, 429 bursts, a token endpoint down for a long stretch. Every fault ends in a
 * token or a typed error, within the retry policy's bounds, with the store intact.
 *
 * Backoff runs on a `ManualClock` (its sleeps are recorded, not waited); only undici's socket
 * timeouts take real time.
 */
import { ErrorCode } from '../src/errors/codes.js';
import { connectionKey } from '../src/stores/connection-record.js';
import { expectNoSecrets } from '../../../test/secrets.js';
import { Figures } from './support/figures.js';
import { FaultServer, closedPort, faults } from './support/fault-server.js';
import {
  IMPORTED_REFRESH_TOKEN,
  faultHarness,
  tokenAnswer,
  type FaultHarness,
} from './support/fault-harness.js';

const figures = new Figures('faults');
const KEY = connectionKey('fixture', 'conn-fault');
const REFRESH_BODY = `grant_type=refresh_token&refresh_token=${IMPORTED_REFRESH_TOKEN}`;

let server: FaultServer;
let h: FaultHarness;

beforeEach(async () => {
  server = await FaultServer.start();
  h = faultHarness(`http://127.0.0.1:${server.port}`);
});
afterEach(async () => {
  await h.close();
  await server.close();
});
afterAll(() => figures.report());

/** The outcome of one `getAccessToken`, as a value. */
const attempt = (harness: FaultHarness = h) =>
  harness.connector.getAccessToken(harness.connection).then(
    (token) => ({ token: token.accessToken }),
    (error: unknown) => {
      expectNoSecrets(error, 'the error');
      return { error: error as { code: string; [key: string]: unknown } };
    },
  );

/** Counts a fault as survived once its scenario's assertions passed. */
const survived = (name: string, injected: number): void => {
  figures.add(`faults injected: ${name}`, injected);
  figures.add('faults survived', injected);
};

describe('connection reset during the token response', () => {
  it('retries with the same request and stores the token of the next answer', async () => {
    server.script([faults.resetMidBody('{"access_token":"AT-fau'), faults.reply(200, tokenAnswer(1))]);
    expect(await attempt()).toEqual({ token: 'AT-fault-1-b71f' });
    expect(server.requests.map((r) => r.body)).toEqual([REFRESH_BODY, REFRESH_BODY]);
    expect(h.clock.sleeps).toEqual([50]);
    expect((await h.store.get(KEY))?.tokens?.refreshToken).toBe('RT-fault-1-9e2c');
    survived('reset mid-body', 1);
  });

  it('gives ERR_PROVIDER_UNAVAILABLE after the policy’s 3 attempts when every answer is cut', async () => {
    server.always(faults.resetMidBody('{"access_token":"AT-fau'));
    const outcome = await attempt();
    expect(outcome).toMatchObject({ error: { code: ErrorCode.ProviderUnavailable } });
    expect(server.requests).toHaveLength(3);
    expect(h.clock.sleeps).toEqual([50, 100]);
    expect(await h.store.get(KEY)).toBeUndefined();
    survived('reset mid-body', 3);
  });

  it('treats a body shorter than its content-length as a transport failure and retries', async () => {
    server.script([faults.shortBody('{"access_token":'), faults.reply(200, tokenAnswer(2))]);
    expect(await attempt()).toEqual({ token: 'AT-fault-2-b71f' });
    expect(server.requests).toHaveLength(2);
    survived('short body', 1);
  });
});

describe('truncated JSON with a correct content type', () => {
  it('is ERR_INVALID_PROVIDER_RESPONSE at once (not retried), showing neither body nor token', async () => {
    const truncated = '{"access_token":"AT-truncated-77aa01","token_type":"Bearer","expires_in":36';
    server.script([faults.truncatedJson(truncated)]);
    const outcome = await attempt();
    expect(outcome).toMatchObject({
      error: { code: ErrorCode.InvalidProviderResponse, status: 200, contentType: 'application/json' },
    });
    expect(JSON.stringify(outcome)).not.toContain('AT-truncated');
    expect(server.requests).toHaveLength(1);
    expect(h.clock.sleeps).toEqual([]);
    survived('truncated JSON', 1);
  });
});

describe('headers that never arrive', () => {
  it('times each attempt out (headersTimeout 200 ms), retries, then ERR_PROVIDER_UNAVAILABLE', async () => {
    server.always(faults.silence());
    const started = performance.now();
    const outcome = await attempt();
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({ error: { code: ErrorCode.ProviderUnavailable } });
    expect(server.requests).toHaveLength(3);
    expect(h.clock.sleeps).toEqual([50, 100]);
    // 3 attempts × 200 ms of real socket time; the bound only catches a hang, not a speed claim.
    expect(elapsed).toBeLessThan(3 * 200 + 5_000);
    figures.add('headers timeout: real ms for 3 attempts', Math.round(elapsed));
    survived('headers never arrive', 3);
  });

  it('recovers when the provider answers again', async () => {
    server.script([faults.silence(), faults.reply(200, tokenAnswer(3))]);
    expect(await attempt()).toEqual({ token: 'AT-fault-3-b71f' });
    survived('headers never arrive', 1);
  });

  it('also bounds a body that stalls after the headers (bodyTimeout)', async () => {
    const policy = { maxAttempts: 2, baseDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 5000 };
    const stalled = faultHarness(`http://127.0.0.1:${server.port}`, { retry: policy });
    server.always(faults.stallBody('{"access_token":'));
    try {
      expect(await attempt(stalled)).toMatchObject({ error: { code: ErrorCode.ProviderUnavailable } });
      expect(server.requests).toHaveLength(2);
      expect(stalled.clock.sleeps).toEqual([50]);
    } finally {
      await stalled.close();
    }
    survived('stalled body', 2);
  });
});

describe('429 bursts with Retry-After', () => {
  const tooMany = (retryAfter: string) =>
    faults.reply(429, { error: 'slow_down' }, { 'retry-after': retryAfter });

  it('sleeps at least Retry-After between attempts and succeeds after the burst', async () => {
    server.script([tooMany('1'), tooMany('1'), faults.reply(200, tokenAnswer(4))]);
    expect(await attempt()).toEqual({ token: 'AT-fault-4-b71f' });
    expect(h.clock.sleeps).toEqual([1000, 1000]);
    expect(server.requests).toHaveLength(3);
    survived('429 burst', 2);
  });

  it('serves 25 concurrent callers from one flight through the burst', async () => {
    server.script([tooMany('1'), faults.reply(200, tokenAnswer(5))]);
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => attempt()));
    expect(new Set(outcomes.map((o) => JSON.stringify(o)))).toEqual(new Set(['{"token":"AT-fault-5-b71f"}']));
    expect(server.requests).toHaveLength(2);
    survived('429 burst', 1);
  });

  it('honours an HTTP-date Retry-After', async () => {
    const at = new Date(h.clock.now() + 1000).toUTCString();
    server.script([tooMany(at), faults.reply(200, tokenAnswer(6))]);
    expect(await attempt()).toEqual({ token: 'AT-fault-6-b71f' });
    expect(h.clock.sleeps).toEqual([1000]);
    survived('429 burst', 1);
  });

  it('gives ERR_RATE_LIMITED with retryAfterMs when the burst outlasts the attempts', async () => {
    server.always(tooMany('1'));
    expect(await attempt()).toMatchObject({ error: { code: ErrorCode.RateLimited, retryAfterMs: 1000 } });
    expect(server.requests).toHaveLength(3);
    expect(h.clock.sleeps).toEqual([1000, 1000]);
    survived('429 burst', 3);
  });

  it('fails at once, without sleeping, when Retry-After exceeds the backoff cap', async () => {
    server.always(tooMany('120'));
    expect(await attempt()).toMatchObject({ error: { code: ErrorCode.RateLimited, retryAfterMs: 120_000 } });
    expect(server.requests).toHaveLength(1);
    expect(h.clock.sleeps).toEqual([]);
    survived('429 burst', 1);
  });
});

describe('token endpoint down for a long stretch', () => {
  it('connection refused: typed error after exactly maxAttempts, sleeps within the budget', async () => {
    const down = faultHarness(`http://127.0.0.1:${await closedPort()}`);
    try {
      const outcome = await attempt(down);
      expect(outcome).toMatchObject({ error: { code: ErrorCode.ProviderUnavailable } });
      expect(down.retries()).toBe(2);
      expect(down.clock.sleeps).toEqual([50, 100]);
      survived('connection refused', 3);
    } finally {
      await down.close();
    }
  });

  it('an hour of calls while down: every call bounded, no hot loop, then recovery', async () => {
    server.always(faults.drop());
    for (let minute = 0; minute < 60; minute++) {
      const before = server.requests.length;
      expect(await attempt()).toMatchObject({ error: { code: ErrorCode.ProviderUnavailable } });
      expect(server.requests.length - before).toBe(3);
      h.clock.advance(60_000);
    }
    expect(server.requests).toHaveLength(180);
    expect(h.clock.sleeps.reduce((a, b) => a + b, 0)).toBe(60 * 150);
    expect(await h.store.get(KEY)).toBeUndefined();
    server.always(faults.reply(200, tokenAnswer(7)));
    expect(await attempt()).toEqual({ token: 'AT-fault-7-b71f' });
    expect((await h.store.get(KEY))?.tokens?.refreshToken).toBe('RT-fault-7-9e2c');
    survived('endpoint down (dropped connections)', 180);
  });

  it('core’s default policy: 4 attempts, total sleep under its 15 s budget, even with zero jitter', async () => {
    for (const random of [() => 0, () => 0.999]) {
      const before = server.requests.length;
      const d = faultHarness(`http://127.0.0.1:${server.port}`, { retry: 'default', random });
      server.always(faults.drop());
      try {
        expect(await attempt(d)).toMatchObject({ error: { code: ErrorCode.ProviderUnavailable } });
        expect(server.requests.length - before).toBe(4);
        expect(d.clock.sleeps).toHaveLength(3);
        expect(d.clock.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(15_000);
      } finally {
        await d.close();
      }
    }
    survived('endpoint down (dropped connections)', 8);
  });
});
