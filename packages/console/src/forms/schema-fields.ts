import type { CredentialSchema, LocalizedText } from '@aic/connector-core';

/**
 * A credential field as the form sees it. Read loosely from the connector's JSON Schema (a
 * third-party connector may use more of JSON Schema than core's `FieldSchema` type names):
 * labels from `x-title` / `x-description`, secrets from `x-secret`, enum labels from
 * `oneOf[i]['x-title']` when the schema gives them.
 */
export interface FormField {
  /** JSON pointer (RFC 6901): the form control's name and the key of its errors. */
  readonly pointer: string;
  readonly key: string;
  readonly kind: 'text' | 'url' | 'date' | 'number' | 'integer' | 'boolean' | 'select' | 'secret' | 'group';
  readonly title: LocalizedText;
  readonly description: LocalizedText | undefined;
  readonly required: boolean;
  readonly defaultValue: unknown;
  readonly maxLength: number | undefined;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  /** Choices of a `select`: value and its label (the raw value when the schema has none). */
  readonly options: readonly { readonly value: string; readonly label: LocalizedText | undefined }[];
  /** Fields of a `group` (a nested object, e.g. `endpoints`). */
  readonly children: readonly FormField[];
}

type Loose = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Loose =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const localized = (value: unknown): LocalizedText | undefined =>
  isObject(value) && typeof value['es'] === 'string' && typeof value['en'] === 'string'
    ? { es: value['es'], en: value['en'] }
    : undefined;

const escapePointerToken = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');

function kindOf(schema: Loose): FormField['kind'] {
  if (schema['x-secret'] === true || schema['writeOnly'] === true) return 'secret';
  switch (schema['type']) {
    case 'object':
      return 'group';
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'number':
      return 'number';
    default:
      if (Array.isArray(schema['enum']) || Array.isArray(schema['oneOf'])) return 'select';
      if (schema['format'] === 'date') return 'date';
      if (schema['format'] === 'uri') return 'url';
      return 'text';
  }
}

function optionsOf(schema: Loose): FormField['options'] {
  const labels = new Map<string, LocalizedText | undefined>();
  if (Array.isArray(schema['oneOf'])) {
    for (const choice of schema['oneOf'] as unknown[]) {
      if (isObject(choice) && (typeof choice['const'] === 'string' || typeof choice['const'] === 'number')) {
        labels.set(String(choice['const']), localized(choice['x-title']));
      }
    }
  }
  const values = Array.isArray(schema['enum'])
    ? (schema['enum'] as unknown[]).map(String)
    : [...labels.keys()];
  return values.map((value) => ({ value, label: labels.get(value) }));
}

function fieldsOf(properties: Loose, required: readonly unknown[], prefix: string): FormField[] {
  return Object.entries(properties)
    .filter((entry): entry is [string, Loose] => isObject(entry[1]))
    .map(([key, schema]) => {
      const pointer = `${prefix}/${escapePointerToken(key)}`;
      const kind = kindOf(schema);
      const title = localized(schema['x-title']) ?? {
        es: typeof schema['title'] === 'string' ? schema['title'] : key,
        en: typeof schema['title'] === 'string' ? schema['title'] : key,
      };
      const number = (name: string): number | undefined =>
        typeof schema[name] === 'number' ? (schema[name] as number) : undefined;
      return {
        pointer,
        key,
        kind,
        title,
        description: localized(schema['x-description']),
        required: required.includes(key),
        defaultValue: schema['default'],
        maxLength: number('maxLength'),
        minimum: number('minimum'),
        maximum: number('maximum'),
        options: kind === 'select' ? optionsOf(schema) : [],
        children:
          kind === 'group' && isObject(schema['properties'])
            ? fieldsOf(
                schema['properties'],
                Array.isArray(schema['required']) ? (schema['required'] as unknown[]) : [],
                pointer,
              )
            : [],
      };
    });
}

/** The fields of a connector's credential schema, in schema order, minus `exclude` (pointers). */
export function formFields(schema: CredentialSchema, exclude: ReadonlySet<string> = new Set()): FormField[] {
  const loose = schema as unknown as Loose;
  const fields = fieldsOf(
    isObject(loose['properties']) ? loose['properties'] : {},
    Array.isArray(loose['required']) ? (loose['required'] as unknown[]) : [],
    '',
  );
  return fields.filter((field) => !exclude.has(field.pointer));
}

/** The value at a JSON pointer of `document`, or `undefined`. */
export function valueAt(document: unknown, pointer: string): unknown {
  let node: unknown = document;
  for (const token of pointer.split('/').slice(1)) {
    const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
    node = isObject(node) ? node[key] : undefined;
  }
  return node;
}
