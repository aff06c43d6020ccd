/**
 * HTML escaped by construction: a tagged template that knows, for every `${…}`, where in the
 * markup it sits (WHATWG HTML §13.2 tokenizer states, reduced to what these pages use) and
 * encodes the value for that place:
 *
 * - **text**: `&`, `<`, `>`, `"`, `'` become character references; a {@link SafeHtml} (another
 *   `html` result) or an array of them is inserted as is;
 * - **quoted attribute value**: the same escaping; in a URL attribute (`href`, `src`, `action`,
 *   `formaction`) a value that *starts* the attribute must be a same-origin path, a query, a
 *   fragment or an `http(s)` URL (anything else, `javascript:` included, becomes
 *   `about:invalid#blocked`), and a value *after* the start is a URL component, percent-encoded
 *   (`encodeURIComponent`) so it cannot change the path or add parameters;
 * - **inside a tag, outside quotes**: only {@link attributes} (`${attributes({ required: true })}`);
 *   anything else throws — an unquoted value could add attributes;
 * - **comments, `<script>`, `<style>`**: nothing may be interpolated (throws).
 *
 * Templates are scanned once per call site (cached by the template strings object).
 */

const brand = Symbol('SafeHtml');
/** Only this module holds it: nobody else can wrap a string as {@link SafeHtml}. */
const minting = Symbol('minting');

/** Markup produced by {@link html}: already escaped, inserted verbatim. */
export class SafeHtml {
  readonly [brand] = true;
  readonly #value: string;

  /** Not for use outside this module: build markup with {@link html}. */
  constructor(token: typeof minting, value: string) {
    if (token !== minting) throw new TypeError('SafeHtml is built with html`…`, never from a string');
    this.#value = value;
  }

  toString(): string {
    return this.#value;
  }
}

const attributesBrand = Symbol('SafeAttributes');

/** A set of attributes for the inside of a tag, from {@link attributes}. */
export class SafeAttributes {
  readonly [attributesBrand] = true;
  readonly #value: string;

  /** Not for use outside this module: build attributes with {@link attributes}. */
  constructor(token: typeof minting, value: string) {
    if (token !== minting) throw new TypeError('SafeAttributes are built with attributes({…})');
    this.#value = value;
  }

  toString(): string {
    return this.#value;
  }
}

/** What may be interpolated into {@link html}. `null`, `undefined` and `false` render nothing. */
export type HtmlValue =
  string | number | boolean | null | undefined | SafeHtml | SafeAttributes | readonly HtmlValue[];

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for an HTML text node or a quoted attribute value. */
export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const URL_ATTRIBUTES = new Set(['href', 'src', 'action', 'formaction', 'poster', 'cite']);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style']);
const BLOCKED_URL = 'about:invalid#blocked';

/**
 * A URL that may start a URL attribute: a path on this origin (`/…`, not `//…`), a query
 * (`?…`), a fragment (`#…`), or an absolute `http:` / `https:` URL. Anything else
 * (`javascript:`, `data:`, protocol-relative, backslash tricks) is replaced.
 */
export function safeUrl(value: string): string {
  if (/^\/(?![/\\])/.test(value) || value.startsWith('?') || value.startsWith('#')) {
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u001f\\]/.test(value) ? BLOCKED_URL : value;
  }
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : BLOCKED_URL;
  } catch {
    return BLOCKED_URL;
  }
}

type Context =
  | { readonly kind: 'text' }
  | { readonly kind: 'tag' }
  | { readonly kind: 'attribute'; readonly name: string; readonly atStart: boolean }
  | { readonly kind: 'forbidden'; readonly where: string };

type State = 'text' | 'tag' | 'dq' | 'sq' | 'comment' | 'raw';

/** The context of each interpolation of one template (scanned once). */
function scan(strings: readonly string[]): Context[] {
  let state: State = 'text';
  let tagName = '';
  let rawEnd = '';
  let attribute = '';
  // Where the open quoted value began in the current chunk; -2 when it began in an earlier one.
  let valueStart: number;
  const contexts: Context[] = [];
  for (let chunk = 0; chunk < strings.length; chunk++) {
    const s = strings[chunk]!;
    let i = 0;
    valueStart = state === 'dq' || state === 'sq' ? -2 : -1;
    while (i < s.length) {
      const c = s[i]!;
      switch (state) {
        case 'text':
          if (s.startsWith('<!--', i)) {
            state = 'comment';
            i += 4;
            continue;
          }
          if (c === '<' && /[A-Za-z/!]/.test(s[i + 1] ?? '')) {
            const name = /^<\/?([A-Za-z][A-Za-z0-9-]*)/.exec(s.slice(i));
            tagName = (name?.[1] ?? '').toLowerCase();
            const closing = s[i + 1] === '/';
            state = 'tag';
            i += 1 + (closing ? 1 : 0) + tagName.length;
            if (closing) tagName = '';
            attribute = '';
            continue;
          }
          break;
        case 'tag':
          if (c === '>') {
            if (RAW_TEXT_ELEMENTS.has(tagName)) {
              state = 'raw';
              rawEnd = `</${tagName}`;
            } else state = 'text';
          } else if (c === '"' || c === "'") {
            state = c === '"' ? 'dq' : 'sq';
            valueStart = i + 1;
          } else if (/[A-Za-z_:-]/.test(c)) {
            const name = /^[A-Za-z_:][A-Za-z0-9_:.-]*/.exec(s.slice(i))![0];
            attribute = name.toLowerCase();
            i += name.length;
            continue;
          }
          break;
        case 'dq':
        case 'sq':
          if (c === (state === 'dq' ? '"' : "'")) state = 'tag';
          break;
        case 'comment':
          if (s.startsWith('-->', i)) {
            state = 'text';
            i += 3;
            continue;
          }
          break;
        case 'raw':
          if (s.slice(i, i + rawEnd.length).toLowerCase() === rawEnd) {
            state = 'tag';
            tagName = '';
            i += rawEnd.length;
            continue;
          }
          break;
      }
      i++;
    }
    if (chunk === strings.length - 1) break;
    switch (state) {
      case 'text':
        contexts.push({ kind: 'text' });
        break;
      case 'tag':
        contexts.push({ kind: 'tag' });
        break;
      case 'dq':
      case 'sq':
        contexts.push({
          kind: 'attribute',
          name: attribute,
          // At the start when nothing (static or interpolated) precedes it inside the quotes.
          atStart: valueStart >= 0 && valueStart === s.length,
        });
        break;
      case 'comment':
        contexts.push({ kind: 'forbidden', where: 'an HTML comment' });
        break;
      case 'raw':
        contexts.push({ kind: 'forbidden', where: `a <${tagName}> element` });
        break;
    }
  }
  return contexts;
}

const scanned = new WeakMap<TemplateStringsArray, Context[]>();

function textValue(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(textValue).join('');
  if (value instanceof SafeAttributes) {
    throw new TypeError('html: attributes() belongs inside a tag, not in text');
  }
  return escapeHtml(String(value as string | number | boolean));
}

function attributeValue(value: HtmlValue, name: string, atStart: boolean): string {
  if (value === null || value === undefined || value === false) return '';
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new TypeError(`html: only strings and numbers go in the "${name}" attribute`);
  }
  const text = String(value);
  if (!URL_ATTRIBUTES.has(name)) return escapeHtml(text);
  return escapeHtml(atStart ? safeUrl(text) : encodeURIComponent(text));
}

/** Builds escaped markup; see the module comment for what each position accepts. */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let contexts = scanned.get(strings);
  if (contexts === undefined) {
    contexts = scan(strings);
    scanned.set(strings, contexts);
  }
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) {
    const context = contexts[i]!;
    const value = values[i];
    switch (context.kind) {
      case 'text':
        out += textValue(value);
        break;
      case 'attribute':
        out += attributeValue(value, context.name, context.atStart);
        break;
      case 'tag':
        if (value instanceof SafeAttributes) out += value.toString();
        else if (value !== null && value !== undefined && value !== false) {
          throw new TypeError(
            'html: inside a tag only attributes({...}) may be interpolated; quote the value',
          );
        }
        break;
      case 'forbidden':
        throw new TypeError(`html: nothing may be interpolated into ${context.where}`);
    }
    out += strings[i + 1]!;
  }
  return new SafeHtml(minting, out);
}

/**
 * Attributes for the inside of a tag: `true` writes a boolean attribute, `false`, `null` and
 * `undefined` leave it out, strings and numbers are escaped (URL attributes checked as in
 * {@link safeUrl}). Names must be plain attribute names, never `on…` event handlers.
 */
export function attributes(
  values: Readonly<Record<string, string | number | boolean | null | undefined>>,
): SafeAttributes {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (!/^[a-z][a-z0-9-]*$/.test(name) || name.startsWith('on') || name === 'style') {
      throw new TypeError(`html: attribute name not allowed: ${name}`);
    }
    if (value === false || value === null || value === undefined) continue;
    out += value === true ? ` ${name}` : ` ${name}="${attributeValue(value, name, true)}"`;
  }
  return new SafeAttributes(minting, out);
}
