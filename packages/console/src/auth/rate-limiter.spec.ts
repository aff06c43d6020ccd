import { ManualClock } from '@aic/connector-core';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows max events per window, then says when the next one is allowed', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ max: 3, windowMs: 60_000 }, clock);
    expect(limiter.take('op')).toEqual({ allowed: true });
    clock.advance(10_000);
    expect(limiter.take('op')).toEqual({ allowed: true });
    clock.advance(10_000);
    expect(limiter.take('op')).toEqual({ allowed: true });
    clock.advance(5_000);
    expect(limiter.take('op')).toEqual({ allowed: false, retryAfterMs: 35_000 });
    // The window slides: once the first event is 60 s old, one more is allowed.
    clock.advance(35_000);
    expect(limiter.take('op')).toEqual({ allowed: true });
    expect(limiter.take('op')).toEqual({ allowed: false, retryAfterMs: 10_000 });
  });

  it('keeps keys apart', () => {
    const limiter = new RateLimiter({ max: 1, windowMs: 1000 }, new ManualClock(0));
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('check does not record; reset forgets', () => {
    const limiter = new RateLimiter({ max: 1, windowMs: 1000 }, new ManualClock(0));
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('a').allowed).toBe(true);
    limiter.record('a');
    expect(limiter.check('a').allowed).toBe(false);
    limiter.reset('a');
    expect(limiter.check('a').allowed).toBe(true);
  });

  it('holds at most maxKeys keys, dropping expired ones first, then the least recently used', () => {
    const clock = new ManualClock(0);
    const limiter = new RateLimiter({ max: 1, windowMs: 1000 }, clock, 3);
    limiter.record('old');
    clock.advance(2000);
    limiter.record('a');
    limiter.record('b');
    limiter.record('c'); // 'old' expired: dropped, the others kept
    expect(limiter.size).toBe(3);
    expect(limiter.check('a').allowed).toBe(false);
    limiter.record('d'); // none expired: the least recently used ('a') goes
    expect(limiter.size).toBe(3);
    expect(limiter.check('a').allowed).toBe(true);
    expect(limiter.check('d').allowed).toBe(false);
  });

  it('refuses a limit that could never allow anything', () => {
    expect(() => new RateLimiter({ max: 0, windowMs: 1000 }, new ManualClock(0))).toThrow(RangeError);
    expect(() => new RateLimiter({ max: 1, windowMs: 0 }, new ManualClock(0))).toThrow(RangeError);
  });
});
