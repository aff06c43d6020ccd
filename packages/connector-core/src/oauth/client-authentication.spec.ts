import { ErrorCode } from '../errors/codes.js';
import {
  basicAuthorization,
  clientSecretBasic,
  clientSecretPost,
  formUrlEncode,
  noClientAuthentication,
} from './client-authentication.js';

const decode = (header: string): string =>
  Buffer.from(header.replace(/^Basic /, ''), 'base64').toString('utf8');

describe('client authentication', () => {
  it('form-urlencodes as RFC 6749 §2.3.1 / Appendix B (PROVIDERS.md vector)', () => {
    expect(formUrlEncode("client %&+-_.!~*'()")).toBe('client+%25%26%2B%2D%5F%2E%21%7E%2A%27%28%29');
  });

  it('rfc6749 mode encodes id and secret before base64', () => {
    const header = basicAuthorization({ clientId: "client %&+-_.!~*'()", clientSecret: 's:e c' }, 'rfc6749');
    expect(decode(header)).toBe('client+%25%26%2B%2D%5F%2E%21%7E%2A%27%28%29:s%3Ae+c');
  });

  it('plain mode sends raw UTF-8 bytes, also for non-Latin-1 secrets', () => {
    const header = basicAuthorization({ clientId: 'id', clientSecret: '€ñ漢' }, 'plain');
    expect(header).toBe(`Basic ${Buffer.from('id:€ñ漢', 'utf8').toString('base64')}`);
    expect(header).toBe('Basic aWQ64oKsw7HmvKI=');
  });

  it('rfc6749 mode percent-encodes the UTF-8 bytes of non-ASCII characters', () => {
    expect(decode(basicAuthorization({ clientId: 'ü', clientSecret: '€' }, 'rfc6749'))).toBe(
      '%C3%BC:%E2%82%AC',
    );
  });

  it('plain mode rejects a client id containing ":"', () => {
    expect(() => basicAuthorization({ clientId: 'a:b', clientSecret: 'x' }, 'plain')).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidCredentials }),
    );
    expect(decode(basicAuthorization({ clientId: 'a:b', clientSecret: 'x' }, 'rfc6749'))).toBe('a%3Ab:x');
  });

  it('refuses Basic without a secret', () => {
    expect(() => basicAuthorization({ clientId: 'a' }, 'plain')).toThrow(
      expect.objectContaining({ code: ErrorCode.Configuration }),
    );
  });

  it('refuses ids and secrets that are not well-formed Unicode (no UTF-8 form)', () => {
    for (const encoding of ['plain', 'rfc6749'] as const) {
      expect(() => basicAuthorization({ clientId: 'id', clientSecret: 'a\uD800b' }, encoding)).toThrow(
        expect.objectContaining({ code: ErrorCode.InvalidCredentials }),
      );
      expect(() => basicAuthorization({ clientId: '\uDC00', clientSecret: 's' }, encoding)).toThrow(
        expect.objectContaining({ code: ErrorCode.InvalidCredentials }),
      );
    }
  });

  it('encodes a 200-character secret with every special character exactly', () => {
    const secret = `${'a:%+ €'.repeat(33)}xy`;
    expect(secret).toHaveLength(200);
    expect(decode(basicAuthorization({ clientId: 'id', clientSecret: secret }, 'plain'))).toBe(
      `id:${secret}`,
    );
    expect(decode(basicAuthorization({ clientId: 'id', clientSecret: secret }, 'rfc6749'))).toBe(
      `id:${'a%3A%25%2B+%E2%82%AC'.repeat(33)}xy`,
    );
  });

  it('refuses client_secret_post without a secret instead of sending an empty one', () => {
    expect(() => clientSecretPost().apply({ clientId: 'id' }, {}, new URLSearchParams())).toThrow(
      expect.objectContaining({
        code: ErrorCode.Configuration,
        message: 'POST client authentication needs the client secret.',
      }),
    );
  });

  it('declares its method and encoding', () => {
    expect(clientSecretBasic({ encoding: 'rfc6749' })).toMatchObject({
      method: 'client_secret_basic',
      encoding: 'rfc6749',
    });
    expect(clientSecretPost().method).toBe('client_secret_post');
    expect(noClientAuthentication().method).toBe('none');
    expect(Object.isFrozen(clientSecretPost())).toBe(true);
  });

  it('puts credentials in exactly one place', () => {
    const headers: Record<string, string> = { authorization: 'stale' };
    const body = new URLSearchParams({ client_id: 'stale', client_secret: 'stale' });
    clientSecretBasic({ encoding: 'plain' }).apply({ clientId: 'id', clientSecret: 'sec' }, headers, body);
    expect(headers['authorization']).toBe('Basic aWQ6c2Vj');
    expect(body.toString()).toBe('');

    const postHeaders: Record<string, string> = { authorization: 'stale' };
    const postBody = new URLSearchParams();
    clientSecretPost().apply({ clientId: 'id', clientSecret: 's e+c' }, postHeaders, postBody);
    expect(postHeaders).toEqual({});
    expect(postBody.toString()).toBe('client_id=id&client_secret=s+e%2Bc');

    const noneBody = new URLSearchParams({ client_secret: 'x' });
    noClientAuthentication().apply({ clientId: 'id', clientSecret: 'x' }, {}, noneBody);
    expect(noneBody.toString()).toBe('client_id=id');
  });
});
