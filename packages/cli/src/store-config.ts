import { isAbsolute, join, resolve } from 'node:path';
import { decodeStoreKey, text, type LocalizedText } from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';
import { SecretReader, resolveRedisTarget } from './secret-sources.js';

/** Where tokens and pending authorizations live, as chosen by flags and environment. */
export type StoreConfig =
  | { readonly kind: 'memory' }
  | { readonly kind: 'file'; readonly path: string; readonly keys: StoreKeys }
  | {
      readonly kind: 'redis';
      /** Without the password (safe to show). */
      readonly url: string;
      /** From a file, the environment or standard input; never from the command line. */
      readonly password?: string | undefined;
      /** Prefix of every key (`AIC_REDIS_PREFIX`, default `aic:`). */
      readonly prefix: string;
      /** Records are sealed with these keys in Redis, unless `plaintext` was asked for. */
      readonly keys?: StoreKeys | undefined;
      /** `--redis-plaintext` / `AIC_REDIS_PLAINTEXT=1`: tokens as plain JSON (warned about). */
      readonly plaintext?: boolean | undefined;
    };

/** AES-256 keys of the encrypted file store: writes use `current`, reads also accept `previous`. */
export interface StoreKeys {
  readonly current: Buffer;
  readonly previous: readonly Buffer[];
}

/** Store-related flags (already parsed) and where relative paths start. */
export interface StoreFlags {
  readonly store?: string | undefined;
  readonly storePath?: string | undefined;
  readonly keyFile?: string | undefined;
  readonly previousKeyFiles?: readonly string[] | undefined;
  readonly redisUrl?: string | undefined;
  readonly redisPasswordFile?: string | undefined;
  readonly redisPlaintext?: boolean | undefined;
  readonly stateDir: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** One line of standard input, for a secret given as `-` (`--key-file -`). */
  readonly readLine?: (() => Promise<string | undefined>) | undefined;
}

const KINDS = ['file', 'redis', 'memory'] as const;

const keyHowTo = text(
  'Cree una con «aic key generate --out .aic/store.key» y pásela con --key-file, o defina AIC_STORE_KEY (32 bytes en base64 o hex).',
  'Create one with “aic key generate --out .aic/store.key” and pass it with --key-file, or set AIC_STORE_KEY (32 bytes, base64 or hex).',
);

const keyError = (what: LocalizedText, cause?: unknown): CliError =>
  new CliError(
    CliErrorCode.StoreKey,
    text(`${what.es} ${keyHowTo.es}`, `${what.en} ${keyHowTo.en}`),
    cause === undefined ? {} : { cause },
  );

/**
 * A 32-byte key from its text form (64 hex digits, or base64 / base64url of 32 bytes), decoded by
 * core's `decodeStoreKey`. The error names only where the key came from, never the value.
 */
export function parseKey(value: string, source: string): Buffer {
  try {
    return decodeStoreKey(value);
  } catch (cause) {
    throw keyError(
      text(
        `La clave de ${source} no es válida: debe tener 32 bytes en base64 o 64 dígitos hex.`,
        `The key from ${source} is invalid: it must be 32 bytes in base64 or 64 hex digits.`,
      ),
      cause,
    );
  }
}

async function readKeyFile(secrets: SecretReader, source: string, option: string) {
  const read = await secrets.read(source, option, (what, cause) =>
    keyError(text(`Clave del almacén: ${what.es}`, `Store key: ${what.en}`), cause),
  );
  return { key: parseKey(read.value, read.where), loose: read.loose };
}

const absolute = (cwd: string, path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));

/** Resolves `--store` (or `AIC_STORE`), default `file`, with its settings. Reads key files. */
export async function resolveStoreConfig(
  flags: StoreFlags,
  warn: (message: LocalizedText) => void,
): Promise<StoreConfig> {
  const env = flags.env;
  const secrets = new SecretReader(flags.cwd, flags.readLine ?? (() => Promise.resolve(undefined)));
  const chosen = flags.store ?? env['AIC_STORE'] ?? 'file';
  const kind = KINDS.find((k) => k === chosen);
  if (kind === undefined) {
    throw new CliError(
      CliErrorCode.Usage,
      text(
        `Almacén desconocido «${chosen}»: use file, redis o memory.`,
        `Unknown store “${chosen}”: use file, redis or memory.`,
      ),
    );
  }
  if (kind === 'memory') return { kind };
  if (kind === 'redis') {
    const target = await resolveRedisTarget(flags, secrets, warn);
    const prefix = env['AIC_REDIS_PREFIX'] ?? 'aic:';
    const keys = await optionalKeys(flags, secrets, warn);
    if (keys !== undefined) return { kind, ...target, prefix, keys };
    if (flags.redisPlaintext !== true && env['AIC_REDIS_PLAINTEXT'] !== '1') {
      throw keyError(
        text(
          'El almacén Redis cifra los tokens y necesita una clave (o --redis-plaintext si Redis está protegido por otros medios).',
          'The Redis store encrypts tokens and needs a key (or --redis-plaintext if Redis is protected by other means).',
        ),
      );
    }
    warn(
      text(
        'Aviso: los tokens se guardan en Redis sin cifrar (--redis-plaintext); cualquiera que lea Redis puede usarlos.',
        'Warning: tokens are stored in Redis unencrypted (--redis-plaintext); anyone who can read Redis can use them.',
      ),
    );
    return { kind, ...target, prefix, plaintext: true };
  }
  const path = absolute(
    flags.cwd,
    flags.storePath ?? env['AIC_STORE_PATH'] ?? join(flags.stateDir, 'tokens.enc'),
  );
  const keys = await optionalKeys(flags, secrets, warn);
  if (keys === undefined) {
    throw keyError(
      text(`El almacén cifrado ${path} necesita una clave.`, `The encrypted store ${path} needs a key.`),
    );
  }
  return { kind, path, keys };
}

/** The configured keys (`--key-file`, `AIC_STORE_KEY_FILE`, `AIC_STORE_KEY`, previous keys), if any. */
async function optionalKeys(
  flags: StoreFlags,
  secrets: SecretReader,
  warn: (message: LocalizedText) => void,
): Promise<StoreKeys | undefined> {
  const env = flags.env;
  const keyFile = flags.keyFile ?? env['AIC_STORE_KEY_FILE'];
  let current: Buffer;
  if (keyFile !== undefined) {
    const option = flags.keyFile !== undefined ? '--key-file' : 'AIC_STORE_KEY_FILE';
    const read = await readKeyFile(secrets, keyFile, option);
    if (read.loose) {
      warn(
        text(
          `Aviso: otros usuarios pueden leer el archivo de clave ${keyFile}; restrinja sus permisos (chmod 600).`,
          `Warning: other users can read the key file ${keyFile}; restrict its permissions (chmod 600).`,
        ),
      );
    }
    current = read.key;
  } else if (env['AIC_STORE_KEY'] !== undefined && env['AIC_STORE_KEY'] !== '') {
    current = parseKey(env['AIC_STORE_KEY'], 'AIC_STORE_KEY');
  } else {
    return undefined;
  }
  const previous: Buffer[] = [];
  for (const file of flags.previousKeyFiles ?? []) {
    previous.push((await readKeyFile(secrets, file, '--previous-key-file')).key);
  }
  for (const [index, value] of (env['AIC_STORE_PREVIOUS_KEYS'] ?? '').split(',').entries()) {
    if (value.trim() !== '') previous.push(parseKey(value, `AIC_STORE_PREVIOUS_KEYS[${index}]`));
  }
  return { current, previous };
}
