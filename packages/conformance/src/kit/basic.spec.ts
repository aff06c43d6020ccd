import { basicPair, diagnoseBasicHeader, expectedBasicHeader, rfc6749FormEncode } from './basic.js';

const b64 = (text: string, encoding: BufferEncoding = 'utf8'): string =>
  `Basic ${Buffer.from(text, encoding).toString('base64')}`;

describe('the Basic oracle', () => {
  it('encodes the RFC 6749 §2.3.1 vector of PROVIDERS.md', () => {
    expect(rfc6749FormEncode("client %&+-_.!~*'()")).toBe('client+%25%26%2B%2D%5F%2E%21%7E%2A%27%28%29');
  });

  it('form-encodes the UTF-8 bytes of non-ASCII characters', () => {
    expect(rfc6749FormEncode('ü€🔐')).toBe('%C3%BC%E2%82%AC%F0%9F%94%90');
    expect(rfc6749FormEncode('a:b')).toBe('a%3Ab');
  });

  it('builds the exact header for each mode', () => {
    expect(basicPair('id:x', 's e', 'rfc6749')).toBe('id%3Ax:s+e');
    expect(basicPair('id', 's:e', 'plain')).toBe('id:s:e');
    expect(expectedBasicHeader('Aladdin', 'open sesame', 'plain')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
    expect(expectedBasicHeader('id', '€', 'plain')).toBe('Basic aWQ64oKs');
    expect(expectedBasicHeader('id', '€', 'rfc6749')).toBe(b64('id:%E2%82%AC'));
  });

  it('names the encoding a wrong header holds, without showing the secret', () => {
    const id = 'clïent';
    const secret = 'kit-€-secret';
    const cases: [string, string][] = [
      [b64(`${id}:${secret}`, 'latin1'), 'Latin-1 bytes instead of UTF-8 (plain pair)'],
      [
        b64(`${rfc6749FormEncode(rfc6749FormEncode(id))}:${rfc6749FormEncode(rfc6749FormEncode(secret))}`),
        'double encoding',
      ],
      [
        b64(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`),
        'encodeURIComponent instead of form encoding',
      ],
      [expectedBasicHeader(id, secret, 'plain'), 'the plain encoding'],
      [expectedBasicHeader(id, secret, 'rfc6749'), 'the rfc6749 encoding'],
    ];
    for (const [header, name] of cases) {
      const diagnosis = diagnoseBasicHeader(header, id, secret);
      expect(diagnosis).toContain(name);
      expect(diagnosis).not.toContain(secret);
    }
    expect(diagnoseBasicHeader(undefined, id, secret)).toBe('there is no Authorization header');
    expect(diagnoseBasicHeader('Bearer abc', id, secret)).toBe(
      'the Authorization header is not "Basic <base64>"',
    );
    expect(diagnoseBasicHeader(b64(`${id}:other`), id, secret)).toBe(
      'the header matches no known encoding (13 bytes; its user part is the raw client id)',
    );
  });
});
