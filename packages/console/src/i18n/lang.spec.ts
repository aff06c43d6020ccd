import { negotiateLang } from './lang.js';

describe('negotiateLang', () => {
  it.each([
    [undefined, undefined, 'es'],
    ['en-US,en;q=0.9', undefined, 'en'],
    ['es-CO,es;q=0.9,en;q=0.8', undefined, 'es'],
    ['fr-FR, en;q=0.5, es;q=0.7', undefined, 'es'],
    ['fr, en;q=0.5', undefined, 'en'],
    ['en;q=0, es;q=0.1', undefined, 'es'],
    ['EN-gb', undefined, 'en'],
    ['de, fr', undefined, 'es'],
    ['en-US', 'es', 'es'],
    ['es', 'en', 'en'],
    ['es', 'fr', 'es'],
  ])('Accept-Language %j with cookie %j is %s', (header, cookie, expected) => {
    expect(negotiateLang(header, cookie)).toBe(expected);
  });
});
