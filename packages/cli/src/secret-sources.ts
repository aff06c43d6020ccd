import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { text, type LocalizedText } from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';
import { redactUrl } from './redact-url.js';

/**
 * Where secrets come from: a file, the environment or standard input — never the command line,
 * which other users of the machine see (`ps`, `/proc/<pid>/cmdline`) and shells keep in history.
 * A file argument of `-` means one line of standard input (for `pass show … | aic …`).
 */
export const STDIN = '-';

/** Reads secrets from files and standard input; standard input gives one secret per invocation. */
export class SecretReader {
  readonly #cwd: string;
  readonly #readLine: () => Promise<string | undefined>;
  #stdinUsedBy: string | undefined;

  constructor(cwd: string, readLine: () => Promise<string | undefined>) {
    this.#cwd = cwd;
    this.#readLine = readLine;
  }

  /**
   * The secret in `source` (a path, or `-` for standard input) without its final line break.
   * `loose` is true when other users may read the file. Errors name the source, never the value.
   */
  async read(source: string, option: string, fail: (what: LocalizedText, cause?: unknown) => CliError) {
    if (source === STDIN) return { value: await this.#stdin(option, fail), loose: false, where: option };
    const path = isAbsolute(source) ? source : resolve(this.#cwd, source);
    let content: string;
    let mode: number;
    try {
      content = await readFile(path, 'utf8');
      mode = (await stat(path)).mode;
    } catch (cause) {
      throw fail(text(`No se pudo leer el archivo ${path}.`, `Could not read the file ${path}.`), cause);
    }
    return { value: withoutLineBreak(content), loose: (mode & 0o077) !== 0, where: path };
  }

  async #stdin(option: string, fail: (what: LocalizedText) => CliError): Promise<string> {
    if (this.#stdinUsedBy !== undefined) {
      throw new CliError(
        CliErrorCode.Usage,
        text(
          `${this.#stdinUsedBy} y ${option} piden la entrada estándar («-»): solo un secreto puede llegar por ella; pase el otro en un archivo o en el entorno.`,
          `${this.#stdinUsedBy} and ${option} both ask for standard input (“-”): only one secret can come from it; pass the other in a file or the environment.`,
        ),
      );
    }
    this.#stdinUsedBy = option;
    const line = await this.#readLine();
    if (line === undefined || line.trim() === '') {
      throw fail(
        text(
          `${option} - espera el secreto en la primera línea de la entrada estándar, y llegó vacía.`,
          `${option} - expects the secret on the first line of standard input, which was empty.`,
        ),
      );
    }
    return withoutLineBreak(line);
  }
}

/** The content without one final `\n` or `\r\n` (a password may begin or end with spaces). */
function withoutLineBreak(value: string): string {
  if (value.endsWith('\r\n')) return value.slice(0, -2);
  if (value.endsWith('\n')) return value.slice(0, -1);
  return value;
}

/** A Redis server to connect to: the URL never holds the password. */
export interface RedisTarget {
  /** `redis://[user@]host:port[/db]`: safe to show. */
  readonly url: string;
  readonly password?: string | undefined;
}

/** What decides the Redis target: flags (already parsed), environment, where secrets are read. */
export interface RedisFlags {
  readonly redisUrl?: string | undefined;
  readonly redisPasswordFile?: string | undefined;
  readonly env: Readonly<Record<string, string | undefined>>;
}

const usage = (es: string, en: string): CliError => new CliError(CliErrorCode.Usage, text(es, en));

const PASSWORD_HOWTO = text(
  'pásela en un archivo (--redis-password-file <archivo> o AIC_REDIS_PASSWORD_FILE), en la variable AIC_REDIS_PASSWORD, o por la entrada estándar (--redis-password-file -)',
  'pass it in a file (--redis-password-file <file> or AIC_REDIS_PASSWORD_FILE), in the AIC_REDIS_PASSWORD variable, or on standard input (--redis-password-file -)',
);

/**
 * The Redis URL (`--redis-url`, else `AIC_REDIS_URL`) and its password, parsed with the WHATWG URL
 * parser. A password inside `--redis-url` is refused (it would sit on the command line); inside
 * `AIC_REDIS_URL` it is accepted (the environment is a place for secrets) and taken out of the URL.
 * Otherwise the password comes from `--redis-password-file` (a file or `-`),
 * `AIC_REDIS_PASSWORD_FILE` or `AIC_REDIS_PASSWORD`, in that order.
 */
export async function resolveRedisTarget(
  flags: RedisFlags,
  secrets: SecretReader,
  warn: (message: LocalizedText) => void,
): Promise<RedisTarget> {
  const fromArgv = flags.redisUrl !== undefined;
  const source = fromArgv ? '--redis-url' : 'AIC_REDIS_URL';
  const value = flags.redisUrl ?? flags.env['AIC_REDIS_URL'];
  if (value === undefined || value === '') {
    throw usage(
      'El almacén Redis necesita --redis-url o AIC_REDIS_URL (p. ej. redis://127.0.0.1:6379).',
      'The Redis store needs --redis-url or AIC_REDIS_URL (e.g. redis://127.0.0.1:6379).',
    );
  }
  // The value is never echoed: it may hold a password.
  if (!URL.canParse(value)) {
    throw usage(
      `${source} no es una URL válida: use redis://[usuario@]host:puerto[/base] o rediss://… (la contraseña va aparte: ${PASSWORD_HOWTO.es}).`,
      `${source} is not a valid URL: use redis://[user@]host:port[/db] or rediss://… (the password goes separately: ${PASSWORD_HOWTO.en}).`,
    );
  }
  const url = new URL(value);
  if (!['redis:', 'rediss:', 'unix:'].includes(url.protocol)) {
    throw usage(
      `${source} debe empezar por redis://, rediss:// o unix://.`,
      `${source} must start with redis://, rediss:// or unix://.`,
    );
  }
  // A database number or nothing: anything else means the URL was misread (a `/` or `#` in a
  // password typed raw ends the host early), and the rest of it must not be shown anywhere.
  if (
    url.protocol !== 'unix:' &&
    (!/^(\/\d*)?$/.test(url.pathname) || url.search !== '' || url.hash !== '')
  ) {
    throw usage(
      `${source} no se entiende: tras host:puerto solo puede ir /<número de base>. Si la contraseña lleva «/», «#» o «?», no la ponga en la URL: ${PASSWORD_HOWTO.es}.`,
      `${source} cannot be read: after host:port only /<database number> may follow. If the password holds “/”, “#” or “?”, do not put it in the URL: ${PASSWORD_HOWTO.en}.`,
    );
  }
  const inUrl = url.password === '' ? undefined : decodeUserinfo(url.password);
  if (inUrl !== undefined && fromArgv) {
    throw usage(
      `--redis-url lleva una contraseña, y en la línea de órdenes la ven otros usuarios (ps) y queda en el historial: quítela de la URL y ${PASSWORD_HOWTO.es}.`,
      `--redis-url holds a password, and on the command line other users see it (ps) and it stays in the shell history: remove it from the URL and ${PASSWORD_HOWTO.en}.`,
    );
  }
  url.password = '';
  const separate = await separatePassword(flags, secrets, warn);
  if (inUrl !== undefined && separate !== undefined) {
    throw usage(
      `La contraseña de Redis llega dos veces (en AIC_REDIS_URL y en ${separate.where}): deje una sola.`,
      `The Redis password is given twice (in AIC_REDIS_URL and in ${separate.where}): keep only one.`,
    );
  }
  const password = inUrl ?? separate?.value;
  return { url: url.href, ...(password === undefined ? {} : { password }) };
}

/** A URL's user name or password as typed (percent-decoded); a stray `%` is taken literally. */
export function decodeUserinfo(encoded: string): string {
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

async function separatePassword(
  flags: RedisFlags,
  secrets: SecretReader,
  warn: (message: LocalizedText) => void,
): Promise<{ value: string; where: string } | undefined> {
  const fail = (what: LocalizedText, cause?: unknown): CliError =>
    new CliError(
      CliErrorCode.Usage,
      text(
        `${what.es} Para la contraseña de Redis, ${PASSWORD_HOWTO.es}.`,
        `${what.en} For the Redis password, ${PASSWORD_HOWTO.en}.`,
      ),
      cause === undefined ? {} : { cause },
    );
  const file = flags.redisPasswordFile ?? flags.env['AIC_REDIS_PASSWORD_FILE'];
  if (file !== undefined && file !== '') {
    const option =
      flags.redisPasswordFile !== undefined ? '--redis-password-file' : 'AIC_REDIS_PASSWORD_FILE';
    const read = await secrets.read(file, option, fail);
    if (read.value === '') throw fail(text(`${read.where} está vacío.`, `${read.where} is empty.`));
    if (read.loose) {
      warn(
        text(
          `Aviso: otros usuarios pueden leer el archivo de contraseña ${read.where}; restrinja sus permisos (chmod 600).`,
          `Warning: other users can read the password file ${read.where}; restrict its permissions (chmod 600).`,
        ),
      );
    }
    return { value: read.value, where: option };
  }
  const value = flags.env['AIC_REDIS_PASSWORD'];
  return value === undefined || value === '' ? undefined : { value, where: 'AIC_REDIS_PASSWORD' };
}

/** How a Redis target is named in messages: its URL, which never holds the password. */
export const redisLabel = (target: RedisTarget): string => `redis ${redactUrl(target.url)}`;
