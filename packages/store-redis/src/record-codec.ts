import {
  ConnectorError,
  ErrorCode,
  RecordCipher,
  StoreFailureError,
  text,
  type Logger,
  type SealedRecord,
  type StoreKeys,
} from '@aic/connector-core';
import { replyText } from './redis-commands.js';

/** How records are kept at rest: sealed with keys (the default), or plain JSON when asked for. */
export interface RecordProtection {
  /**
   * `{ current, previous? }` 32-byte keys: every value is AES-256-GCM ciphertext bound to its
   * kind and key. Required unless `plaintext` is `true`.
   */
  readonly keys?: StoreKeys | undefined;
  /**
   * Store tokens as plain JSON. Only for a Redis that nothing else can read (ACLs, TLS, no public
   * bind): a warning is logged when a store is built this way.
   */
  readonly plaintext?: boolean | undefined;
}

const isSealed = (value: unknown): value is SealedRecord =>
  value !== null &&
  typeof value === 'object' &&
  typeof (value as Record<string, unknown>)['kid'] === 'string' &&
  typeof (value as Record<string, unknown>)['data'] === 'string';

/** Tells the host, once per store, that tokens will be readable by anyone who can read Redis. */
function warnPlaintext(logger: Logger | undefined, where: string): void {
  const message = `${where}: tokens are stored in Redis as plain JSON (plaintext: true); anyone who can read Redis can use them`;
  if (logger !== undefined) logger.log('warn', message, {});
  else process.emitWarning(message, { code: 'AIC_REDIS_PLAINTEXT' });
}

/**
 * Encodes the JSON values of one store: sealed (`{ "v": 1, kid, iv, data, tag }`) with the record's
 * kind and key as additional authenticated data, so a value moved to another key fails to open.
 */
export class RecordCodec {
  readonly #cipher: RecordCipher | undefined;
  readonly #where: string;

  constructor(protection: RecordProtection, where: string, logger: Logger | undefined) {
    this.#where = where;
    if (protection.keys !== undefined) {
      this.#cipher = new RecordCipher(protection.keys);
      return;
    }
    if (protection.plaintext !== true) {
      throw new ConnectorError(
        ErrorCode.Configuration,
        text(
          'El almacén de tokens en Redis cifra los registros: indique las claves (keys: { current }) o, solo si Redis está protegido por otros medios, plaintext: true.',
          'The Redis token store encrypts its records: give it keys (keys: { current }) or, only if Redis is protected by other means, plaintext: true.',
        ),
      );
    }
    this.#cipher = undefined;
    warnPlaintext(logger, where);
  }

  encode(kind: 'token' | 'pending', key: string, value: unknown): string {
    if (this.#cipher === undefined) return JSON.stringify(value);
    return JSON.stringify({ v: 1, ...this.#cipher.seal(this.#context(kind, key), value) });
  }

  /** The value stored for `key`, checked by `check`; `undefined` when there is none. */
  decode<T>(
    kind: 'token' | 'pending',
    key: string,
    reply: unknown,
    check: (value: unknown, where: string) => T,
  ): T | undefined {
    const raw = replyText(reply);
    if (raw === null || raw === '') return undefined;
    const where = this.#where;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new StoreFailureError('corrupted', where);
    }
    if (this.#cipher !== undefined) {
      if (!isSealed(parsed)) throw new StoreFailureError('corrupted', where);
      return check(this.#cipher.open(this.#context(kind, key), parsed, where), where);
    }
    // A sealed value read without keys: the configuration lost its keys.
    if (isSealed(parsed)) throw new StoreFailureError('wrong_key', where);
    return check(parsed, where);
  }

  #context(kind: string, key: string): string {
    return `aic-redis/v2\u0000${kind}\u0000${key}`;
  }
}
