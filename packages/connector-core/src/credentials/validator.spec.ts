import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { InvalidCredentialsError } from '../errors/errors.js';
import { text } from '../errors/localized.js';
import { fixtureSchema } from '../__fixtures__/fixture-provider.js';
import { defineCredentialSchema, secretPointers, secretValues } from './define-schema.js';
import { baseFields, field } from './fields.js';
import type { CredentialsOf, FieldSchema } from './schema-types.js';
import { compileCredentialSchema, validateCredentials } from './validator.js';

const valid = {
  clientId: 'client-1',
  clientSecret: 'secret-1',
  redirectUri: 'https://aic.test/callback',
};

function failure(value: unknown): InvalidCredentialsError {
  try {
    validateCredentials(fixtureSchema, value, { connectorId: 'fixture', connectionId: 'c-1' });
  } catch (error) {
    if (error instanceof InvalidCredentialsError) return error;
    throw error;
  }
  throw new Error('validation passed');
}

describe('credential schema contract', () => {
  it('is a closed draft 2020-12 object schema labelled in Spanish and English', () => {
    expect(fixtureSchema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      $id: 'https://aic.test/fixture.credentials.json',
      type: 'object',
      additionalProperties: false,
      title: 'Fixture',
      description: 'Proveedor de prueba',
      'x-title': { es: 'Fixture', en: 'Fixture' },
      'x-description': { es: 'Proveedor de prueba', en: 'Test provider' },
      required: ['clientId', 'clientSecret', 'redirectUri'],
    });
    expect(JSON.parse(JSON.stringify(fixtureSchema))).toEqual(fixtureSchema);
  });

  it('gives every base field a title and description in both languages, and marks secrets', () => {
    const fields: Record<string, FieldSchema> = {
      clientId: baseFields.clientId(),
      clientSecret: baseFields.clientSecret(),
      redirectUri: baseFields.redirectUri(),
      region: baseFields.region(['us', 'eu'], 'us'),
      endpoints: baseFields.endpoints(['token', 'apiBase']),
      clientSecretCreatedAt: baseFields.clientSecretCreatedAt(),
      clientSecretExpiresAt: baseFields.clientSecretExpiresAt(),
      refreshToken: baseFields.refreshToken(),
    };
    const check = (f: FieldSchema): void => {
      for (const lang of ['es', 'en'] as const) {
        expect(f['x-title'][lang].length).toBeGreaterThan(0);
        expect(f['x-description'][lang].length).toBeGreaterThan(0);
      }
      expect(f.title).toBe(f['x-title'].es);
      expect(f.description).toBe(f['x-description'].es);
      if (f.type === 'object') Object.values(f.properties).forEach(check);
    };
    Object.values(fields).forEach(check);
    const secrets = Object.entries(fields)
      .filter(([, f]) => f['x-secret'] === true && f.writeOnly === true)
      .map(([name]) => name);
    expect(secrets).toEqual(['clientSecret', 'refreshToken']);
    expect(fields['region']).toMatchObject({ enum: ['us', 'eu'], default: 'us' });
    const labelled = baseFields.clientId({ title: text('Usuario', 'Username'), description: text('d', 'd') });
    expect(labelled['x-title']).toEqual({ es: 'Usuario', en: 'Username' });
    expect(field(text('a', 'b'), text('c', 'd'), true)).toEqual({
      title: 'a',
      description: 'c',
      'x-title': { es: 'a', en: 'b' },
      'x-description': { es: 'c', en: 'd' },
      'x-secret': true,
      writeOnly: true,
    });
  });

  it('finds secret pointers (RFC 6901 escaped) and their values', () => {
    const schema = defineCredentialSchema({
      $id: 'https://aic.test/nested.json',
      title: text('n', 'n'),
      description: text('n', 'n'),
      properties: {
        clientSecret: baseFields.clientSecret(),
        'a/b~c': {
          type: 'object',
          additionalProperties: false,
          properties: { key: { type: 'string', ...field(text('k', 'k'), text('k', 'k'), true) } },
          ...field(text('o', 'o'), text('o', 'o')),
        },
      },
      required: [],
    });
    expect(secretPointers(schema)).toEqual(['/clientSecret', '/a~1b~0c/key']);
    expect(secretValues(schema, { clientSecret: 'S1', 'a/b~c': { key: 'S2' } })).toEqual(['S1', 'S2']);
    expect(secretValues(schema, { clientSecret: 7 })).toEqual([]);
    expect(secretValues(schema, null)).toEqual([]);
    expect(secretPointers(fixtureSchema)).toEqual(['/clientSecret', '/refreshToken']);
  });

  it('derives the TypeScript type of the credentials from the schema', () => {
    type Fixture = CredentialsOf<typeof fixtureSchema>;
    const typed: Fixture = validateCredentials(fixtureSchema, { ...valid, region: 'other' });
    const region: 'main' | 'other' | undefined = typed.region;
    const token: string | undefined = typed.endpoints?.token;
    // @ts-expect-error clientId is required
    const missing: Fixture = { clientSecret: 's', redirectUri: 'https://x' };
    // @ts-expect-error region is an enum
    const wrongRegion: Fixture = { ...valid, region: 'mars' };
    expect([region, token, missing, wrongRegion].length).toBe(4);
  });
});

describe('validateCredentials', () => {
  it('returns valid credentials as they are', () => {
    const input = {
      ...valid,
      endpoints: { token: 'http://127.0.0.1:8080/token' },
      clientSecretCreatedAt: '2026-01-31',
    };
    expect(validateCredentials(fixtureSchema, input)).toBe(input);
  });

  it('compiles each schema once and reuses the compiled validator', () => {
    const first = compileCredentialSchema(fixtureSchema);
    validateCredentials(fixtureSchema, valid);
    expect(compileCredentialSchema(fixtureSchema)).toBe(first);
  });

  it('lists every bad field by JSON pointer, in both languages, in one error', () => {
    const error = failure({
      clientSecret: '',
      redirectUri: 'http://aic.example/callback',
      region: 'mars',
      endpoints: { token: 'not a url', authorization: 'ftp://auth.test/x', extra: 'x' },
      clientSecretCreatedAt: '2026-13-45',
      refreshToken: 42,
      unknown: true,
    });
    expect(error.code).toBe(ErrorCode.InvalidCredentials);
    expect(error.connectorId).toBe('fixture');
    expect(error.connectionId).toBe('c-1');
    expect(error.issues.map((i) => i.pointer).sort()).toEqual(
      [
        '/clientId',
        '/clientSecret',
        '/redirectUri',
        '/region',
        '/endpoints/token',
        '/endpoints/authorization',
        '/endpoints/extra',
        '/clientSecretCreatedAt',
        '/refreshToken',
        '/unknown',
      ].sort(),
    );
    const byPointer = Object.fromEntries(error.issues.map((i) => [i.pointer, i.message]));
    expect(byPointer['/clientId']).toEqual({
      es: 'falta «ID de cliente» (obligatorio)',
      en: '“Client ID” is required',
    });
    expect(byPointer['/clientSecret']).toEqual({
      es: '«Secreto de cliente» no puede estar vacío',
      en: '“Client secret” must not be empty',
    });
    expect(byPointer['/redirectUri']?.en).toBe(
      '“Redirect URI” must use https (http only for 127.0.0.1, localhost or [::1])',
    );
    expect(byPointer['/region']).toEqual({
      es: '«Región» debe ser uno de: main, other',
      en: '“Region” must be one of: main, other',
    });
    expect(byPointer['/endpoints/token']?.en).toBe('““token” endpoint” must be an absolute URL');
    expect(byPointer['/endpoints/extra']?.en).toBe('unknown field: remove it or check its name');
    expect(byPointer['/clientSecretCreatedAt']?.en).toBe(
      '“Client secret creation date” must be a date YYYY-MM-DD',
    );
    expect(byPointer['/refreshToken']?.en).toBe('“Refresh token (imported)” must be of type string');
    expect(error.message).toMatch(/^Invalid credentials \(10\): /);
    expect(error.localized.es).toMatch(/^Credenciales inválidas \(10\): /);
  });

  it('never echoes a secret value, whatever is wrong with it', () => {
    const secret = `S3CR3T-${'x'.repeat(5000)}`;
    const error = failure({
      ...valid,
      clientSecret: secret,
      refreshToken: 'RT-SECRET-VALUE',
      clientId: 'bad' + '\u0000',
      extra: 'RT-SECRET-VALUE',
    });
    expect(error.issues.map((i) => i.pointer)).toEqual(['/extra', '/clientSecret']);
    expect(error.issues[1]?.message.en).toBe('“Client secret” is longer than 4096 characters');
    for (const shown of [
      error.message,
      error.localized.es,
      JSON.stringify(error),
      inspect(error),
      error.stack ?? '',
    ]) {
      expect(shown).not.toContain('S3CR3T');
      expect(shown).not.toContain('RT-SECRET-VALUE');
    }
  });

  it.each([
    [null, 'must be of type object'],
    ['a string', 'must be of type object'],
    [[], 'must be of type object'],
  ])('refuses %p as a whole with pointer ""', (value, en) => {
    const error = failure(value);
    expect(error.issues).toEqual([
      { pointer: '', message: { es: '«/» debe ser de tipo object', en: `“/” ${en}` } },
    ]);
  });

  it('refuses strings with a lone surrogate by pointer, also next to schema failures', () => {
    const error = failure({ ...valid, clientSecret: 'abc\ud800def', endpoints: { token: 'x\udc00' } });
    expect(error.code).toBe(ErrorCode.InvalidCredentials);
    expect(error.issues.map((issue) => issue.pointer)).toEqual([
      '/endpoints/token',
      '/clientSecret',
      '/endpoints/token',
    ]);
    expect(error.issues[1]?.message).toEqual(
      text(
        '«Secreto de cliente» contiene un carácter Unicode inválido (sustituto suelto): vuelva a copiar el valor',
        '“Client secret” contains an invalid Unicode character (lone surrogate): copy the value again',
      ),
    );
    expect(() => validateCredentials(fixtureSchema, { ...valid, clientSecret: 'ok-😀-ñ' })).not.toThrow();
  });

  it('describes pattern and other keyword failures', () => {
    const schema = defineCredentialSchema({
      $id: 'https://aic.test/pattern.json',
      title: text('p', 'p'),
      description: text('p', 'p'),
      properties: {
        tenantId: {
          type: 'string',
          pattern: '^[a-f0-9-]+$',
          ...field(text('Inquilino', 'Tenant'), text('t', 't')),
        },
        port: { type: 'integer', minimum: 1, ...field(text('Puerto', 'Port'), text('p', 'p')) },
      },
      required: [],
    });
    try {
      validateCredentials(schema, { tenantId: '../x', port: 0 });
      throw new Error('passed');
    } catch (error) {
      expect((error as InvalidCredentialsError).issues).toEqual([
        {
          pointer: '/tenantId',
          message: {
            es: '«Inquilino» no tiene el formato esperado',
            en: '“Tenant” has an unexpected format',
          },
        },
        {
          pointer: '/port',
          message: { es: '«Puerto» no es válido (minimum)', en: '“Port” is invalid (minimum)' },
        },
      ]);
    }
  });
});
