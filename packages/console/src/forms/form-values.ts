import type { FormField } from './schema-fields.js';
import { valueAt } from './schema-fields.js';

/**
 * Credentials from a submitted form, field by field as the schema describes them. Values are
 * converted (numbers, booleans) but not judged: the connector's own `validateCredentials` does
 * that, and its issues come back by JSON pointer.
 *
 * - An empty optional field is left out (a blank text box means "not set").
 * - A blank **secret** keeps the stored value (`previous`), so secrets are never sent to the
 *   browser and never have to be retyped; a secret that was never stored stays absent.
 * - A group (`endpoints`) with every field blank is left out.
 * - Fields the form does not show (`hidden`, e.g. the imported refresh token, which has its
 *   own page) keep their stored value.
 */
export function credentialsFromForm(
  fields: readonly FormField[],
  form: URLSearchParams,
  previous: Readonly<Record<string, unknown>> | undefined,
  hidden: readonly string[] = [],
): Record<string, unknown> {
  const credentials = collect(fields, form, previous);
  for (const pointer of hidden) {
    const key = pointer.slice(1);
    const stored = valueAt(previous, pointer);
    if (stored !== undefined && !key.includes('/')) credentials[key] = stored;
  }
  return credentials;
}

function collect(
  fields: readonly FormField[],
  form: URLSearchParams,
  previous: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    const value = fieldValue(field, form, previous);
    if (value !== undefined) out[field.key] = value;
  }
  return out;
}

function fieldValue(
  field: FormField,
  form: URLSearchParams,
  previous: Readonly<Record<string, unknown>> | undefined,
): unknown {
  const raw = form.get(field.pointer);
  switch (field.kind) {
    case 'group': {
      const group = collect(field.children, form, previous);
      return Object.keys(group).length === 0 ? undefined : group;
    }
    case 'secret':
      if (raw === null || raw === '') {
        const stored = valueAt(previous, field.pointer);
        return typeof stored === 'string' ? stored : undefined;
      }
      return raw; // as typed: a secret may begin or end with spaces
    case 'boolean':
      return raw === 'true' || raw === 'on';
    case 'number':
    case 'integer': {
      const text = (raw ?? '').trim();
      if (text === '') return undefined;
      const number = Number(text);
      return Number.isFinite(number) ? number : text; // the schema check names the field
    }
    default: {
      const text = (raw ?? '').trim();
      return text === '' ? undefined : text;
    }
  }
}
