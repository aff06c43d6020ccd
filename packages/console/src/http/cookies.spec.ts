import { parseCookies, serializeCookie } from './cookies.js';

describe('parseCookies', () => {
  it('reads name=value pairs, trims, unquotes, and keeps the first of a repeated name', () => {
    const cookies = parseCookies(' a=1; b="two" ; a=3; broken; =x; c=');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['b', 'two'],
      ['c', ''],
    ]);
    expect(parseCookies(undefined).size).toBe(0);
  });
});

describe('serializeCookie', () => {
  it('writes the attributes in a fixed order', () => {
    expect(
      serializeCookie('__Host-s', 'abc_-', {
        httpOnly: true,
        secure: true,
        sameSite: 'Lax',
        maxAgeSeconds: 60.9,
      }),
    ).toBe('__Host-s=abc_-; Path=/; Max-Age=60; HttpOnly; Secure; SameSite=Lax');
    expect(serializeCookie('lang', 'en')).toBe('lang=en; Path=/; SameSite=Lax');
  });

  it('refuses characters that would break the header', () => {
    expect(() => serializeCookie('a', 'x; Domain=evil')).toThrow(TypeError);
    expect(() => serializeCookie('a b', 'x')).toThrow(TypeError);
  });
});
