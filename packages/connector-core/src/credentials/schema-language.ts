import type { LocalizedText } from '../errors/localized.js';
import type { CredentialSchema } from './schema-types.js';

/** The languages credential schemas are published in; Spanish is the default. */
export type SchemaLanguage = 'es' | 'en';

/**
 * The file each language's credential schema is published as, beside `package.json` and in the
 * package's `exports`: Spanish is the default file, English sits beside it.
 */
export const CREDENTIAL_SCHEMA_FILES: Readonly<Record<SchemaLanguage, string>> = Object.freeze({
  es: 'credentials.schema.json',
  en: 'credentials.schema.en.json',
});

type SchemaNode = Readonly<Record<string, unknown>>;

const isLocalized = (value: unknown): value is LocalizedText =>
  typeof value === 'object' && value !== null && typeof (value as LocalizedText).es === 'string';

function localize(node: SchemaNode, lang: SchemaLanguage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, SchemaNode>).map(([name, field]) => [
          name,
          localize(field, lang),
        ]),
      );
    } else if (key === 'oneOf' && Array.isArray(value)) {
      out[key] = (value as SchemaNode[]).map((option) => localize(option, lang));
    } else {
      out[key] = value;
    }
  }
  // Existing keys keep their place; the text is the one of the requested language.
  if (isLocalized(node['x-title'])) out['title'] = node['x-title'][lang];
  if (isLocalized(node['x-description'])) out['description'] = node['x-description'][lang];
  return out;
}

/**
 * The credential schema with plain `title` and `description` in one language (taken from each
 * node's `x-title` / `x-description`, which are kept for hosts that switch language at run time),
 * for generic JSON Schema form renderers: the root, every field, nested fields and the labels of
 * enum values (`oneOf[].title`). The English schema's `$id` ends in `.en.json` (two documents, two
 * identifiers); validation is the same in both languages.
 */
export function credentialSchemaIn<S extends CredentialSchema>(schema: S, lang: SchemaLanguage): S {
  const localized = localize(schema as unknown as SchemaNode, lang);
  if (lang === 'en') {
    localized['$id'] = schema.$id.endsWith('.json')
      ? `${schema.$id.slice(0, -'.json'.length)}.en.json`
      : `${schema.$id}.en`;
  }
  return localized as unknown as S;
}

/**
 * The exact text of the published `credentials.schema.json` (`es`) or `credentials.schema.en.json`
 * (`en`): {@link credentialSchemaIn} as JSON with two-space indentation and a final newline. A
 * package writes its files with it and checks in a test that the committed files still equal it.
 */
export function credentialSchemaJson(schema: CredentialSchema, lang: SchemaLanguage): string {
  return `${JSON.stringify(credentialSchemaIn(schema, lang), null, 2)}\n`;
}
