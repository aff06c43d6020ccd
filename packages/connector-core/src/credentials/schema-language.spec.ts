import { Ajv2020 } from 'ajv/dist/2020.js';
import { text } from '../errors/localized.js';
import { fixtureSchema } from '../__fixtures__/fixture-provider.js';
import { defineCredentialSchema } from './define-schema.js';
import { baseFields, field, labelledEnum } from './fields.js';
import { CREDENTIAL_SCHEMA_FILES, credentialSchemaIn, credentialSchemaJson } from './schema-language.js';
import type { CredentialsOf } from './schema-types.js';
import { compileCredentialSchema, validateCredentials } from './validator.js';

const schema = defineCredentialSchema({
  $id: 'https://aic.test/lang.credentials.schema.json',
  title: text('Conexión', 'Connection'),
  description: text('Datos de la conexión', 'Connection settings'),
  properties: {
    clientId: baseFields.clientId(),
    environment: {
      type: 'string',
      ...labelledEnum({ production: text('Producción', 'Production'), sandbox: text('Pruebas', 'Sandbox') }),
      default: 'production',
      ...field(text('Entorno', 'Environment'), text('Dónde está la API', 'Where the API is')),
    },
    endpoints: baseFields.endpoints(['token']),
  },
  required: ['clientId'],
});

describe('labelledEnum', () => {
  it('gives enum (for ajv and the type) and oneOf const/title/x-title (for forms), in order', () => {
    expect(labelledEnum({ b: text('Be', 'Bee'), a: text('A', 'Ay') })).toEqual({
      enum: ['b', 'a'],
      oneOf: [
        { const: 'b', title: 'Be', 'x-title': { es: 'Be', en: 'Bee' } },
        { const: 'a', title: 'A', 'x-title': { es: 'A', en: 'Ay' } },
      ],
    });
    expect(() => labelledEnum({})).toThrow(TypeError);
  });

  it('keeps the derived type a union of the values', () => {
    type C = CredentialsOf<typeof schema>;
    const typed: C = validateCredentials(schema, { clientId: 'c', environment: 'sandbox' });
    const environment: 'production' | 'sandbox' | undefined = typed.environment;
    // @ts-expect-error not one of the values
    const wrong: C = { clientId: 'c', environment: 'staging' };
    expect([environment, wrong.clientId]).toEqual(['sandbox', 'c']);
  });
});

describe('baseFields.region', () => {
  it('labels each region in both languages and lists the labels in the description', () => {
    const region = baseFields.region(
      { us: text('Estados Unidos', 'United States'), eu: text('UE', 'EU') },
      'us',
    );
    expect(region).toEqual({
      type: 'string',
      enum: ['us', 'eu'],
      oneOf: [
        { const: 'us', title: 'Estados Unidos', 'x-title': { es: 'Estados Unidos', en: 'United States' } },
        { const: 'eu', title: 'UE', 'x-title': { es: 'UE', en: 'EU' } },
      ],
      default: 'us',
      title: 'Región',
      description:
        'Región del proveedor: us (Estados Unidos), eu (UE). Todos los endpoints de la conexión usan el host de esta región.',
      'x-title': { es: 'Región', en: 'Region' },
      'x-description': {
        es: 'Región del proveedor: us (Estados Unidos), eu (UE). Todos los endpoints de la conexión usan el host de esta región.',
        en: "Provider region: us (United States), eu (EU). Every endpoint of the connection uses this region's host.",
      },
    });
  });

  it('still takes bare region codes (no labels)', () => {
    const region = baseFields.region(['main'], 'main');
    expect(region).toMatchObject({ enum: ['main'], default: 'main' });
    expect(region).not.toHaveProperty('oneOf');
    expect(region['x-description'].en).toBe(
      "Provider region: main. Every endpoint of the connection uses this region's host.",
    );
  });
});

describe('credentialSchemaIn', () => {
  it('is the TypeScript schema itself in Spanish (the default file)', () => {
    expect(credentialSchemaIn(schema, 'es')).toEqual(schema);
    expect(credentialSchemaIn(fixtureSchema, 'es')).toEqual(fixtureSchema);
  });

  it('puts every title and description in English, keeping the bilingual keywords and key order', () => {
    const en = credentialSchemaIn(schema, 'en');
    expect(en.$id).toBe('https://aic.test/lang.credentials.schema.en.json');
    expect([en.title, en.description]).toEqual(['Connection', 'Connection settings']);
    expect(en['x-title']).toEqual({ es: 'Conexión', en: 'Connection' });
    expect(en.properties.clientId).toMatchObject({ title: 'Client ID', 'x-title': { es: 'ID de cliente' } });
    expect(en.properties.environment).toMatchObject({
      title: 'Environment',
      description: 'Where the API is',
      enum: ['production', 'sandbox'],
      oneOf: [
        { const: 'production', title: 'Production', 'x-title': { es: 'Producción', en: 'Production' } },
        { const: 'sandbox', title: 'Sandbox', 'x-title': { es: 'Pruebas', en: 'Sandbox' } },
      ],
    });
    expect(en.properties.endpoints.properties.token.title).toBe('“token” endpoint');
    expect(Object.keys(en.properties.environment)).toEqual(Object.keys(schema.properties.environment));
    expect(Object.keys(en)).toEqual(Object.keys(schema));
    // The source is not touched.
    expect(schema.properties.environment.oneOf[0]?.title).toBe('Producción');
  });

  it('gives an $id without .json an .en suffix', () => {
    const plain = defineCredentialSchema({
      ...schema,
      $id: 'urn:aic:lang',
      title: schema['x-title'],
      description: schema['x-description'],
    });
    expect(credentialSchemaIn(plain, 'en').$id).toBe('urn:aic:lang.en');
  });

  it('validates the same in both languages, the labels of an enum adding no issue of their own', () => {
    const en = credentialSchemaIn(schema, 'en');
    for (const s of [schema, en]) {
      expect(validateCredentials(s, { clientId: 'c', environment: 'sandbox' })).toEqual({
        clientId: 'c',
        environment: 'sandbox',
      });
      expect(() => validateCredentials(s, { clientId: 'c', environment: 'staging' })).toThrow(
        expect.objectContaining({
          issues: [
            {
              pointer: '/environment',
              message: {
                es: '«Entorno» debe ser uno de: production, sandbox',
                en: '“Environment” must be one of: production, sandbox',
              },
            },
          ],
        }),
      );
    }
    // Plain draft 2020-12 tooling (strict off for the x- keywords) accepts both documents too.
    const plain = new Ajv2020({ strict: false, validateFormats: false, logger: false });
    expect(plain.validate(en, { clientId: 'c', environment: 'production' })).toBe(true);
    expect(plain.validate(credentialSchemaIn(schema, 'es'), { clientId: 'c', environment: 'x' })).toBe(false);
    expect(compileCredentialSchema(en)).not.toBe(compileCredentialSchema(schema));
  });
});

describe('credentialSchemaJson', () => {
  it('is the published file: two-space JSON with a final newline, per language', () => {
    expect(CREDENTIAL_SCHEMA_FILES).toEqual({
      es: 'credentials.schema.json',
      en: 'credentials.schema.en.json',
    });
    const es = credentialSchemaJson(schema, 'es');
    expect(es).toBe(`${JSON.stringify(schema, null, 2)}\n`);
    expect(JSON.parse(credentialSchemaJson(schema, 'en'))).toEqual(credentialSchemaIn(schema, 'en'));
    expect(credentialSchemaJson(schema, 'en').endsWith('}\n')).toBe(true);
  });
});
