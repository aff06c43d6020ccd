import type { LocalizedText } from '../errors/localized.js';
import type { CredentialSchema, FieldSchema } from './schema-types.js';

/**
 * Builds a connector's credential schema (JSON Schema draft 2020-12) from base and own fields.
 * The result is a plain, self-contained JSON document — Spanish first: plain `title` and
 * `description` in Spanish, both languages in `x-title` / `x-description`; exactly what
 * `credentials.schema.json` exports (`credentialSchemaIn(schema, 'en')` gives the English file) —
 * and keeps its literal type, from which `CredentialsOf<typeof schema>` derives the credentials.
 */
export function defineCredentialSchema<
  const P extends Readonly<Record<string, FieldSchema>>,
  const R extends readonly (keyof P & string)[],
>(definition: {
  $id: string;
  title: LocalizedText;
  description: LocalizedText;
  properties: P;
  required: R;
}): Omit<CredentialSchema, 'properties' | 'required'> & { readonly properties: P; readonly required: R } {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: definition.$id,
    title: definition.title.es,
    description: definition.description.es,
    'x-title': definition.title,
    'x-description': definition.description,
    type: 'object',
    properties: definition.properties,
    required: definition.required,
    additionalProperties: false,
  };
}

/** JSON pointers (RFC 6901) of every field marked `x-secret` in a schema. */
export function secretPointers(schema: CredentialSchema): string[] {
  const out: string[] = [];
  const walk = (properties: Readonly<Record<string, FieldSchema>>, prefix: string): void => {
    for (const [name, field] of Object.entries(properties)) {
      const pointer = `${prefix}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (field['x-secret'] === true) out.push(pointer);
      if (field.type === 'object') walk(field.properties, pointer);
    }
  };
  walk(schema.properties, '');
  return out;
}

/** The values at the secret pointers of `credentials` (for scrubbing provider text and logs). */
export function secretValues(schema: CredentialSchema, credentials: unknown): string[] {
  const out: string[] = [];
  for (const pointer of secretPointers(schema)) {
    let node: unknown = credentials;
    for (const part of pointer.slice(1).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
    }
    if (typeof node === 'string') out.push(node);
  }
  return out;
}
