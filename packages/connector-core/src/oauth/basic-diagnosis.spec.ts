import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { InvalidCredentialsError, OAuthResponseError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { basicEncodingsDiffer, explainBasicRefusal } from './basic-diagnosis.js';

const context = { connectorId: 'acme', connectionId: 'c-1' };
const basic = (encoding: 'plain' | 'rfc6749') => ({ method: 'client_secret_basic', encoding });
const invalidClient = (): InvalidCredentialsError =>
  new InvalidCredentialsError([{ pointer: '/clientSecret', message: text('revise', 'check') }], {
    ...context,
    code: ErrorCode.InvalidClient,
    summary: text('Cliente rechazado.', 'Client rejected.'),
  });

describe('basicEncodingsDiffer', () => {
  it('plain: only "+" and "%" change under RFC 6749 form-decoding', () => {
    expect(basicEncodingsDiffer({ clientId: 'id', clientSecret: 'a+b' }, 'plain')).toBe(true);
    expect(basicEncodingsDiffer({ clientId: 'id%41', clientSecret: 'ab' }, 'plain')).toBe(true);
    expect(basicEncodingsDiffer({ clientId: 'id-1.x', clientSecret: 'a b:c/d_é' }, 'plain')).toBe(false);
  });

  it('rfc6749: every character other than an ASCII letter or digit is escaped', () => {
    expect(basicEncodingsDiffer({ clientId: 'id', clientSecret: 'a-b' }, 'rfc6749')).toBe(true);
    expect(basicEncodingsDiffer({ clientId: 'id', clientSecret: 'Ab09' }, 'rfc6749')).toBe(false);
  });
});

describe('explainBasicRefusal', () => {
  it('keeps code, type, issues and message of invalid_client, and adds the encoding and the option', () => {
    const original = invalidClient();
    const explained = explainBasicRefusal(
      original,
      basic('plain'),
      { clientId: 'id', clientSecret: 'a+b' },
      context,
    );
    expect(explained).toBeInstanceOf(InvalidCredentialsError);
    expect(explained).toMatchObject({
      code: ErrorCode.InvalidClient,
      ...context,
      issues: original.issues,
      cause: original,
    });
    const { localized } = explained as InvalidCredentialsError;
    expect(localized.en.startsWith('Client rejected. Likely cause: the Basic encoding.')).toBe(true);
    expect(localized.en).toContain("basicEncoding: 'rfc6749' option (now 'plain')");
    expect(localized.es.startsWith('Cliente rechazado. Causa probable: la codificación Basic.')).toBe(true);
  });

  it('names plain as the alternative of rfc6749, for invalid_request too', () => {
    const original = new OAuthResponseError(
      ErrorCode.OAuthError,
      'invalid_request',
      400,
      text('x', 'x'),
      context,
    );
    const explained = explainBasicRefusal(
      original,
      basic('rfc6749'),
      { clientId: 'id', clientSecret: 'a-b' },
      context,
    );
    expect(explained).toMatchObject({
      code: ErrorCode.OAuthError,
      oauthError: 'invalid_request',
      status: 400,
    });
    expect((explained as Error).message).toContain("basicEncoding: 'plain' option before changing them");
  });

  it('leaves alone: body authentication, unaffected credentials, other errors', () => {
    const tricky = { clientId: 'id', clientSecret: 'a+b' };
    const refused = invalidClient();
    expect(explainBasicRefusal(refused, { method: 'client_secret_post' }, tricky, context)).toBe(refused);
    expect(
      explainBasicRefusal(refused, basic('plain'), { clientId: 'id', clientSecret: 'ab-c' }, context),
    ).toBe(refused);
    const grant = new OAuthResponseError(ErrorCode.OAuthError, 'invalid_scope', 400, text('x', 'x'), context);
    expect(explainBasicRefusal(grant, basic('plain'), tricky, context)).toBe(grant);
    const other = new ConnectorError(ErrorCode.ProviderUnavailable, text('x', 'x'), context);
    expect(explainBasicRefusal(other, basic('plain'), tricky, context)).toBe(other);
    const plainError = new Error('boom');
    expect(explainBasicRefusal(plainError, basic('plain'), tricky, context)).toBe(plainError);
  });
});
