import { StoreFailureError, type RecordCipher, type SealedRecord } from '@aic/connector-core';

/** The `format` marker of an encrypted store file. */
export const STORE_FORMAT = 'aic-token-store';
/** The file layout version this code reads and writes. */
export const STORE_VERSION = 1;

/** The two kinds of records a store file holds. */
export type StoreSection = 'tokens' | 'pending';

/**
 * The additional authenticated data of a record: format version, section and key. A ciphertext
 * copied to another key or section fails authentication.
 */
export const recordContext = (section: StoreSection, key: string): string =>
  `aic-store/v${STORE_VERSION}\u0000${section}\u0000${key}`;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isSealed = (value: unknown): value is SealedRecord =>
  isObject(value) &&
  typeof value['kid'] === 'string' &&
  typeof value['iv'] === 'string' &&
  typeof value['data'] === 'string' &&
  typeof value['tag'] === 'string';

/**
 * An encrypted store file in memory: sealed records per section, plus a dirty flag so that a
 * write happens only when something changed.
 *
 * On disk (pretty JSON, version 1):
 * ```json
 * { "format": "aic-token-store", "version": 1,
 *   "tokens":  { "<key>": { "kid": "…", "iv": "…", "data": "…", "tag": "…" } },
 *   "pending": { "<key>": { … } },
 *   "mac": { "kid": "…", "value": "…" } }
 * ```
 * Records are encrypted one by one ({@link RecordCipher.seal}); the `mac` (HMAC-SHA256 over a
 * canonical form of every entry) also catches a record removed, added or replaced by an older
 * copy of itself.
 */
export class StoreDocument {
  readonly #sections: Record<StoreSection, Map<string, SealedRecord>>;
  #dirty = false;

  constructor(tokens = new Map<string, SealedRecord>(), pending = new Map<string, SealedRecord>()) {
    this.#sections = { tokens, pending };
  }

  get dirty(): boolean {
    return this.#dirty;
  }

  /** Marks the document for writing even if no record changed (e.g. to re-MAC with a new key). */
  touch(): void {
    this.#dirty = true;
  }

  get(section: StoreSection, key: string): SealedRecord | undefined {
    return this.#sections[section].get(key);
  }

  put(section: StoreSection, key: string, sealed: SealedRecord): void {
    this.#sections[section].set(key, sealed);
    this.#dirty = true;
  }

  remove(section: StoreSection, key: string): boolean {
    const removed = this.#sections[section].delete(key);
    this.#dirty ||= removed;
    return removed;
  }

  entries(section: StoreSection): [string, SealedRecord][] {
    return [...this.#sections[section].entries()];
  }

  /** Deterministic text the document MAC covers: every entry of both sections, sorted by key. */
  canonical(): string {
    const list = (section: StoreSection): string[][] =>
      [...this.#sections[section].keys()].sort().map((key) => {
        const sealed = this.#sections[section].get(key)!;
        return [key, sealed.kid, sealed.iv, sealed.data, sealed.tag];
      });
    return JSON.stringify([STORE_FORMAT, STORE_VERSION, list('tokens'), list('pending')]);
  }

  serialize(cipher: RecordCipher): string {
    const section = (name: StoreSection): Json => Object.fromEntries(this.#sections[name]);
    return `${JSON.stringify(
      {
        format: STORE_FORMAT,
        version: STORE_VERSION,
        tokens: section('tokens'),
        pending: section('pending'),
        mac: cipher.authenticate(this.canonical()),
      },
      null,
      2,
    )}\n`;
  }

  /**
   * Parses and authenticates a store file. Throws {@link StoreFailureError}: `corrupted` for an
   * empty, truncated, foreign or tampered file, `unsupported_format` for a newer version,
   * `wrong_key` when no configured key made its MAC.
   */
  static parse(raw: string, cipher: RecordCipher, where: string): StoreDocument {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new StoreFailureError('corrupted', where);
    }
    if (!isObject(parsed) || parsed['format'] !== STORE_FORMAT)
      throw new StoreFailureError('corrupted', where);
    if (parsed['version'] !== STORE_VERSION) {
      throw new StoreFailureError(
        typeof parsed['version'] === 'number' ? 'unsupported_format' : 'corrupted',
        where,
      );
    }
    const section = (name: StoreSection): Map<string, SealedRecord> => {
      const value = parsed[name];
      if (!isObject(value)) throw new StoreFailureError('corrupted', where);
      const entries = Object.entries(value);
      if (!entries.every(([, sealed]) => isSealed(sealed))) throw new StoreFailureError('corrupted', where);
      return new Map(entries as [string, SealedRecord][]);
    };
    const document = new StoreDocument(section('tokens'), section('pending'));
    const mac = parsed['mac'];
    if (!isObject(mac) || typeof mac['kid'] !== 'string' || typeof mac['value'] !== 'string') {
      throw new StoreFailureError('corrupted', where);
    }
    cipher.verify(document.canonical(), { kid: mac['kid'], value: mac['value'] }, where);
    return document;
  }
}
