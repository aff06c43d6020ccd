import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import type { HttpResponse } from '../http/send.js';
import type { ExpiryPolicy } from '../tokens/expiry-policy.js';
import { processTokenResponse, type TokenResponseOptions } from './token-response.js';

const NOW = Date.UTC(2026, 5, 1);
const seconds: ExpiryPolicy = {
  expiresInUnit: 'seconds',
  defaultLifetimeSeconds: 3600,
  refreshMarginSeconds: 60,
};
const options: TokenResponseOptions = {
  grantType: 'authorization_code',
  expiry: seconds,
  now: NOW,
  context: { connectorId: 'acme', connectionId: 'c-1' },
};

const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
});

const ok = (extra: Record<string, unknown> = {}): HttpResponse =>
  json(200, { access_token: 'AT', token_type: 'Bearer', expires_in: 3600, refresh_token: 'RT', ...extra });

function thrown(response: HttpResponse, opts: Partial<TokenResponseOptions> = {}): ConnectorError {
  try {
    processTokenResponse(response, { ...options, ...opts });
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('processTokenResponse: success (RFC 6749 §5.1)', () => {
  it('reads a complete response', () => {
    expect(processTokenResponse(ok({ scope: 'read write' }), options)).toEqual({
      accessToken: 'AT',
      tokenType: 'Bearer',
      issuedAt: NOW,
      expiresAt: NOW + 3_600_000,
      refreshToken: 'RT',
      scope: 'read write',
    });
  });

  it.each(['bearer', 'BEARER', 'Bearer', 'bEaReR'])(
    'accepts token_type %s case-insensitively',
    (tokenType) => {
      expect(processTokenResponse(ok({ token_type: tokenType }), options).tokenType).toBe(tokenType);
    },
  );

  it('accepts other token types only when configured', () => {
    expect(
      processTokenResponse(ok({ token_type: 'n_a' }), { ...options, tokenTypes: ['Bearer', 'N_A'] })
        .tokenType,
    ).toBe('n_a');
    const error = thrown(ok({ token_type: 'mac' }));
    expect(error).toMatchObject({ code: ErrorCode.InvalidProviderResponse, status: 200 });
    expect(error.localized).toEqual({
      es: 'Respuesta inválida del endpoint de token (HTTP 200, application/json; charset=utf-8): token_type «mac» no soportado (se espera bearer).',
      en: 'Invalid token endpoint response (HTTP 200, application/json; charset=utf-8): unsupported token_type "mac" (expected bearer).',
    });
    expect(thrown(ok({ token_type: undefined })).message).toContain('unsupported token_type "undefined"');
    expect(thrown(ok({ token_type: 5 })).message).toContain('unsupported token_type "number"');
  });

  it.each([
    [3600, 3_600_000],
    ['3600', 3_600_000],
    [' 90 ', 90_000],
    ['1.5', 1_500],
    [0, 0],
    [undefined, 3_600_000],
    [null, 3_600_000],
  ])('expires_in %p gives a lifetime of %d ms (seconds policy)', (expiresIn, lifetime) => {
    expect(processTokenResponse(ok({ expires_in: expiresIn }), options).expiresAt).toBe(NOW + lifetime);
  });

  it.each([-1, '-5', 'soon', '1e3', true, {}, Number.POSITIVE_INFINITY])(
    'rejects expires_in %p',
    (expiresIn) => {
      const response =
        expiresIn === Number.POSITIVE_INFINITY
          ? json(200, '{"access_token":"AT","token_type":"Bearer","expires_in":1e999}')
          : ok({ expires_in: expiresIn });
      expect(thrown(response)).toMatchObject({
        code: ErrorCode.InvalidProviderResponse,
        message: expect.stringContaining('expires_in must be a non-negative number'),
      });
    },
  );

  it('applies the unit policy: milliseconds, cap and default lifetime', () => {
    const hp: ExpiryPolicy = { ...seconds, expiresInUnit: 'milliseconds', maxLifetimeSeconds: 1800 };
    expect(processTokenResponse(ok({ expires_in: 1_799_999 }), { ...options, expiry: hp }).expiresAt).toBe(
      NOW + 1_799_999,
    );
    expect(
      processTokenResponse(ok({ expires_in: 1_799_999 }), {
        ...options,
        expiry: { ...seconds, maxLifetimeSeconds: 1800 },
      }).expiresAt,
    ).toBe(NOW + 1_800_000);
    expect(
      processTokenResponse(ok({ expires_in: undefined }), {
        ...options,
        expiry: { ...seconds, defaultLifetimeSeconds: 60 },
      }).expiresAt,
    ).toBe(NOW + 60_000);
  });

  it('keeps the previous refresh token when none (or an empty one) comes back (RFC 6749 §6)', () => {
    const previous = { ...options, grantType: 'refresh_token' as const, previousRefreshToken: 'RT-old' };
    expect(processTokenResponse(ok({ refresh_token: undefined }), previous).refreshToken).toBe('RT-old');
    expect(processTokenResponse(ok({ refresh_token: null }), previous).refreshToken).toBe('RT-old');
    expect(processTokenResponse(ok({ refresh_token: '' }), previous).refreshToken).toBe('RT-old');
    expect(processTokenResponse(ok({ refresh_token: 'RT-new' }), previous).refreshToken).toBe('RT-new');
    expect(processTokenResponse(ok({ refresh_token: undefined }), options).refreshToken).toBeUndefined();
    expect(thrown(ok({ refresh_token: 12 })).message).toContain('refresh_token must be a string');
  });

  it('tolerates id_token and unknown members, and ignores a non-string scope', () => {
    const tokens = processTokenResponse(
      ok({
        id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig',
        not_before_policy: 0,
        extra: { a: 1 },
        scope: ['read'],
      }),
      options,
    );
    expect(tokens).toEqual({
      accessToken: 'AT',
      tokenType: 'Bearer',
      issuedAt: NOW,
      expiresAt: NOW + 3_600_000,
      refreshToken: 'RT',
      scope: undefined,
    });
  });
});

describe('processTokenResponse: errors (RFC 6749 §5.2)', () => {
  it('maps invalid_grant on a code exchange to ERR_INVALID_AUTHORIZATION_CODE', () => {
    const error = thrown(json(400, { error: 'invalid_grant', error_description: 'Code expired' }));
    expect(error).toMatchObject({
      name: 'OAuthResponseError',
      code: ErrorCode.InvalidAuthorizationCode,
      oauthError: 'invalid_grant',
      status: 400,
      connectionId: 'c-1',
      localized: {
        es: 'El código de autorización es inválido o venció (invalid_grant): Code expired. Inicie la autorización de nuevo.',
        en: 'The authorization code is invalid or expired (invalid_grant): Code expired. Start the authorization again.',
      },
    });
  });

  it('maps invalid_grant on a refresh to ERR_REAUTHORIZATION_REQUIRED (reason invalid_grant)', () => {
    expect(thrown(json(400, { error: 'invalid_grant' }), { grantType: 'refresh_token' })).toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'invalid_grant',
      message: 'The provider rejected the refresh token (invalid_grant). Authorize the connection again.',
    });
  });

  it('maps invalid_client to ERR_INVALID_CLIENT naming the client fields', () => {
    const error = thrown(json(401, { error: 'invalid_client', error_description: 'Bad credentials' }), {
      clientFields: { id: '/username', secret: '/password' },
    });
    expect(error).toMatchObject({
      name: 'InvalidCredentialsError',
      code: ErrorCode.InvalidClient,
      message:
        'The provider rejected the client (invalid_client, HTTP 401): Bad credentials. Check the client ID and secret of the connection.',
      issues: [
        { pointer: '/username', message: { es: 'verifique el ID de cliente', en: 'check the client ID' } },
        {
          pointer: '/password',
          message: {
            es: 'verifique el secreto de cliente (y que no haya vencido)',
            en: 'check the client secret (and that it has not expired)',
          },
        },
      ],
    });
    expect(
      (
        thrown(json(401, { error: 'invalid_client' })) as unknown as { issues: { pointer: string }[] }
      ).issues.map((i) => i.pointer),
    ).toEqual(['/clientId', '/clientSecret']);
  });

  it('maps other errors to ERR_OAUTH, also on a 200, sanitising the provider text', () => {
    expect(
      thrown(json(400, { error: 'invalid_scope', error_description: 'Scope\nnot allowed' })),
    ).toMatchObject({
      code: ErrorCode.OAuthError,
      oauthError: 'invalid_scope',
      status: 400,
      message: 'The token endpoint answered with OAuth error “invalid_scope” (HTTP 400): Scope not allowed.',
    });
    expect(thrown(json(200, { error: 'unauthorized_client' }))).toMatchObject({
      code: ErrorCode.OAuthError,
      oauthError: 'unauthorized_client',
      status: 200,
    });
  });

  it('scrubs the request secrets a provider echoes in error_description', () => {
    const error = thrown(
      json(400, {
        error: 'invalid_request',
        error_description: 'client_secret S3CR3T-VALUE and code C0DE-VALUE',
      }),
      { secrets: ['S3CR3T-VALUE', 'C0DE-VALUE'] },
    );
    expect(error.message).toBe(
      'The token endpoint answered with OAuth error “invalid_request” (HTTP 400): client_secret [REDACTED] and code [REDACTED].',
    );
    for (const shown of [JSON.stringify(error), inspect(error), error.stack ?? '']) {
      expect(shown).not.toMatch(/S3CR3T|C0DE/);
    }
  });

  it.each([
    ['Basic realm="token", error="invalid_client"', ErrorCode.InvalidClient],
    ['Bearer error="invalid_token", error_description="expired"', ErrorCode.OAuthError],
    ['Basic realm="token"', ErrorCode.InvalidClient],
  ])('maps a 401 with WWW-Authenticate %s and no OAuth body to %s', (challenge, code) => {
    const response: HttpResponse = {
      status: 401,
      headers: { 'www-authenticate': challenge },
      body: Buffer.alloc(0),
    };
    expect(thrown(response).code).toBe(code);
  });

  it('reads an error from WWW-Authenticate on other statuses too', () => {
    const response: HttpResponse = {
      status: 400,
      headers: { 'www-authenticate': 'Bearer error=invalid_request' },
      body: Buffer.from('<html>bad</html>'),
    };
    expect(thrown(response)).toMatchObject({ code: ErrorCode.OAuthError, oauthError: 'invalid_request' });
  });

  it.each([
    [200, 'text/html', '<html><body>Login page TOKEN-IN-BODY</body></html>', 'the body is not a JSON object'],
    [200, 'application/json', '["TOKEN-IN-BODY"]', 'the body is not a JSON object'],
    [200, 'application/json', '"TOKEN-IN-BODY"', 'the body is not a JSON object'],
    [200, 'application/json', '{"access_token": "TOKEN-IN-BODY"', 'the body is not a JSON object'],
    [400, 'text/html', '<h1>Bad Request TOKEN-IN-BODY</h1>', 'not an OAuth error body'],
    [404, 'application/json', '{"message":"TOKEN-IN-BODY"}', 'not an OAuth error body'],
    [302, 'text/plain', 'TOKEN-IN-BODY', 'not an OAuth error body'],
  ])(
    'HTTP %d %s gives ERR_INVALID_PROVIDER_RESPONSE with status and type, never the body',
    (status, type, body, why) => {
      const error = thrown({ status, headers: { 'content-type': type }, body: Buffer.from(body) });
      expect(error).toMatchObject({ code: ErrorCode.InvalidProviderResponse, status, contentType: type });
      expect(error.message).toBe(`Invalid token endpoint response (HTTP ${status}, ${type}): ${why}.`);
      for (const shown of [
        error.message,
        error.localized.es,
        JSON.stringify(error),
        inspect(error),
        error.stack ?? '',
      ]) {
        expect(shown).not.toContain('TOKEN-IN-BODY');
      }
    },
  );

  it('says when there is no content type', () => {
    const error = thrown({ status: 200, headers: {}, body: Buffer.from('') });
    expect(error.localized).toEqual({
      es: 'Respuesta inválida del endpoint de token (HTTP 200, sin content-type): el cuerpo no es un objeto JSON.',
      en: 'Invalid token endpoint response (HTTP 200, no content-type): the body is not a JSON object.',
    });
    expect(error.toJSON().details).toEqual({ status: 200, contentType: null });
  });

  it.each([
    [{ token_type: 'Bearer' }, 'no access_token'],
    [{ access_token: '', token_type: 'Bearer' }, 'no access_token'],
    [{ access_token: 42, token_type: 'Bearer' }, 'no access_token'],
  ])('rejects %p: %s', (body, why) => {
    expect(thrown(json(200, body)).message).toContain(why);
  });
});

describe('processTokenResponse: ill-formed UTF-8 (RFC 8259 §8.1)', () => {
  it('refuses a body that is not UTF-8 instead of storing U+FFFD, on success and on error', () => {
    const body = Buffer.concat([
      Buffer.from('{"access_token":"AT-'),
      Buffer.from([0xc3, 0x28]), // an invalid two-byte sequence
      Buffer.from('","token_type":"Bearer","expires_in":3600}'),
    ]);
    for (const status of [200, 400]) {
      const error = thrown({ status, headers: { 'content-type': 'application/json' }, body });
      expect(error).toMatchObject({ code: ErrorCode.InvalidProviderResponse, status });
      expect(error.message).toBe(
        `Invalid token endpoint response (HTTP ${status}, application/json): the body is not valid UTF-8.`,
      );
      expect(error.localized.es).toContain('el cuerpo no es UTF-8 válido');
    }
  });

  it('reads a body that starts with a UTF-8 byte order mark', () => {
    const body = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('{"access_token":"AT-é","token_type":"Bearer","expires_in":60}'),
    ]);
    expect(processTokenResponse({ status: 200, headers: {}, body }, options).accessToken).toBe('AT-é');
  });
});
