import { REDACTED_PASSWORD, UNPARSED_URL, redactUrl, redactUrlsIn } from './redact-url.js';

describe('redactUrl (WHATWG URL parsing, never patterns)', () => {
  it.each([
    ['redis://operator:p@ss-w0rd@127.0.0.1:6379', 'redis://operator:***@127.0.0.1:6379'],
    ['redis://:p@ss:w@rd@[::1]:6380/2', 'redis://:***@[::1]:6380/2'],
    ['rediss://operator@cache.example:6380', 'rediss://operator@cache.example:6380'],
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['https://u:p%40ss@example.com/x?y=1', 'https://u:***@example.com/x?y=1'],
  ])('%s → %s', (input, expected) => {
    expect(redactUrl(input)).toBe(expected);
  });

  it('never echoes text it cannot parse', () => {
    expect(redactUrl('redis://u:secret@host:99999')).toBe(UNPARSED_URL);
    expect(REDACTED_PASSWORD).toBe('***');
  });
});

describe('redactUrlsIn (free text)', () => {
  it('removes the password of every URL, keeping punctuation and spacing around it', () => {
    expect(redactUrlsIn('lost (redis://a:p@ss@h1:1), then «rediss://b:q@h2/0».\nretry redis://h3:3')).toBe(
      'lost (redis://a:***@h1:1), then «rediss://b:***@h2/0».\nretry redis://h3:3',
    );
  });

  it('drops a URL-like word that does not parse but may hold userinfo', () => {
    expect(redactUrlsIn('at redis://u:secret@h:99999 and http://[::1 done')).toBe(
      `at ${UNPARSED_URL} and http://[::1 done`,
    );
  });

  it('leaves text without URLs alone', () => {
    expect(redactUrlsIn('a@b c://')).toBe('a@b c://');
    expect(redactUrlsIn('')).toBe('');
  });
});
