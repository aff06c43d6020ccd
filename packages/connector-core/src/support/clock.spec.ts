import { ManualClock, systemClock } from './clock.js';
import { abandonOnAbort, abortedError, throwIfAborted } from './abort.js';
import { ErrorCode } from '../errors/codes.js';

describe('clocks', () => {
  it('ManualClock moves only when told, and records every sleep', async () => {
    const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1));
    clock.advance(1500);
    await clock.sleep(250);
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1) + 1750);
    expect(clock.sleeps).toEqual([250]);
    clock.set(new Date('2027-01-01T00:00:00Z'));
    expect(clock.now()).toBe(Date.UTC(2027, 0, 1));
    clock.set(5);
    expect(clock.now()).toBe(5);
    expect(new ManualClock().now()).toBe(Date.UTC(2026, 0, 1));
  });

  it('ManualClock.sleep rejects with the reason of an aborted signal and does not move', () => {
    const clock = new ManualClock(0);
    const reason = new Error('stop');
    expect(() => clock.sleep(10, AbortSignal.abort(reason))).toThrow(reason);
    expect(clock.now()).toBe(0);
    expect(clock.sleeps).toEqual([]);
  });

  it('systemClock reads Date.now and sleeps for real, abortably', async () => {
    const before = Date.now();
    expect(systemClock.now()).toBeGreaterThanOrEqual(before);
    await expect(systemClock.sleep(1)).resolves.toBeUndefined();
    const controller = new AbortController();
    const sleeping = systemClock.sleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('abort helpers', () => {
  const context = { connectorId: 'acme', connectionId: 'c-1' };

  it('abortedError is ERR_ABORTED with the reason as cause', () => {
    const reason = new DOMException('t', 'TimeoutError');
    const error = abortedError(context, reason);
    expect(error).toMatchObject({ code: ErrorCode.Aborted, connectorId: 'acme', connectionId: 'c-1' });
    expect(error.cause).toBe(reason);
  });

  it('throwIfAborted throws only for an aborted signal', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    expect(() => throwIfAborted(new AbortController().signal)).not.toThrow();
    expect(() => throwIfAborted(AbortSignal.abort(), context)).toThrow(
      expect.objectContaining({ code: ErrorCode.Aborted }),
    );
  });

  it('abandonOnAbort stops the caller waiting but lets the work finish', async () => {
    let finish!: (value: string) => void;
    const work = new Promise<string>((resolve) => (finish = resolve));
    const controller = new AbortController();
    const waiting = abandonOnAbort(work, controller.signal, context);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: ErrorCode.Aborted });
    finish('done');
    await expect(work).resolves.toBe('done');
    await expect(abandonOnAbort(work, undefined)).resolves.toBe('done');
    await expect(abandonOnAbort(work, new AbortController().signal)).resolves.toBe('done');
    await expect(abandonOnAbort(work, AbortSignal.abort())).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
  });

  it('abandonOnAbort passes failures through, wrapping non-errors', async () => {
    const signal = new AbortController().signal;
    const failure = new Error('boom');
    await expect(abandonOnAbort(Promise.reject(failure), signal)).rejects.toBe(failure);
    await expect(abandonOnAbort(Promise.reject('plain'), signal)).rejects.toThrow('plain');
  });
});
