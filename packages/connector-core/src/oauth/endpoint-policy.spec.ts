import { ErrorCode } from '../errors/codes.js';
import {
  allowedEndpoint,
  declaredOrigins,
  endpointPolicy,
  isInternalHost,
  strictEndpointPolicy,
} from './endpoint-policy.js';

const declared = new Set(['https://api.provider.test', 'https://auth.provider.test']);
const development = endpointPolicy({ development: true });

describe('isInternalHost', () => {
  it.each([
    'http://127.0.0.1/',
    'http://127.9.9.9/',
    'http://localhost/',
    'http://api.localhost/',
    'https://10.0.0.5/',
    'https://172.16.0.1/',
    'https://172.31.255.255/',
    'https://192.168.1.1/',
    'https://169.254.169.254/',
    'https://100.64.0.1/',
    'https://0.0.0.0/',
    'https://[::1]/',
    'https://[::]/',
    'https://[fe80::1]/',
    'https://[fd12:3456::1]/',
    'https://[::ffff:127.0.0.1]/',
    'https://[::ffff:169.254.169.254]/',
    // The URL parser normalizes these spellings of 127.0.0.1 before the check.
    'https://2130706433/',
    'https://0x7f.1/',
    'https://017700000001/',
  ])('refuses %s as internal', (url) => {
    expect(isInternalHost(new URL(url).hostname)).toBe(true);
  });

  it.each([
    'https://daas.api.hp.com/',
    'https://8.8.8.8/',
    'https://172.32.0.1/',
    'https://[2606:4700::1111]/',
    'https://localhost.example.com/',
  ])('accepts %s as public', (url) => {
    expect(isInternalHost(new URL(url).hostname)).toBe(false);
  });
});

describe('allowedEndpoint', () => {
  it('accepts an origin the connector declares, with any path', () => {
    expect(
      allowedEndpoint('https://api.provider.test/v1/x', 'apiBase', declared, strictEndpointPolicy).href,
    ).toBe('https://api.provider.test/v1/x');
  });

  it.each([
    ['https://attacker.example/token', 'https://attacker.example'],
    ['https://api.provider.test.attacker.example/', 'https://api.provider.test.attacker.example'],
    ['https://api.provider.test:8443/', 'https://api.provider.test:8443'],
  ])(
    'refuses %s, which neither the connector nor the host allows (ERR_ENDPOINT_NOT_ALLOWED)',
    (url, origin) => {
      const error = (() => {
        try {
          allowedEndpoint(url, 'token', declared, strictEndpointPolicy, {
            connectorId: 'c',
            connectionId: 'x',
          });
        } catch (caught) {
          return caught;
        }
        return undefined;
      })();
      expect(error).toMatchObject({
        code: ErrorCode.EndpointNotAllowed,
        endpoint: 'token',
        origin,
        connectorId: 'c',
        connectionId: 'x',
      });
      expect((error as { localized: { es: string } }).localized.es).toContain(
        'política de endpoints del host',
      );
      expect(JSON.stringify(error)).not.toContain('/token');
    },
  );

  it('accepts an origin the host allows', () => {
    const policy = endpointPolicy({ allowedOrigins: ['https://sandbox.provider.test'] });
    expect(allowedEndpoint('https://sandbox.provider.test/t', 'token', declared, policy).origin).toBe(
      'https://sandbox.provider.test',
    );
  });

  it.each([
    'https://169.254.169.254/latest',
    'https://10.0.0.5/token',
    'http://localhost:2375/v1',
    'https://[::1]:8443/',
  ])('refuses the internal address %s outside development mode, even when the host lists it', (url) => {
    const listed = endpointPolicy({ allowedOrigins: [new URL(url).origin] });
    expect(() => allowedEndpoint(url, 'token', declared, listed)).toThrow(
      expect.objectContaining({ code: ErrorCode.EndpointNotAllowed, origin: new URL(url).origin }),
    );
    expect(allowedEndpoint(url, 'token', declared, development).origin).toBe(new URL(url).origin);
  });

  it('keeps refusing foreign public origins in development mode', () => {
    expect(() => allowedEndpoint('https://attacker.example/', 'token', declared, development)).toThrow(
      expect.objectContaining({ code: ErrorCode.EndpointNotAllowed }),
    );
  });

  it('refuses clear-text http off loopback and user info first (ERR_INSECURE_ENDPOINT)', () => {
    for (const url of ['http://api.provider.test/', 'https://user:pass@api.provider.test/']) {
      expect(() => allowedEndpoint(url, 'apiBase', declared, development)).toThrow(
        expect.objectContaining({ code: ErrorCode.InsecureEndpoint }),
      );
    }
  });
});

describe('endpointPolicy', () => {
  it('normalizes origins and is strict by default', () => {
    expect(
      endpointPolicy({
        allowedOrigins: ['https://Sandbox.Provider.test:443', 'https://sandbox.provider.test'],
      }),
    ).toEqual({
      allowedOrigins: ['https://sandbox.provider.test'],
      development: false,
    });
    expect(strictEndpointPolicy).toEqual({ allowedOrigins: [], development: false });
  });

  it.each([
    'https://sandbox.provider.test/path',
    'https://user@sandbox.provider.test',
    'ftp://x.test',
    'not a url',
  ])('refuses %s as an allowed origin with ERR_CONFIGURATION', (origin) => {
    expect(() => endpointPolicy({ allowedOrigins: [origin] })).toThrow(
      expect.objectContaining({ code: ErrorCode.Configuration }),
    );
  });
});

describe('declaredOrigins', () => {
  it('lists every origin of every region and the extra ones, once, without the issuer', () => {
    expect(
      declaredOrigins(
        {
          us: { token: 'https://a.test/t', apiBase: 'https://a.test', issuer: 'https://issuer.test' },
          eu: {
            authorization: 'https://b.test/a',
            token: 'https://b.test/t',
            apiBase: 'https://api.b.test/v1',
          },
        },
        ['https://sandbox.test/'],
      ),
    ).toEqual(['https://a.test', 'https://b.test', 'https://api.b.test', 'https://sandbox.test']);
  });
});
