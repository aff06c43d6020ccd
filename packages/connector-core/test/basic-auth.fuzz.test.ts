/**
 * Properties of `client_secret_basic` (RFC 6749 §2.3.1, RFC 7617 with UTF-8):
 *
 * - `rfc6749` mode round-trips ANY Unicode id and secret: base64-decode, split on the single
 *   `:`, `+` → space, percent-decode gives back exactly what was configured;
 * - `plain` mode round-trips any id without `:` and refuses one with `:` (typed error);
 * - a lone surrogate (UTF-16 text that is not Unicode, so has no UTF-8 form) is refused in both
 *   modes with `ERR_INVALID_CREDENTIALS` — never a `URIError`, never silently sent as U+FFFD.
 */
import fc from 'fast-check';
import { ErrorCode } from '../src/errors/codes.js';
import { ConnectorError } from '../src/errors/connector-error.js';
import { basicAuthorization, type BasicEncoding } from '../src/oauth/client-authentication.js';
import { scanValue } from '../../../test/leak-scan.js';
import { Figures } from './support/figures.js';
import { checkProperty } from './support/fuzz.js';

const figures = new Figures('basic-auth-fuzz');
afterAll(() => figures.report());

/** Multi-code-point graphemes and characters that trip encoders. */
const TRICKY = [
  'e\u0301',
  '👩‍👩‍👧',
  '🇨🇴',
  'ñ',
  '€',
  'Ü',
  '漢',
  ' ',
  '+',
  '%',
  ':',
  '&',
  '=',
  '\u0000',
  '\u00a0',
  '\ufeff',
];

/** Any Unicode text: code points over the full range (sans surrogate halves), or tricky sequences. */
const unicode = (minLength = 0) =>
  fc.oneof(
    fc.string({ unit: 'binary', minLength, maxLength: 40 }),
    fc.string({ unit: fc.constantFrom(...TRICKY), minLength, maxLength: 12 }),
  );

const decodePair = (header: string): string => {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]*={0,2}$/);
  return Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
};

const formDecode = (value: string): string => decodeURIComponent(value.replace(/\+/g, ' '));

it('rfc6749: any Unicode id and secret round-trip through the header', () => {
  checkProperty(
    figures,
    'Basic rfc6749 round trip',
    fc.property(unicode(), unicode(1), (clientId, clientSecret) => {
      const pair = decodePair(basicAuthorization({ clientId, clientSecret }, 'rfc6749'));
      const parts = pair.split(':');
      expect(parts).toHaveLength(2);
      expect(parts.map(formDecode)).toEqual([clientId, clientSecret]);
      expect(pair).toMatch(/^[A-Za-z0-9%+]*:[A-Za-z0-9%+]+$/);
    }),
  );
});

it('plain: any id without “:” round-trips; an id with “:” is refused', () => {
  checkProperty(
    figures,
    'Basic plain round trip',
    fc.property(unicode(), unicode(1), (clientId, clientSecret) => {
      let header: string;
      try {
        header = basicAuthorization({ clientId, clientSecret }, 'plain');
      } catch (error) {
        expect(clientId.includes(':')).toBe(true);
        expect(error).toMatchObject({ code: ErrorCode.InvalidCredentials });
        return;
      }
      const pair = decodePair(header);
      const at = pair.indexOf(':');
      expect([pair.slice(0, at), pair.slice(at + 1)]).toEqual([clientId, clientSecret]);
    }),
  );
});

/** Text with at least one unpaired surrogate somewhere. */
const loneSurrogate = fc
  .tuple(
    fc.string({ unit: 'binary', maxLength: 10 }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.string({ unit: 'binary', maxLength: 10 }),
  )
  .map(([before, unit, after]) => `${before}${String.fromCharCode(unit)}${after}`)
  .filter((value) => !value.isWellFormed());

it('a lone surrogate in id or secret is refused with ERR_INVALID_CREDENTIALS in both modes, unechoed', () => {
  checkProperty(
    figures,
    'Basic lone surrogate refused',
    fc.property(
      loneSurrogate,
      unicode(12),
      fc.boolean(),
      fc.constantFrom<BasicEncoding>('rfc6749', 'plain'),
      (broken, other, brokenIsSecret, encoding) => {
        const client = brokenIsSecret
          ? { clientId: other.replace(/:/g, ''), clientSecret: broken }
          : { clientId: broken.replace(/:/g, ''), clientSecret: other };
        let caught: unknown;
        try {
          basicAuthorization(client, encoding);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ConnectorError);
        expect((caught as ConnectorError).code).toBe(ErrorCode.InvalidCredentials);
        const secret = client.clientSecret;
        expect(scanValue(caught, secret.length >= 12 ? [{ value: secret, label: 'secret' }] : [])).toEqual(
          [],
        );
      },
    ),
  );
});
