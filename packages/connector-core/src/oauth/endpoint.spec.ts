import { ErrorCode } from '../errors/codes.js';
import { isLoopbackHost, isSecureEndpoint, secureEndpoint } from './endpoint.js';

describe('endpoint security', () => {
  it.each(['localhost', '127.0.0.1', '127.10.20.30', '[::1]'])('%s is loopback', (host) =>
    expect(isLoopbackHost(host)).toBe(true),
  );
  it.each(['example.com', '128.0.0.1', '127.0.0.1.nip.io', 'localhost.evil.com', '0.0.0.0', '[::2]'])(
    '%s is not loopback',
    (host) => expect(isLoopbackHost(host)).toBe(false),
  );

  it.each([
    ['https://auth.example.com/token', true],
    ['https://auth.example.com:8443/token', true],
    ['http://localhost:3000/callback', true],
    ['http://127.0.0.1/callback', true],
    ['http://[::1]:8080/cb', true],
    ['http://auth.example.com/token', false],
    ['http://localhost.evil.com/token', false],
    ['ftp://auth.example.com/token', false],
    ['https://user:pass@auth.example.com/token', false],
    ['https://user@auth.example.com/token', false],
    ['not a url', false],
    ['/relative/path', false],
  ])('isSecureEndpoint(%s) is %s', (url, secure) => {
    expect(isSecureEndpoint(url)).toBe(secure);
  });

  it('accepts URL objects', () => {
    expect(isSecureEndpoint(new URL('https://a.test'))).toBe(true);
    expect(isSecureEndpoint(new URL('http://a.test'))).toBe(false);
  });

  it('secureEndpoint parses good endpoints and refuses the rest with ERR_INSECURE_ENDPOINT', () => {
    expect(secureEndpoint('https://auth.example.com/token?x=1', 'token').href).toBe(
      'https://auth.example.com/token?x=1',
    );
    expect(() =>
      secureEndpoint('http://auth.example.com/token', 'token', { connectorId: 'acme', connectionId: 'c' }),
    ).toThrow(
      expect.objectContaining({
        code: ErrorCode.InsecureEndpoint,
        connectorId: 'acme',
        connectionId: 'c',
        localized: {
          es: 'El endpoint «token» debe ser una URL https (http solo en loopback) sin usuario ni contraseña.',
          en: 'The “token” endpoint must be an https URL (http on loopback only) without user info.',
        },
      }),
    );
  });
});
