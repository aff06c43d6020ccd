import { text, type LocalizedText } from '@aic/connector-core';
import { attributes, html, type SafeHtml } from '../html/html.js';
import type { Lang } from '../i18n/lang.js';
import { valueAt, type FormField } from './schema-fields.js';

/** What the credential fields show. Secrets are never among `values`. */
export interface CredentialFormState {
  readonly lang: Lang;
  /** Values to show (stored, or as submitted after a refusal). Secret fields ignore them. */
  readonly values: Readonly<Record<string, unknown>> | undefined;
  /** Pointers of secrets that have a stored value ("leave blank to keep"). */
  readonly storedSecrets: ReadonlySet<string>;
  /** Problems by JSON pointer, from the connector's `InvalidCredentialsError`. */
  readonly issues: ReadonlyMap<string, readonly LocalizedText[]>;
}

/** The HTML id of a field's control, from its pointer. */
export const fieldId = (pointer: string): string =>
  `f${pointer.replace(/[^A-Za-z0-9_-]/g, (c) => (c === '/' ? '-' : `_${c.charCodeAt(0).toString(16)}`))}`;

const optional = text('opcional', 'optional');
const keepSecret = text(
  'Guardado. Déjelo en blanco para conservarlo; nunca se muestra.',
  'Stored. Leave blank to keep it; it is never shown.',
);
const newSecret = text('Nunca se muestra después de guardarlo.', 'Never shown once saved.');

function control(field: FormField, state: CredentialFormState, describedBy: string | undefined): SafeHtml {
  const id = fieldId(field.pointer);
  const stored = valueAt(state.values, field.pointer);
  const shown = stored ?? field.defaultValue;
  const invalid = state.issues.has(field.pointer);
  const common = {
    id,
    name: field.pointer,
    'aria-describedby': describedBy,
    'aria-invalid': invalid ? 'true' : undefined,
  };
  switch (field.kind) {
    case 'secret':
      return html`<input${attributes({
        ...common,
        type: 'password',
        value: '',
        autocomplete: 'new-password',
        spellcheck: 'false',
        maxlength: field.maxLength,
        required: field.required && !state.storedSecrets.has(field.pointer),
      })}>`;
    case 'select': {
      const current = typeof shown === 'string' || typeof shown === 'number' ? String(shown) : '';
      const blank = field.required && current !== '' ? [] : [html`<option value="">—</option>`];
      return html`<select${attributes({ ...common, required: field.required })}>${blank}${field.options.map(
        (option) =>
          html`<option${attributes({ value: option.value, selected: option.value === current })}>${
            option.label === undefined ? option.value : option.label[state.lang]
          }</option>`,
      )}</select>`;
    }
    case 'boolean':
      return html`<input${attributes({ ...common, type: 'checkbox', value: 'true', checked: shown === true })}>`;
    case 'number':
    case 'integer':
      return html`<input${attributes({
        ...common,
        type: 'number',
        step: field.kind === 'integer' ? '1' : 'any',
        min: field.minimum,
        max: field.maximum,
        value: typeof shown === 'number' || typeof shown === 'string' ? String(shown) : undefined,
        required: field.required,
      })}>`;
    default:
      return html`<input${attributes({
        ...common,
        type: field.kind === 'date' ? 'date' : field.kind === 'url' ? 'url' : 'text',
        value: typeof shown === 'string' ? shown : undefined,
        maxlength: field.maxLength,
        spellcheck: 'false',
        autocomplete: 'off',
        required: field.required,
      })}>`;
  }
}

function fieldHtml(field: FormField, state: CredentialFormState): SafeHtml {
  const { lang } = state;
  if (field.kind === 'group') {
    return html`<fieldset class="group">
      <legend>${field.title[lang]}${field.required ? '' : html` <span class="optional">(${optional[lang]})</span>`}</legend>
      ${field.description === undefined ? '' : html`<p class="help">${field.description[lang]}</p>`}
      ${errorList(field.pointer, state)}
      ${field.children.map((child) => fieldHtml(child, state))}
    </fieldset>`;
  }
  const id = fieldId(field.pointer);
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const issues = state.issues.get(field.pointer) ?? [];
  const secretNote =
    field.kind === 'secret' ? (state.storedSecrets.has(field.pointer) ? keepSecret : newSecret) : undefined;
  const describedBy = [issues.length > 0 ? errorId : undefined, helpId].filter(Boolean).join(' ');
  return html`<div class="${issues.length > 0 ? 'field invalid' : 'field'}">
    <label for="${id}">${field.title[lang]}${field.required ? '' : html` <span class="optional">(${optional[lang]})</span>`}</label>
    ${control(field, state, describedBy)}
    ${issues.length === 0 ? '' : html`<p class="error" id="${errorId}">${issues.map((issue) => issue[lang]).join(' · ')}</p>`}
    <p class="help" id="${helpId}">${field.description?.[lang] ?? ''}${secretNote === undefined ? '' : html` <strong>${secretNote[lang]}</strong>`}</p>
  </div>`;
}

function errorList(pointer: string, state: CredentialFormState): SafeHtml | '' {
  const issues = state.issues.get(pointer);
  if (issues === undefined || issues.length === 0) return '';
  return html`<p class="error">${issues.map((issue) => issue[state.lang]).join(' · ')}</p>`;
}

/** The credential fields of a connector, rendered from its schema. */
export function credentialFields(fields: readonly FormField[], state: CredentialFormState): SafeHtml {
  return html`${fields.map((field) => fieldHtml(field, state))}`;
}

/** Every pointer a form shows (to tell which issues have a field and which need the summary). */
export function pointersOf(fields: readonly FormField[]): Set<string> {
  const out = new Set<string>();
  const walk = (list: readonly FormField[]): void => {
    for (const field of list) {
      out.add(field.pointer);
      walk(field.children);
    }
  };
  walk(fields);
  return out;
}
