import { fixtureSchema } from '../__fixtures__/fixture-provider.js';
import { defineCredentialSchema } from '../credentials/define-schema.js';
import { baseFields } from '../credentials/fields.js';
import { credentialSchemaIn } from '../credentials/schema-language.js';
import { text } from '../errors/localized.js';
import { credentialSchemaFileIssues } from './schema-files.js';

type Doc = Record<string, unknown>;

/** A deep, mutable copy of the file the generator writes for `lang`. */
const fileIn = (lang: 'es' | 'en'): Doc =>
  structuredClone(credentialSchemaIn(fixtureSchema, lang)) as unknown as Doc;

/** The node at `path` below `node`, to change it in place. */
const child = (node: Doc, ...path: string[]): Doc => path.reduce((n, key) => n[key] as Doc, node);

describe('credentialSchemaFileIssues', () => {
  it('finds nothing wrong with the generated files', () => {
    expect(credentialSchemaFileIssues(fixtureSchema, fileIn('es'), 'es')).toEqual([]);
    expect(credentialSchemaFileIssues(fixtureSchema, fileIn('en'), 'en')).toEqual([]);
  });

  it('catches a file in the other language', () => {
    const issues = credentialSchemaFileIssues(fixtureSchema, fileIn('en'), 'es');
    expect(issues).toContain(
      '/: $id "https://aic.test/fixture.credentials.en.json" is not the es file\'s identifier',
    );
    expect(issues).toContain('/clientId: title is "Client ID", not the es text "ID de cliente"');
    expect(issues).toContain('/region (other): title is "Other", not the es text "Otra"');
    expect(issues).toContain(
      '/endpoints/token: description is "Overrides the region\'s “token” endpoint (https; http on loopback only).", not the es text "Reemplaza el endpoint «token» de la región (https; http solo en loopback)."',
    );
    expect(credentialSchemaFileIssues(fixtureSchema, fileIn('es'), 'en')).toContain(
      '/: $id "https://aic.test/fixture.credentials.json" is not the en file\'s identifier',
    );
  });

  it('catches a missing field, an extra field, a changed keyword and a lost bilingual label', () => {
    const file = fileIn('es');
    const properties = child(file, 'properties');
    delete properties['refreshToken'];
    properties['extra'] = { type: 'string' };
    child(properties, 'clientSecret')['maxLength'] = 10;
    child(properties, 'redirectUri')['x-title'] = { es: 'URI de redirección' };
    file['required'] = ['clientId'];
    expect(credentialSchemaFileIssues(fixtureSchema, file, 'es').sort()).toEqual(
      [
        '/: required differs from the TypeScript schema',
        '/extra: not in the TypeScript schema',
        '/refreshToken: missing',
        '/clientSecret: maxLength differs from the TypeScript schema',
        '/redirectUri: x-title differs from the TypeScript schema',
      ].sort(),
    );
  });

  it('catches an enum value without its label, or with two', () => {
    const file = fileIn('en');
    const region = child(file, 'properties', 'region');
    const options = region['oneOf'] as Doc[];
    region['oneOf'] = [options[0], options[0]];
    expect(credentialSchemaFileIssues(fixtureSchema, file, 'en')).toEqual([
      '/region: enum value "main" has 2 oneOf options, not 1',
      '/region: enum value "other" has 0 oneOf options, not 1',
    ]);
  });

  it('catches a source whose enum has no labels', () => {
    const bare = defineCredentialSchema({
      $id: 'https://aic.test/bare.json',
      title: text('Bare', 'Bare'),
      description: text('b', 'b'),
      properties: { region: baseFields.region(['a', 'b'], 'a') },
      required: [],
    });
    expect(credentialSchemaFileIssues(bare, credentialSchemaIn(bare, 'es'), 'es')).toEqual([
      '/region: enum values have no labels (oneOf)',
      '/region: enum value "a" has 0 oneOf options, not 1',
      '/region: enum value "b" has 0 oneOf options, not 1',
      '/region: oneOf has 0 options for 2 enum values',
    ]);
  });

  it('reports a file that is not a schema object', () => {
    expect(credentialSchemaFileIssues(fixtureSchema, null, 'es')).toEqual(['/: missing']);
  });
});
