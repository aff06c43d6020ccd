import { exposedTexts } from './exposed-texts.js';

const SECRET = 'kit-secret-value-0123456789';

/** The views of `value` whose text holds the secret. */
const showing = (value: unknown): string[] =>
  exposedTexts(value)
    .filter(({ text }) => text.includes(SECRET))
    .map(({ view }) => view);

describe('exposedTexts', () => {
  it('finds a secret on a non-enumerable own property that JSON and inspect do not show', () => {
    class Quiet extends Error {
      toJSON() {
        return { name: this.name };
      }
      [Symbol.for('nodejs.util.inspect.custom')]() {
        return 'Quiet {}';
      }
    }
    const error = new Quiet('failed');
    Object.defineProperty(error, 'request', {
      value: { headers: new Map([['authorization', `Basic ${SECRET}`]]) },
      enumerable: false,
    });
    expect(showing(error)).toEqual(['property request.headers.authorization']);
  });

  it('walks the cause chain, symbols, Headers, Sets, buffers and getters, and survives cycles and throwing getters', () => {
    const inner = Object.assign(new Error('inner'), { body: Buffer.from(`refresh_token=${SECRET}`) });
    const outer = new Error('outer', { cause: inner });
    const cyclic: Record<string, unknown> = { headers: new Headers({ 'x-token': SECRET }) };
    cyclic['self'] = cyclic;
    Object.defineProperty(outer, Symbol('context'), { value: cyclic, enumerable: false });
    Object.defineProperty(outer, 'lazy', { get: () => new Set([SECRET]), enumerable: false });
    Object.defineProperty(outer, 'broken', {
      get: () => {
        throw new Error('getter');
      },
    });
    expect(showing(outer).sort()).toEqual([
      'property [context].headers.x-token',
      'property cause.body',
      'property lazy.(item)',
      'util.inspect',
    ]);
  });

  it('shows an error message and stack, and a plain value through JSON and inspect', () => {
    expect(showing(new Error(`bad ${SECRET}`))).toEqual(['message', 'stack', 'util.inspect']);
    expect(showing({ token: SECRET })).toEqual(['JSON.stringify', 'util.inspect', 'property token']);
    expect(showing(SECRET)).toEqual(['JSON.stringify', 'util.inspect', 'property (value)']);
    expect(showing(undefined)).toEqual([]);
  });
});
