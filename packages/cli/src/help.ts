import { text } from '@aic/connector-core';
import type { Command } from './commands/command.js';
import { commands } from './commands/index.js';
import type { Output } from './output.js';

const GLOBAL_HELP = text(
  `Opciones globales:
  --json                   un documento JSON en stdout (para scripts)
  --lang es|en             idioma de los mensajes (o AIC_LANG / LANG; predeterminado es)
  --store file|redis|memory  almacén de tokens (o AIC_STORE; predeterminado file)
  --store-path <archivo>   almacén cifrado (o AIC_STORE_PATH; predeterminado <state-dir>/tokens.enc)
  --key-file <archivo|->   clave del almacén cifrado; «-»: de la entrada estándar (o AIC_STORE_KEY_FILE, o AIC_STORE_KEY)
  --previous-key-file <archivo>  clave anterior aún aceptada al leer (repetible; o AIC_STORE_PREVIOUS_KEYS)
  --redis-url <url>        almacén Redis, sin contraseña (o AIC_REDIS_URL; cifrado con la clave del almacén)
  --redis-password-file <archivo|->  contraseña de Redis en un archivo o («-») en la entrada estándar
                           (o AIC_REDIS_PASSWORD_FILE, o AIC_REDIS_PASSWORD); nunca en la línea de órdenes
  --redis-plaintext        tokens sin cifrar en Redis (o AIC_REDIS_PLAINTEXT=1; solo si Redis está protegido)
  --state-dir <dir>        archivo de conexiones y almacén (o AIC_STATE_DIR; predeterminado ./.aic)
  --connector <paquete|ruta>  carga otro paquete de conector (repetible)
  --utc                    horas en ISO 8601 UTC en vez de locales y relativas (zona local: TZ)
  -h, --help               ayuda; -v, --version  versión

Códigos de salida: 0 correcto; 1 la operación falló; 2 uso incorrecto; 3 credenciales inválidas;
4 hay que autorizar de nuevo; 5 proveedor no disponible; 6 configuración incorrecta (aic check: la
llamada de prueba respondió 404, 405 u otro 4xx: revise la URL base de la API o los endpoints).`,
  `Global options:
  --json                   one JSON document on stdout (for scripts)
  --lang es|en             message language (or AIC_LANG / LANG; default es)
  --store file|redis|memory  token store (or AIC_STORE; default file)
  --store-path <file>      encrypted store (or AIC_STORE_PATH; default <state-dir>/tokens.enc)
  --key-file <file|->      encrypted store key; "-": from standard input (or AIC_STORE_KEY_FILE, or AIC_STORE_KEY)
  --previous-key-file <file>  previous key still accepted for reading (repeatable; or AIC_STORE_PREVIOUS_KEYS)
  --redis-url <url>        Redis store, without a password (or AIC_REDIS_URL; sealed with the store key)
  --redis-password-file <file|->  Redis password in a file or ("-") on standard input
                           (or AIC_REDIS_PASSWORD_FILE, or AIC_REDIS_PASSWORD); never on the command line
  --redis-plaintext        unencrypted tokens in Redis (or AIC_REDIS_PLAINTEXT=1; only for a protected Redis)
  --state-dir <dir>        connections file and store (or AIC_STATE_DIR; default ./.aic)
  --connector <package|path>  loads another connector package (repeatable)
  --utc                    times as ISO 8601 UTC instead of local and relative (local zone: TZ)
  -h, --help               help; -v, --version  version

Exit codes: 0 ok; 1 operation failed; 2 usage error; 3 invalid credentials;
4 reauthorization required; 5 provider unavailable; 6 misconfigured (aic check: the probe call
answered 404, 405 or another 4xx: check the API base URL or the endpoints).`,
);

/** `aic <name> <args…>`. */
export const usageLine = (command: Command): string =>
  `aic ${command.name}${command.arguments.map((name) => ` <${name}>`).join('')}${
    command.options.length > 0 ? ' [options]' : ''
  }`;

/** `aic --help`: every command and the global options. */
export function generalHelp(out: Output): string[] {
  const width = Math.max(...commands.map((c) => usageLine(c).length)) + 2;
  return [
    out.t(
      text(
        'aic — conectores OAuth 2.0 de Aranda Integration Center',
        'aic — Aranda Integration Center OAuth 2.0 connectors',
      ),
    ),
    '',
    out.t(text('Comandos:', 'Commands:')),
    ...commands.map((c) => `  ${usageLine(c).padEnd(width)}${out.t(c.summary)}`),
    '',
    out.t(GLOBAL_HELP),
    '',
    out.t(text('Ayuda de un comando: aic <comando> --help', "A command's help: aic <command> --help")),
  ];
}

/** `aic <command> --help`. */
export function commandHelp(out: Output, command: Command): string[] {
  return [
    usageLine(command),
    '',
    out.t(command.summary),
    ...(command.help === undefined ? [] : ['', out.t(command.help)]),
    '',
    out.t(GLOBAL_HELP),
  ];
}
