import { ErrorCode } from '../errors/codes.js';
import { AuthorizationDeniedError, InvalidCallbackError } from '../errors/errors.js';
import { checkIssuer, parseCallback } from './callback.js';

const context = { connectorId: 'acme', connectionId: 'c-1' };

describe('parseCallback (RFC 6749 §4.1.2)', () => {
  it.each([
    ['a callback URL', 'https://aic.test/callback?code=c%2B1&state=s-1'],
    ['a URL object', new URL('https://aic.test/callback?code=c%2B1&state=s-1')],
    ['a query string', '?code=c%2B1&state=s-1'],
    ['a query without "?"', '  code=c%2B1&state=s-1 '],
    ['URLSearchParams', new URLSearchParams({ code: 'c+1', state: 's-1' })],
    ['a parameter record', { code: 'c+1', state: 's-1', session_state: undefined }],
    ['a record of arrays', { code: ['c+1'], state: ['s-1'] }],
  ])('reads %s', (_, input) => {
    expect(parseCallback(input, context)).toEqual({ kind: 'code', code: 'c+1', state: 's-1' });
  });

  it('ignores unknown parameters, even repeated ones', () => {
    expect(parseCallback('?code=c&state=s&x=1&x=2')).toEqual({ kind: 'code', code: 'c', state: 's' });
  });

  it.each(['code', 'state', 'error', 'error_description', 'error_uri', 'iss'])(
    'refuses a duplicated %s (RFC 6749 §3.1)',
    (name) => {
      const params = new URLSearchParams({ code: 'c', state: 's' });
      params.append(name, 'one');
      params.append(name, 'two');
      expect(() => parseCallback(params, context)).toThrow(
        expect.objectContaining({
          code: ErrorCode.InvalidCallback,
          connectionId: 'c-1',
          message: `The “${name}” parameter appears more than once in the callback.`,
        }),
      );
    },
  );

  it('refuses duplicated parameters given as a record of arrays', () => {
    expect(() => parseCallback({ code: 'c', state: ['s1', 's2'] })).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidCallback }),
    );
  });

  it.each([
    ['no state', '?code=c', 'The callback has no “state” parameter: it cannot be matched to our request.'],
    [
      'an empty state',
      '?code=c&state=',
      'The callback has no “state” parameter: it cannot be matched to our request.',
    ],
    ['no code', '?state=s', 'The callback has no “code” parameter.'],
    ['an empty code', '?state=s&code=', 'The callback has no “code” parameter.'],
    ['nothing', '', 'The callback has no “state” parameter: it cannot be matched to our request.'],
  ])('refuses %s', (_, input, message) => {
    let thrown: unknown;
    try {
      parseCallback(input, context);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidCallbackError);
    expect(thrown).toMatchObject({ code: ErrorCode.InvalidCallback, httpStatus: 400, message });
  });

  it('refuses an unparsable URL', () => {
    expect(() => parseCallback('https://', context)).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidCallback,
        message: 'The callback URL is not a valid URL.',
      }),
    );
  });

  it('turns error=access_denied into a typed error returned with its state (RFC 6749 §4.1.2.1)', () => {
    const parsed = parseCallback(
      '?error=access_denied&error_description=User%20said%20no&state=s-1',
      context,
    );
    expect(parsed.kind).toBe('error');
    if (parsed.kind !== 'error') return;
    expect(parsed.state).toBe('s-1');
    expect(parsed.error).toBeInstanceOf(AuthorizationDeniedError);
    expect(parsed.error).toMatchObject({
      code: ErrorCode.AuthorizationDenied,
      oauthError: 'access_denied',
      connectorId: 'acme',
      localized: {
        es: 'El usuario o el proveedor negó la autorización (access_denied): User said no.',
        en: 'The user or the provider denied the authorization (access_denied): User said no.',
      },
    });
  });

  it('reports other provider errors, sanitised, even with a code present and no state', () => {
    const parsed = parseCallback({
      error: 'server_error\r\nInjected: yes',
      error_description: `${'x'.repeat(300)}`,
      code: 'c',
    });
    if (parsed.kind !== 'error') throw new Error('expected error');
    expect(parsed.state).toBeUndefined();
    expect(parsed.error.oauthError).toBe('server_error  Injected: yes');
    expect(parsed.error.message).toBe(
      `The provider returned error “server_error  Injected: yes” from the authorization: ${'x'.repeat(200)}….`,
    );
    expect(parseCallback('?error=&state=').kind).toBe('error');
  });
});

describe('checkIssuer (RFC 9207 §2.4)', () => {
  const ISSUER = 'https://auth.provider.test';
  const context = { connectorId: 'c', connectionId: 'x' };

  it('accepts the expected issuer, and no iss when the provider does not always send one', () => {
    expect(() => checkIssuer(ISSUER, ISSUER, 'required')).not.toThrow();
    expect(() => checkIssuer(undefined, ISSUER, 'optional')).not.toThrow();
    expect(() => checkIssuer(undefined, undefined, undefined)).not.toThrow();
    // Without a declared issuer there is nothing to compare a present iss with.
    expect(() => checkIssuer('https://anything.test', undefined, 'optional')).not.toThrow();
  });

  it.each([
    'https://attacker.test',
    'https://auth.provider.test/',
    'https://AUTH.provider.test',
    'https://auth.provider.test.attacker.test',
  ])('refuses iss %s for another server, by simple string comparison (ERR_ISSUER_MISMATCH)', (iss) => {
    expect(() => checkIssuer(iss, ISSUER, 'optional', context)).toThrow(
      expect.objectContaining({
        code: ErrorCode.IssuerMismatch,
        connectionId: 'x',
        message: expect.stringContaining('possible mix-up attack, RFC 9207') as unknown,
      }),
    );
  });

  it('refuses a callback without iss from a provider declared to always send it', () => {
    expect(() => checkIssuer(undefined, ISSUER, 'required', context)).toThrow(
      expect.objectContaining({
        code: ErrorCode.IssuerMismatch,
        localized: expect.objectContaining({
          es: expect.stringContaining('no trae el parámetro «iss»') as unknown,
        }) as unknown,
      }),
    );
  });

  it('parses iss on code and error callbacks, and refuses it twice', () => {
    expect(parseCallback({ code: 'c', state: 's', iss: ISSUER })).toEqual({
      kind: 'code',
      code: 'c',
      state: 's',
      iss: ISSUER,
    });
    expect(parseCallback(`?error=access_denied&state=s&iss=${encodeURIComponent(ISSUER)}`)).toMatchObject({
      kind: 'error',
      iss: ISSUER,
    });
    expect(() => parseCallback(`?code=c&state=s&iss=a&iss=b`)).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidCallback }),
    );
  });
});
