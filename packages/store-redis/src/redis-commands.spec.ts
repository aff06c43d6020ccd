import { hashFields, replyArray, replyText } from './redis-commands.js';

describe('Redis replies', () => {
  it('reads a hash from RESP2 (flat array), RESP3 (object) and Map replies alike', () => {
    const expected = new Map([
      ['r', 'x'],
      ['v', '2'],
    ]);
    expect(hashFields(['r', 'x', 'v', Buffer.from('2')])).toEqual(expected);
    expect(hashFields({ r: 'x', v: '2' })).toEqual(expected);
    expect(
      hashFields(
        new Map<string, unknown>([
          ['r', 'x'],
          ['v', 2],
        ]),
      ),
    ).toEqual(expected);
    expect(hashFields(null)).toEqual(new Map());
    expect(hashFields([])).toEqual(new Map());
  });

  it('reads bulk strings and arrays', () => {
    expect(replyText(null)).toBeNull();
    expect(replyText(undefined)).toBeNull();
    expect(replyText(Buffer.from('a'))).toBe('a');
    expect(replyText(3)).toBe('3');
    expect(replyArray('x')).toEqual([]);
    expect(replyArray([1])).toEqual([1]);
  });
});
