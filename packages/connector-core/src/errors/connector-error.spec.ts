import { inspect } from 'node:util';
import { ErrorCode } from './codes.js';
import { ConnectorError, isConnectorError } from './connector-error.js';
import {
  AuthorizationDeniedError,
  InvalidCallbackError,
  InvalidCredentialsError,
  InvalidProviderResponseError,
  OAuthResponseError,
  ProviderUnavailableError,
  RateLimitedError,
  ReauthorizationRequiredError,
  StateMismatchError,
} from './errors.js';
import { text } from './localized.js';

const SECRET = 'sk-live-0123456789abcdef';
const context = { connectorId: 'acme', connectionId: 'c-1' };

/** Everything a host might print of an error. */
const renderings = (error: Error): string[] => [
  error.message,
  error.stack ?? '',
  JSON.stringify(error),
  inspect(error),
  inspect(error, { depth: 10, showHidden: true }),
  String(error),
];

describe('ConnectorError', () => {
  it('carries a stable code, both languages, the connection and the cause', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new ConnectorError(ErrorCode.ProviderUnavailable, text('caído', 'down'), {
      ...context,
      cause,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('ERR_PROVIDER_UNAVAILABLE');
    expect(error.message).toBe('down');
    expect(error.localized).toEqual({ es: 'caído', en: 'down' });
    expect(error.connectorId).toBe('acme');
    expect(error.connectionId).toBe('c-1');
    expect(error.cause).toBe(cause);
    expect(error.toJSON()).toEqual({
      name: 'ConnectorError',
      code: 'ERR_PROVIDER_UNAVAILABLE',
      message: 'down',
      localized: { es: 'caído', en: 'down' },
      connectorId: 'acme',
      connectionId: 'c-1',
      cause: { name: 'Error', code: 'ECONNRESET', message: 'socket hang up' },
    });
  });

  it('withholds the message of a SyntaxError cause (V8 quotes the JSON body in it)', () => {
    let cause: unknown;
    try {
      JSON.parse('AT-echoed-access-token-secret');
    } catch (error) {
      cause = error;
    }
    const error = new ConnectorError(ErrorCode.InvalidProviderResponse, text('no JSON', 'no JSON'), {
      cause,
    });
    const shown = [JSON.stringify(error), inspect(error), inspect(error, { showHidden: true, depth: 8 })];
    for (const text of shown) expect(text).not.toContain('AT-echoed-access-token-secret');
    // Walking the cause chain finds no response bytes either.
    expect((error.cause as Error).message).toBe(
      'message withheld (a SyntaxError quotes the text it failed to parse)',
    );
    expect((error.cause as Error).stack).not.toContain('AT-echoed-access-token-secret');
    expect(error.toJSON().cause).toEqual({
      name: 'SyntaxError',
      message: 'message withheld (a SyntaxError quotes the text it failed to parse)',
    });
  });

  it('omits absent context and summarises every kind of cause without its stack or fields', () => {
    expect(new ConnectorError(ErrorCode.Aborted, text('a', 'b')).toJSON()).toEqual({
      name: 'ConnectorError',
      code: 'ERR_ABORTED',
      message: 'b',
      localized: { es: 'a', en: 'b' },
    });
    const coded = Object.assign(new Error('reset'), { code: 'ECONNRESET', body: SECRET });
    expect(new ConnectorError(ErrorCode.Aborted, text('a', 'b'), { cause: coded }).toJSON().cause).toEqual({
      name: 'Error',
      code: 'ECONNRESET',
      message: 'reset',
    });
    const inner = new RateLimitedError(2000);
    expect(new ConnectorError(ErrorCode.Aborted, text('a', 'b'), { cause: inner }).toJSON().cause).toEqual({
      name: 'RateLimitedError',
      code: 'ERR_RATE_LIMITED',
      message: inner.message,
    });
    expect(
      new ConnectorError(ErrorCode.Aborted, text('a', 'b'), { cause: { secret: SECRET } }).toJSON().cause,
    ).toEqual({
      name: 'object',
      message: 'non-error cause',
    });
  });

  it('never shows what a cause carries beyond its name, code and message', () => {
    const cause = Object.assign(new Error('bad request'), { requestBody: `client_secret=${SECRET}` });
    const error = new OAuthResponseError(ErrorCode.OAuthError, 'invalid_request', 400, text('x', 'y'), {
      ...context,
      cause,
    });
    for (const shown of renderings(error)) expect(shown).not.toContain(SECRET);
    expect(inspect(error)).toMatch(/^OAuthResponseError \{/);
    expect(inspect(error)).toContain("code: 'ERR_OAUTH'");
  });

  it('is recognised across copies of the package by shape', () => {
    const foreign = Object.assign(new Error('x'), {
      code: 'ERR_STATE_MISMATCH',
      localized: { es: 'x', en: 'x' },
    });
    expect(isConnectorError(foreign)).toBe(true);
    expect(isConnectorError(new ConnectorError(ErrorCode.Aborted, text('a', 'b')))).toBe(true);
    expect(isConnectorError(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(false);
    expect(isConnectorError({ code: 'ERR_X', localized: { en: 'x' } })).toBe(false);
    expect(isConnectorError(undefined)).toBe(false);
  });
});

describe('error subclasses a host acts on', () => {
  it.each([
    [
      'InvalidCredentialsError',
      new InvalidCredentialsError([{ pointer: '/clientId', message: text('falta', 'missing') }], context),
      ErrorCode.InvalidCredentials,
      { issues: [{ pointer: '/clientId', message: { es: 'falta', en: 'missing' } }] },
    ],
    [
      'StateMismatchError',
      new StateMismatchError(ErrorCode.StateExpired, text('v', 'e'), context),
      ErrorCode.StateExpired,
      undefined,
    ],
    [
      'InvalidCallbackError',
      new InvalidCallbackError(ErrorCode.InvalidCallback, text('v', 'e'), context),
      ErrorCode.InvalidCallback,
      undefined,
    ],
    [
      'AuthorizationDeniedError',
      new AuthorizationDeniedError('access_denied', text('v', 'e'), context),
      ErrorCode.AuthorizationDenied,
      { oauthError: 'access_denied' },
    ],
    [
      'OAuthResponseError',
      new OAuthResponseError(
        ErrorCode.InvalidAuthorizationCode,
        'invalid_grant',
        400,
        text('v', 'e'),
        context,
      ),
      ErrorCode.InvalidAuthorizationCode,
      { oauthError: 'invalid_grant', status: 400 },
    ],
    [
      'ReauthorizationRequiredError',
      new ReauthorizationRequiredError('invalid_grant', text('v', 'e'), context),
      ErrorCode.ReauthorizationRequired,
      { reason: 'invalid_grant' },
    ],
    [
      'ProviderUnavailableError',
      new ProviderUnavailableError(503, text('v', 'e'), context),
      ErrorCode.ProviderUnavailable,
      { status: 503 },
    ],
    [
      'ProviderUnavailableError',
      new ProviderUnavailableError(undefined, text('v', 'e'), context),
      ErrorCode.ProviderUnavailable,
      undefined,
    ],
    ['RateLimitedError', new RateLimitedError(1500, context), ErrorCode.RateLimited, { retryAfterMs: 1500 }],
    ['RateLimitedError', new RateLimitedError(undefined, context), ErrorCode.RateLimited, undefined],
    [
      'InvalidProviderResponseError',
      new InvalidProviderResponseError(200, 'text/html', text('v', 'e'), context),
      ErrorCode.InvalidProviderResponse,
      { status: 200, contentType: 'text/html' },
    ],
    [
      'InvalidProviderResponseError',
      new InvalidProviderResponseError(502, undefined, text('v', 'e'), context),
      ErrorCode.InvalidProviderResponse,
      { status: 502, contentType: null },
    ],
  ])('%s serialises its name, code and details', (name, error, code, details) => {
    expect(error).toBeInstanceOf(ConnectorError);
    const json = error.toJSON();
    expect(json.name).toBe(name);
    expect(json.code).toBe(code);
    expect(json.connectorId).toBe('acme');
    expect(json.details).toEqual(details);
  });

  it('lists every credential issue in both languages', () => {
    const error = new InvalidCredentialsError([
      { pointer: '/clientId', message: text('falta', 'missing') },
      { pointer: '', message: text('raíz', 'root') },
    ]);
    expect(error.localized).toEqual({
      es: 'Credenciales inválidas (2): /clientId: falta; /: raíz',
      en: 'Invalid credentials (2): /clientId: missing; /: root',
    });
    expect(Object.isFrozen(error.issues)).toBe(true);
  });

  it('HTTP status hints for callback errors and retry hints for rate limits', () => {
    expect(new StateMismatchError(ErrorCode.StateMismatch, text('a', 'b')).httpStatus).toBe(401);
    expect(new InvalidCallbackError(ErrorCode.InvalidCallback, text('a', 'b')).httpStatus).toBe(400);
    expect(new RateLimitedError(1500).localized).toEqual({
      es: 'El proveedor limitó las solicitudes (429); reintente en 2 s.',
      en: 'The provider is rate limiting requests (429); retry in 2 s.',
    });
    expect(new RateLimitedError(undefined).message).toBe('The provider is rate limiting requests (429).');
  });
});
