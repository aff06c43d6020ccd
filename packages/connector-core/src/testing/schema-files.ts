import type { SchemaLanguage } from '../credentials/schema-language.js';
import type { CredentialSchema, EnumOption, FieldSchema } from '../credentials/schema-types.js';
import type { LocalizedText } from '../errors/localized.js';

type Node = Readonly<Record<string, unknown>>;

const LABEL_KEYS = new Set(['title', 'description', 'x-title', 'x-description', 'properties', 'oneOf']);

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const isNode = (value: unknown): value is Node =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const filled = (label: unknown): label is LocalizedText =>
  isNode(label) &&
  typeof label['es'] === 'string' &&
  label['es'].trim() !== '' &&
  typeof label['en'] === 'string' &&
  label['en'].trim() !== '';

/** `title`/`description` in `lang`, both languages kept: the checks every labelled node gets. */
function labelIssues(at: string, source: Node, published: Node, lang: SchemaLanguage): string[] {
  const issues: string[] = [];
  for (const [plain, localized] of [
    ['title', 'x-title'],
    ['description', 'x-description'],
  ] as const) {
    const label = source[localized];
    if (label === undefined && plain === 'description') continue;
    if (!filled(label)) {
      issues.push(`${at}: the TypeScript schema has no ${localized} in es and en`);
      continue;
    }
    if (!same(published[localized], label))
      issues.push(`${at}: ${localized} differs from the TypeScript schema`);
    if (published[plain] !== label[lang])
      issues.push(
        `${at}: ${plain} is ${JSON.stringify(published[plain])}, not the ${lang} text ${JSON.stringify(label[lang])}`,
      );
  }
  return issues;
}

function enumIssues(at: string, source: FieldSchema, published: Node, lang: SchemaLanguage): string[] {
  if (source.type !== 'string' || source.enum === undefined) return [];
  const issues: string[] = [];
  const options = Array.isArray(published['oneOf']) ? (published['oneOf'] as Node[]) : [];
  if (source.oneOf === undefined) issues.push(`${at}: enum values have no labels (oneOf)`);
  for (const value of source.enum) {
    const matching = options.filter((option) => option['const'] === value);
    if (matching.length !== 1) {
      issues.push(`${at}: enum value ${JSON.stringify(value)} has ${matching.length} oneOf options, not 1`);
      continue;
    }
    const sourceOption = source.oneOf?.find((option: EnumOption) => option.const === value);
    if (sourceOption !== undefined)
      issues.push(...labelIssues(`${at} (${value})`, sourceOption as unknown as Node, matching[0]!, lang));
  }
  if (options.length !== source.enum.length)
    issues.push(`${at}: oneOf has ${options.length} options for ${source.enum.length} enum values`);
  return issues;
}

function nodeIssues(at: string, source: Node, published: unknown, lang: SchemaLanguage): string[] {
  if (!isNode(published)) return [`${at}: missing`];
  const issues = labelIssues(at, source, published, lang);
  // Two documents, two identifiers: the Spanish file keeps the TypeScript schema's $id.
  if (
    at === '/' &&
    (typeof published['$id'] !== 'string' || (lang === 'es') !== (published['$id'] === source['$id']))
  )
    issues.push(`/: $id ${JSON.stringify(published['$id'])} is not the ${lang} file's identifier`);
  for (const key of new Set([...Object.keys(source), ...Object.keys(published)])) {
    if (LABEL_KEYS.has(key) || (key === '$id' && at === '/')) continue;
    if (!same(source[key], published[key])) issues.push(`${at}: ${key} differs from the TypeScript schema`);
  }
  const sourceProperties = source['properties'] as Readonly<Record<string, FieldSchema>> | undefined;
  if (sourceProperties !== undefined) {
    const publishedProperties = isNode(published['properties']) ? published['properties'] : {};
    for (const name of Object.keys(publishedProperties)) {
      if (!(name in sourceProperties))
        issues.push(`${at === '/' ? '' : at}/${name}: not in the TypeScript schema`);
    }
    for (const [name, field] of Object.entries(sourceProperties)) {
      const pointer = `${at === '/' ? '' : at}/${name}`;
      const child = publishedProperties[name];
      issues.push(...nodeIssues(pointer, field as unknown as Node, child, lang));
      if (isNode(child)) issues.push(...enumIssues(pointer, field, child, lang));
    }
  }
  return issues;
}

/**
 * What is wrong with a published credential schema file (`credentials.schema.json` for `es`,
 * `credentials.schema.en.json` for `en`) compared with the TypeScript schema it is generated from,
 * checked field by field independently of the generator: every field present (and no other), every
 * keyword the same, `title` / `description` of the root, of each field and of each enum value's
 * label equal to its `x-title[lang]` / `x-description[lang]` (so in the file's language), the
 * bilingual keywords kept, and every enum value labelled once in `oneOf`, in Spanish and English.
 * Empty when the file is right.
 */
export function credentialSchemaFileIssues(
  source: CredentialSchema,
  published: unknown,
  lang: SchemaLanguage,
): string[] {
  return nodeIssues('/', source as unknown as Node, published, lang);
}
