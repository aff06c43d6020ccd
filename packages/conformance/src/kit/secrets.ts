/** What a secret is, so a leak is reported by role ("the refresh token"), never by value. */
export type SecretKind =
  | 'client secret'
  | 'access token'
  | 'refresh token'
  | 'id token'
  | 'authorization code'
  | 'PKCE verifier'
  | 'Basic credentials'
  | 'credential';

/** Shorter values are not tracked: they would match ordinary words. */
const MIN_LENGTH = 8;

/** RFC 6749 Appendix B form encoding (space as `+`), the way a value appears in a form body. */
const formEncode = (value: string): string => encodeURIComponent(value).replace(/%20/g, '+');

/**
 * The forms a secret takes when it leaks: as is, percent-encoded (a URL), form-encoded (a body),
 * and JSON-escaped (a JSON log line).
 */
function variants(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, encodeURIComponent(value), formEncode(value), json])];
}

export const REDACTED = '[REDACTED]';

/**
 * Every secret a scenario used or issued (client secrets, tokens, codes, PKCE verifiers, Basic
 * credentials). Hygiene checks search output for them; the runner redacts them from every
 * failure text before it reaches a report.
 */
export class SecretRegistry {
  readonly #byVariant = new Map<string, SecretKind>();
  #ordered: string[] | undefined;

  add(kind: SecretKind, value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < MIN_LENGTH) return;
    for (const variant of variants(value)) {
      if (!this.#byVariant.has(variant)) this.#byVariant.set(variant, kind);
    }
    this.#ordered = undefined;
  }

  /** Every tracked secret and its variants, longest first. */
  values(): readonly string[] {
    this.#ordered ??= [...this.#byVariant.keys()].sort((a, b) => b.length - a.length);
    return this.#ordered;
  }

  /** The kinds of secret that occur in `text` (empty when it is clean). */
  find(text: string): SecretKind[] {
    const found = new Set<SecretKind>();
    for (const variant of this.values()) {
      if (text.includes(variant)) found.add(this.#byVariant.get(variant) ?? 'credential');
    }
    return [...found];
  }

  /** `text` with every tracked secret replaced by {@link REDACTED}. */
  redact(text: string): string {
    let out = text;
    for (const variant of this.values()) {
      if (out.includes(variant)) out = out.split(variant).join(REDACTED);
    }
    return out;
  }

  /** Copies every secret of `other` into this registry. */
  merge(other: SecretRegistry): void {
    for (const variant of other.values()) {
      if (!this.#byVariant.has(variant)) this.#byVariant.set(variant, other.#byVariant.get(variant)!);
    }
    this.#ordered = undefined;
  }
}
