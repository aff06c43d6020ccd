import { compileCredentialSchema, type FieldSchema, type LocalizedText } from '@aic/connector-core';
import { check, describeError } from '../../kit/expect.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';

const DRAFT_2020_12 = 'https://json-schema.org/draft/2020-12/schema';

/** Names that hold secrets when they are plain strings (not URLs or dates). */
const SECRET_NAME = /secret|password|passphrase|token|api[-_]?key|private[-_]?key/i;

const isLabel = (value: unknown): value is LocalizedText =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as LocalizedText).es === 'string' &&
  (value as LocalizedText).es.trim() !== '' &&
  typeof (value as LocalizedText).en === 'string' &&
  (value as LocalizedText).en.trim() !== '';

/** Problems of one field and its children, by JSON pointer. */
function fieldProblems(pointer: string, name: string, field: FieldSchema): string[] {
  const problems: string[] = [];
  if (!isLabel(field['x-title'])) problems.push(`${pointer}: x-title must hold non-empty es and en labels`);
  if (!isLabel(field['x-description']))
    problems.push(`${pointer}: x-description must hold non-empty es and en texts`);
  const looksSecret = field.type === 'string' && field.format === undefined && SECRET_NAME.test(name);
  if (looksSecret && field['x-secret'] !== true)
    problems.push(`${pointer}: looks secret but is not marked x-secret`);
  if (field['x-secret'] === true && field.writeOnly !== true)
    problems.push(`${pointer}: a secret must also be writeOnly`);
  if (field.type === 'object') {
    for (const [child, schema] of Object.entries(field.properties)) {
      problems.push(...fieldProblems(`${pointer}/${child}`, child, schema));
    }
  }
  return problems;
}

/**
 * The credential schema is the form a host shows and the contract credentials are checked
 * against: valid JSON Schema (draft 2020-12, compiled by core's validator), labelled in Spanish
 * and English everywhere, secrets marked (`x-secret` + `writeOnly`), the client fields present,
 * and the manifest's sample credentials valid against it.
 */
export const credentialSchema = defineScenario({
  id: 'contract.credential-schema',
  title: 'The credential schema is valid JSON Schema with es/en labels and secrets marked',
  family: 'contract',
  rule: {
    source: 'JSON Schema 2020-12; DESIGN.md (credential contract)',
    url: 'https://json-schema.org/draft/2020-12/json-schema-core',
  },
  appliesTo: always,
  async run(ctx) {
    const schema = ctx.manifest.credentialSchema;
    check(schema.$schema === DRAFT_2020_12, `$schema is "${String(schema.$schema)}", not ${DRAFT_2020_12}`);
    check(schema.type === 'object', 'the schema does not describe an object');
    try {
      compileCredentialSchema(schema);
    } catch (error) {
      check(false, `the schema does not compile: ${describeError(error)}`);
    }
    const problems: string[] = [];
    if (!isLabel(schema['x-title'])) problems.push('/: x-title must hold non-empty es and en labels');
    if (!isLabel(schema['x-description']))
      problems.push('/: x-description must hold non-empty es and en texts');
    for (const [name, field] of Object.entries(schema.properties)) {
      problems.push(...fieldProblems(`/${name}`, name, field));
    }
    const { id, secret } = ctx.manifest.clientFields;
    if (schema.properties[id]?.type !== 'string')
      problems.push(`/${id}: the client id field is missing or not a string`);
    if (schema.properties[secret]?.['x-secret'] !== true)
      problems.push(`/${secret}: the client secret field is missing or not x-secret`);
    check(problems.length === 0, problems[0] ?? '', problems.slice(1));
    try {
      ctx.connector.validateCredentials(ctx.manifest.sampleCredentials);
    } catch (error) {
      check(false, `the manifest's sample credentials fail the schema: ${describeError(error)}`);
    }
  },
});
