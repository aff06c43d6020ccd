import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { StoreFailureError } from './store-failure.js';

/** Size of a store key: AES-256 (NIST SP 800-38D with a 256-bit key). */
export const STORE_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The keys of an encrypted store, supplied by the host (a key file, a secret manager, an
 * environment variable read by the host or CLI — never by library code).
 */
export interface StoreKeys {
  /** The key every write uses: 32 random bytes. */
  readonly current: Uint8Array;
  /** Older keys, accepted for reading only, until a rotation has re-encrypted everything. */
  readonly previous?: readonly Uint8Array[] | undefined;
}

/** One encrypted value: AES-256-GCM, base64url fields, tagged with the id of the key it used. */
export interface SealedRecord {
  /** Key id: a one-way fingerprint of the key (never the key). */
  readonly kid: string;
  readonly iv: string;
  readonly data: string;
  readonly tag: string;
}

/** A keyed MAC over a whole document, tagged with the id of the key it used. */
export interface DocumentMac {
  readonly kid: string;
  readonly value: string;
}

interface KeyMaterial {
  readonly id: string;
  readonly encryption: Buffer;
  readonly mac: Buffer;
}

/** Separate sub-keys for encryption and MAC (RFC 5869 HKDF), so one key is never used for both. */
function derive(key: Uint8Array): KeyMaterial {
  if (!(key instanceof Uint8Array) || key.length !== STORE_KEY_BYTES) {
    throw new ConnectorError(
      ErrorCode.Configuration,
      text(
        `La clave del almacén de tokens debe tener exactamente ${STORE_KEY_BYTES} bytes (256 bits) aleatorios.`,
        `A token store key must be exactly ${STORE_KEY_BYTES} random bytes (256 bits).`,
      ),
    );
  }
  const sub = (info: string): Buffer => Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32));
  return {
    id: createHmac('sha256', key).update('aic-store/key-id/v1').digest('hex').slice(0, 16),
    encryption: sub('aic-store/v1/record'),
    mac: sub('aic-store/v1/document-mac'),
  };
}

const b64 = (bytes: Buffer): string => bytes.toString('base64url');

/**
 * Authenticated encryption of store records: AES-256-GCM (NIST SP 800-38D) with a fresh random
 * 96-bit IV per record and the record's identity bound as additional authenticated data, so a
 * ciphertext moved to another record (or another store section) fails to open.
 *
 * Key rotation: {@link seal} always uses the current key; {@link open} accepts any configured
 * key, found by the record's key id. Keys live only in private fields: `util.inspect` and
 * `JSON.stringify` of a cipher show nothing.
 */
export class RecordCipher {
  readonly #current: KeyMaterial;
  readonly #byId = new Map<string, KeyMaterial>();

  constructor(keys: StoreKeys) {
    this.#current = derive(keys.current);
    this.#byId.set(this.#current.id, this.#current);
    for (const key of keys.previous ?? []) {
      const material = derive(key);
      if (!this.#byId.has(material.id)) this.#byId.set(material.id, material);
    }
  }

  /** Id of the key writes use. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  /** True when `sealed` was written with the current key (nothing to rotate). */
  isCurrent(sealed: SealedRecord): boolean {
    return sealed.kid === this.#current.id;
  }

  /** Encrypts `value` (as JSON) for the record named `context`. */
  seal(context: string, value: unknown): SealedRecord {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.encryption, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { kid: this.#current.id, iv: b64(iv), data: b64(data), tag: b64(cipher.getAuthTag()) };
  }

  /**
   * Decrypts a record sealed for `context`. Throws {@link StoreFailureError}: `wrong_key` when no
   * configured key has the record's key id, `corrupted` when it fails authentication (tampered,
   * truncated, or moved from another record).
   */
  open(context: string, sealed: SealedRecord, where: string): unknown {
    const key = this.#byId.get(sealed.kid);
    if (key === undefined) throw new StoreFailureError('wrong_key', where);
    const iv = Buffer.from(sealed.iv, 'base64url');
    const tag = Buffer.from(sealed.tag, 'base64url');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new StoreFailureError('corrupted', where);
    let plain: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key.encryption, iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      plain = Buffer.concat([
        decipher.update(Buffer.from(sealed.data, 'base64url')),
        decipher.final(),
      ]).toString('utf8');
    } catch (error) {
      throw new StoreFailureError('corrupted', where, { cause: error });
    }
    try {
      return JSON.parse(plain) as unknown;
    } catch {
      throw new StoreFailureError('corrupted', where);
    }
  }

  /** HMAC-SHA256 (RFC 2104) of a canonical document text, with the current key. */
  authenticate(canonical: string): DocumentMac {
    return { kid: this.#current.id, value: hmac(this.#current, canonical) };
  }

  /** Checks a document MAC; throws `wrong_key` (unknown key id) or `corrupted` (mismatch). */
  verify(canonical: string, mac: DocumentMac, where: string): void {
    const key = this.#byId.get(mac.kid);
    if (key === undefined) throw new StoreFailureError('wrong_key', where);
    const expected = Buffer.from(hmac(key, canonical), 'base64url');
    const given = Buffer.from(mac.value, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new StoreFailureError('corrupted', where);
    }
  }
}

function hmac(key: KeyMaterial, canonical: string): string {
  return b64(createHmac('sha256', key.mac).update(canonical, 'utf8').digest());
}

/** A fresh random store key (32 bytes from the CSPRNG). Store it like a password. */
export function generateStoreKey(): Buffer {
  return randomBytes(STORE_KEY_BYTES);
}

/**
 * Decodes a store key a host read from a key file or the environment: 64 hex characters, or
 * base64 / base64url of 32 bytes (surrounding whitespace ignored). Throws `ERR_CONFIGURATION`
 * (without echoing the input) for anything else.
 */
export function decodeStoreKey(encoded: string): Buffer {
  const value = encoded.trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(value)) key = Buffer.from(value, 'hex');
  else if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(value)) key = Buffer.from(value, 'base64');
  if (key?.length !== STORE_KEY_BYTES) {
    throw new ConnectorError(
      ErrorCode.Configuration,
      text(
        'La clave del almacén no es válida: use 32 bytes aleatorios en hexadecimal (64 caracteres) o base64 (44 caracteres).',
        'The store key is not valid: use 32 random bytes as hex (64 characters) or base64 (44 characters).',
      ),
    );
  }
  return key;
}
