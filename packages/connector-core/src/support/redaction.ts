/** What replaces a secret wherever one would otherwise be shown. */
export const REDACTED = '[REDACTED]';

/**
 * Field names whose values are secret wherever they appear (log fields, form bodies, JSON).
 * Compared case-insensitively, ignoring `_` and `-`.
 */
const SECRET_KEYS = new Set([
  'accesstoken',
  'refreshtoken',
  'idtoken',
  'clientsecret',
  'password',
  'code',
  'codeverifier',
  'authorization',
  'token',
  'secret',
  'assertion',
  'apikey',
  'cookie',
  'setcookie',
]);

const normalizeKey = (key: string): string => key.toLowerCase().replace(/[-_]/g, '');

/** True when a field called `key` holds a secret. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(normalizeKey(key));
}

/**
 * A deep copy of `value` with every secret-named field replaced by {@link REDACTED}. Cycles and
 * depth beyond 8 are cut. Used by the logger and by error/report serializers.
 */
export function redactFields(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value) || depth > 8) return '[…]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactFields(item, depth + 1, seen));
  if (value instanceof Error) return value;
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactFields(field, depth + 1, seen);
  }
  return out;
}

/**
 * Replaces every occurrence of any of `secrets` in `text` (secrets shorter than 4 characters are
 * ignored: they would blank out ordinary words). Used on provider-supplied text such as
 * `error_description` before it reaches a message, since a provider may echo what it received.
 */
export function scrubSecrets(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const secret of secrets) {
    if (secret !== undefined && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** Provider text cut to a readable length, control characters removed. */
export function sanitizeProviderText(value: unknown, max = 200): string | undefined {
  if (typeof value !== 'string') return undefined;
  // eslint-disable-next-line no-control-regex
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
