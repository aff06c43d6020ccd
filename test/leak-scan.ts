/**
 * The pure half of the leak guard: where a secret hides in a text, and what of a value a person
 * (or a CI log) would see. No jest, no global state: `test/secrets.ts` keeps the registry and
 * `test/leak-guard.ts` wires the hooks.
 */
import { inspect, types } from 'node:util';

/** A secret the suite knows, with the label reported instead of its value. */
export interface KnownSecret {
  readonly value: string;
  readonly label: string;
}

/** Secrets shorter than this are never registered: they would match ordinary words. */
export const MIN_SECRET_LENGTH = 4;

/** Below this length a form only matches as a whole word (`AT-1` is not found in `FORMAT-1`). */
const WORD_MATCH_BELOW = 12;

/** RFC 6749 Appendix B form encoding, as `client_secret_basic` in `rfc6749` mode writes it. */
const formEncode = (value: string): string =>
  encodeURIComponent(value)
    .replace(/%20/g, '+')
    .replace(/[!'()*\-._~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function attempt(build: () => string): string | undefined {
  try {
    return build();
  } catch {
    return undefined;
  }
}

/**
 * Every way a secret is commonly written out: raw, JSON-escaped, `util.inspect`-escaped,
 * percent-encoded (URI component, form, RFC 6749 form) and base64 of its UTF-8 bytes.
 */
export function secretForms(secret: string): readonly string[] {
  let forms = formsCache.get(secret);
  if (forms === undefined) {
    if (formsCache.size >= 1000) formsCache.clear();
    forms = Object.freeze(computeForms(secret));
    formsCache.set(secret, forms);
  }
  return forms;
}

/** Registered secrets are few and scanned often; fuzz-generated ones only fill it up to a bound. */
const formsCache = new Map<string, readonly string[]>();

function computeForms(secret: string): string[] {
  const forms = new Set<string>([secret, JSON.stringify(secret).slice(1, -1), inspect(secret).slice(1, -1)]);
  const encoded = attempt(() => encodeURIComponent(secret));
  if (encoded !== undefined) {
    forms.add(encoded);
    forms.add(encoded.replace(/%20/g, '+'));
    forms.add(formEncode(secret));
  }
  if (secret.length >= 8) forms.add(Buffer.from(secret, 'utf8').toString('base64').replace(/=+$/, ''));
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Start indexes of `form` in `text`; short forms only where they stand as a whole word. */
function occurrences(text: string, form: string): number[] {
  const found: number[] = [];
  for (let at = text.indexOf(form); at !== -1; at = text.indexOf(form, at + 1)) {
    if (form.length < WORD_MATCH_BELOW) {
      const before = text.slice(Math.max(0, at - 2), at);
      const after = text.slice(at + form.length, at + form.length + 2);
      const lastBefore = [...before].at(-1);
      const firstAfter = [...after][0];
      if (
        (lastBefore !== undefined && WORD_CHAR.test(lastBefore)) ||
        (firstAfter !== undefined && WORD_CHAR.test(firstAfter))
      ) {
        continue;
      }
    }
    found.push(at);
  }
  return found;
}

/** Labels of the secrets found in `text`, in any of their {@link secretForms}. */
export function findSecrets(text: string, secrets: Iterable<KnownSecret>): string[] {
  const labels = new Set<string>();
  for (const secret of secrets) {
    if (secretForms(secret.value).some((form) => occurrences(text, form).length > 0))
      labels.add(secret.label);
  }
  return [...labels];
}

/** `text` with every form of every secret replaced by `[LEAKED SECRET: <label>]`. */
export function redactSecrets(text: string, secrets: Iterable<KnownSecret>): string {
  let out = text;
  for (const secret of secrets) {
    for (const form of [...secretForms(secret.value)].sort((a, b) => b.length - a.length)) {
      const starts = occurrences(out, form);
      for (const at of starts.reverse()) {
        out = `${out.slice(0, at)}[LEAKED SECRET: ${secret.label}]${out.slice(at + form.length)}`;
      }
    }
  }
  return out;
}

const isError = (value: unknown): value is Error => types.isNativeError(value) || value instanceof Error;

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch (error) {
    return `[unserializable: ${isError(error) ? error.message : 'unknown'}]`;
  }
}

/**
 * The texts a value shows a reader: for an error its message, stack, `JSON.stringify`,
 * `util.inspect` and localized texts; for anything else its JSON and `util.inspect` forms.
 */
export function renderForScan(value: unknown): { readonly view: string; readonly text: string }[] {
  if (typeof value === 'string') return [{ view: 'text', text: value }];
  const views = [
    { view: 'JSON.stringify', text: safeJson(value) },
    { view: 'util.inspect', text: inspect(value, { depth: 8, maxStringLength: Infinity }) },
  ];
  if (!isError(value)) return views;
  const localized = (value as { localized?: unknown }).localized;
  return [
    { view: 'message', text: String(value.message) },
    { view: 'stack', text: value.stack ?? '' },
    ...views,
    ...(localized === undefined ? [] : [{ view: 'localized', text: safeJson(localized) }]),
  ];
}

/** `{ label, view }` for every secret a value shows, per view. */
export function scanValue(
  value: unknown,
  secrets: Iterable<KnownSecret>,
): { readonly label: string; readonly view: string }[] {
  const list = [...secrets];
  return renderForScan(value).flatMap(({ view, text }) =>
    findSecrets(text, list).map((label) => ({ label, view })),
  );
}

export { isError };
