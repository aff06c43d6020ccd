/**
 * The checks of a connector package's published credential schema files, shared by the provider
 * packages' specs (imported by relative path, as `test/secrets.ts` is): one call per package.
 */
import { readFileSync } from 'node:fs';
import { CREDENTIAL_SCHEMA_FILES, credentialSchemaJson, type CredentialSchema } from '@aic/connector-core';
import { credentialSchemaFileIssues } from '@aic/connector-core/testing';

/** A JSON file of the package at `packageRoot` (e.g. `package.json`), parsed. */
export const packageFile = (packageRoot: URL, name: string): unknown =>
  JSON.parse(readFileSync(new URL(name, packageRoot), 'utf8')) as unknown;

/**
 * For each language, that the package's committed file (`credentials.schema.json`,
 * `credentials.schema.en.json`) is what `pnpm schemas` writes from `credentialSchema`, that it has
 * every field, enum value and label in its own language (`credentialSchemaFileIssues`), and that
 * the package exports and publishes it.
 *
 * ```ts
 * describePublishedCredentialSchemas(credentialSchema, new URL('../', import.meta.url));
 * ```
 */
export function describePublishedCredentialSchemas(
  credentialSchema: CredentialSchema,
  packageRoot: URL,
): void {
  describe.each(['es', 'en'] as const)('the published %s credential schema', (lang) => {
    const name = CREDENTIAL_SCHEMA_FILES[lang];
    const committed = readFileSync(new URL(name, packageRoot), 'utf8');

    it('is what the generator writes from the TypeScript schema (run `pnpm schemas` after a change)', () => {
      expect(committed).toBe(credentialSchemaJson(credentialSchema, lang));
    });

    it('has every field, enum value and description, titled in its own language', () => {
      expect(credentialSchemaFileIssues(credentialSchema, JSON.parse(committed), lang)).toEqual([]);
    });

    it('is exported and published', () => {
      expect(packageFile(packageRoot, 'package.json')).toMatchObject({
        exports: { [`./${name}`]: `./${name}` },
        files: expect.arrayContaining([name]) as unknown,
      });
    });
  });
}
