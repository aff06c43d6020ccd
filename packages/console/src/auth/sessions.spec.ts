import { ManualClock } from '@aic/connector-core';
import { PendingAuthorizations } from './pending.js';
import { SessionStore, defaultSessionPolicy, type Session } from './sessions.js';

const MIN = 60_000;
const ana = { username: 'ana', via: 'password' } as const;

describe('SessionStore', () => {
  it('creates sessions with 256-bit random ids and CSRF tokens', () => {
    const store = new SessionStore(defaultSessionPolicy, new ManualClock(0));
    const a = store.create();
    const b = store.create();
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set([a.id, b.id, a.csrfToken, b.csrfToken]).size).toBe(4);
    expect(store.get(a.id)).toBe(a);
    expect(store.get('unknown')).toBeUndefined();
    expect(store.get(undefined)).toBeUndefined();
  });

  it('replaces the session on sign-in: new id and token, the old one gone', () => {
    const ended: Session[] = [];
    const store = new SessionStore(defaultSessionPolicy, new ManualClock(0), (s) => ended.push(s));
    const anonymous = store.create();
    const signedIn = store.signIn(anonymous, ana);
    expect(signedIn.id).not.toBe(anonymous.id);
    expect(signedIn.csrfToken).not.toBe(anonymous.csrfToken);
    expect(signedIn.operator).toEqual(ana);
    expect(store.get(anonymous.id)).toBeUndefined();
    expect(ended).toEqual([anonymous]);
  });

  it('ends a signed-in session after the idle time, and after the absolute time however active', () => {
    const clock = new ManualClock(0);
    const store = new SessionStore(
      { ...defaultSessionPolicy, idleMs: 30 * MIN, absoluteMs: 60 * MIN },
      clock,
    );
    const idle = store.create(ana);
    const busy = store.create(ana);
    clock.advance(29 * MIN);
    expect(store.get(busy.id)).toBe(busy);
    clock.advance(1 * MIN);
    expect(store.get(idle.id)).toBeUndefined(); // 30 min without a request
    for (let i = 0; i < 3; i++) {
      clock.advance(9 * MIN);
      expect(store.get(busy.id)).toBe(busy);
    }
    clock.advance(3 * MIN); // 60 min after sign-in
    expect(store.get(busy.id)).toBeUndefined();
  });

  it('ends an anonymous session after anonymousMs', () => {
    const clock = new ManualClock(0);
    const store = new SessionStore({ ...defaultSessionPolicy, anonymousMs: 15 * MIN }, clock);
    const anonymous = store.create();
    clock.advance(15 * MIN);
    expect(store.get(anonymous.id)).toBeUndefined();
  });

  it('holds at most maxSessions, dropping anonymous sessions before signed-in ones', () => {
    const store = new SessionStore({ ...defaultSessionPolicy, maxSessions: 3 }, new ManualClock(0));
    const first = store.create(ana);
    const anonymous = store.create();
    const second = store.create(ana);
    const third = store.create(ana);
    expect(store.size).toBe(3);
    expect(store.get(anonymous.id)).toBeUndefined();
    expect([first, second, third].every((s) => store.get(s.id) === s)).toBe(true);
    store.get(first.id); // first is now the most recently used
    store.create(ana);
    expect(store.get(second.id)).toBeUndefined();
    expect(store.get(first.id)).toBe(first);
  });

  it('compares CSRF tokens exactly', () => {
    const store = new SessionStore(defaultSessionPolicy, new ManualClock(0));
    const session = store.create();
    expect(store.csrfMatches(session, session.csrfToken)).toBe(true);
    expect(store.csrfMatches(session, `${session.csrfToken}x`)).toBe(false);
    expect(store.csrfMatches(session, '')).toBe(false);
    expect(store.csrfMatches(session, null)).toBe(false);
    expect(store.csrfMatches(session, store.create().csrfToken)).toBe(false);
  });
});

describe('PendingAuthorizations', () => {
  it('completes a state only for the session that started it, once', () => {
    const clock = new ManualClock(0);
    const pending = new PendingAuthorizations({ perSession: 3, perConnection: 5 }, clock);
    pending.bind('s1', 'hp', 'state-1', 10 * MIN);
    expect(pending.claim('s2', 'state-1')).toBeUndefined(); // another session: refused…
    expect(pending.claim(undefined, 'state-1')).toBeUndefined();
    expect(pending.claim('s1', 'state-1')).toEqual({ connectionId: 'hp', expiresAt: 10 * MIN }); // …and not consumed
    expect(pending.claim('s1', 'state-1')).toBeUndefined(); // single use
    expect(pending.pendingFor('hp')).toBe(0);
  });

  it('refuses an expired binding', () => {
    const clock = new ManualClock(0);
    const pending = new PendingAuthorizations({ perSession: 3, perConnection: 5 }, clock);
    pending.bind('s1', 'hp', 'state-1', 10 * MIN);
    clock.advance(10 * MIN);
    expect(pending.claim('s1', 'state-1')).toBeUndefined();
  });

  it('caps starts per session and per connection, saying when a slot frees up', () => {
    const clock = new ManualClock(0);
    const pending = new PendingAuthorizations({ perSession: 2, perConnection: 3 }, clock);
    pending.bind('s1', 'hp', 'a', 10 * MIN);
    clock.advance(MIN);
    pending.bind('s1', 'other', 'b', 11 * MIN);
    expect(pending.admit('s1', 'hp')).toEqual({ admitted: false, cap: 'session', retryAfterMs: 9 * MIN });
    pending.bind('s2', 'hp', 'c', 11 * MIN);
    pending.bind('s3', 'hp', 'd', 12 * MIN);
    expect(pending.admit('s4', 'hp')).toEqual({ admitted: false, cap: 'connection', retryAfterMs: 9 * MIN });
    expect(pending.admit('s4', 'other')).toEqual({ admitted: true });
    clock.advance(9 * MIN); // 'a' expires
    expect(pending.admit('s1', 'hp')).toEqual({ admitted: true });
    expect(pending.admit('s4', 'hp')).toEqual({ admitted: true });
  });

  it("keeps an ended session's entries in the connection count until they expire", () => {
    const clock = new ManualClock(0);
    const pending = new PendingAuthorizations({ perSession: 3, perConnection: 1 }, clock);
    pending.bind('s1', 'hp', 'a', 10 * MIN);
    pending.endSession('s1');
    expect(pending.claim('s1', 'a')).toBeUndefined();
    expect(pending.admit('s2', 'hp')).toMatchObject({ admitted: false, cap: 'connection' });
    clock.advance(10 * MIN);
    expect(pending.admit('s2', 'hp')).toEqual({ admitted: true });
  });
});
