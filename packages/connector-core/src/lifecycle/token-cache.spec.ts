import { inspect } from 'node:util';
import { CachedToken, TokenCache } from './token-cache.js';

const origins = { token: 'https://auth.test', apiBase: 'https://api.test' };
const entry = (accessToken: string, refreshAt = 1_000): CachedToken =>
  new CachedToken(accessToken, refreshAt + 60_000, refreshAt, origins);

describe('CachedToken', () => {
  it('is the access token callers get: frozen, Bearer, nothing of the cache visible', async () => {
    const token = entry('AT-visible');
    expect(Object.isFrozen(token)).toBe(true);
    expect(token.tokenType).toBe('Bearer');
    expect(JSON.parse(JSON.stringify(token))).toEqual({
      accessToken: 'AT-visible',
      tokenType: 'Bearer',
      expiresAt: 61_000,
    });
    expect(inspect(token)).not.toContain('apiBase');
    expect(token.resolved).toBe(token.resolved);
    await expect(token.resolved).resolves.toBe(token);
  });
});

describe('TokenCache', () => {
  it('hits a fresh entry bound to the same origins only', () => {
    const cache = new TokenCache(10);
    cache.set('a', entry('AT-a'));
    expect(cache.hit('a', 999, origins)?.accessToken).toBe('AT-a');
    expect(cache.hit('a', 1_000, origins)).toBeUndefined();
    expect(cache.hit('a', 0, { ...origins, apiBase: 'https://elsewhere.test' })).toBeUndefined();
    expect(cache.hit('a', 0, { ...origins, token: 'https://elsewhere.test' })).toBeUndefined();
    expect(cache.hit('b', 0, origins)).toBeUndefined();
  });

  it('evicts the least recently used entry past its capacity (CLOCK second chance)', () => {
    const cache = new TokenCache(3);
    for (const key of ['a', 'b', 'c']) cache.set(key, entry(`AT-${key}`));
    cache.hit('a', 0, origins); // a is used: it gets a second chance
    cache.set('d', entry('AT-d')); // b, the oldest unused, goes
    expect(['a', 'b', 'c', 'd'].map((key) => cache.hit(key, 0, origins) !== undefined)).toEqual([
      true,
      false,
      true,
      true,
    ]);
    expect(cache.size).toBe(3);
    cache.set('e', entry('AT-e'));
    expect(cache.size).toBe(3);
    cache.delete('e');
    expect(cache.hit('e', 0, origins)).toBeUndefined();
  });

  it('replacing an entry does not count twice against the capacity', () => {
    const cache = new TokenCache(2);
    cache.set('a', entry('AT-1'));
    cache.set('a', entry('AT-2'));
    cache.set('b', entry('AT-b'));
    expect(cache.size).toBe(2);
    expect(cache.hit('a', 0, origins)?.accessToken).toBe('AT-2');
  });
});
