import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { text, type ApiResponse } from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import type { Command } from './command.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

const usage = (es: string, en: string): CliError => new CliError(CliErrorCode.Usage, text(es, en));

/** `k=v` pairs into a record; a repeated name is refused rather than silently dropped. */
export function parsePairs(
  pairs: readonly string[],
  separator: '=' | ':',
  option: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf(separator);
    const name = at <= 0 ? '' : pair.slice(0, at).trim();
    if (name === '') {
      throw usage(
        `--${option} espera «nombre${separator}valor»: «${pair}».`,
        `--${option} expects “name${separator}value”: “${pair}”.`,
      );
    }
    if (name in out) {
      throw usage(
        `«${name}» aparece dos veces en --${option}; para repetir un parámetro escríbalo en la ruta (/ruta?${name}=a&${name}=b).`,
        `“${name}” appears twice in --${option}; to repeat a parameter write it in the path (/path?${name}=a&${name}=b).`,
      );
    }
    out[name] = pair.slice(at + 1).trim();
  }
  return out;
}

/** `--data`: `@file` reads a file; JSON text is sent as JSON, anything else as is. */
async function requestBody(data: string | undefined, cwd: string): Promise<unknown> {
  if (data === undefined) return undefined;
  let raw = data;
  if (data.startsWith('@')) {
    const path = isAbsolute(data.slice(1)) ? data.slice(1) : resolve(cwd, data.slice(1));
    try {
      raw = await readFile(path, 'utf8');
    } catch (cause) {
      throw new CliError(
        CliErrorCode.Usage,
        text(`No se pudo leer el archivo de datos ${path}.`, `Could not read the data file ${path}.`),
        { cause },
      );
    }
  }
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function bodyOf(response: ApiResponse): unknown {
  const type = response.headers['content-type'];
  if (typeof type === 'string' && /[/+]json\b/i.test(type)) {
    try {
      return response.json();
    } catch {
      return response.text();
    }
  }
  return response.text();
}

/**
 * `aic request <connection> <METHOD> <path>`: an authorized call on the connection's API base
 * (the Bearer token is added by the connector and never printed). Prints the status (stderr)
 * and the body (stdout); exits 1 on an HTTP error status.
 */
export const requestCommand: Command = {
  name: 'request',
  arguments: ['connection', 'METHOD', 'path'],
  options: ['query', 'header', 'data'],
  usesStore: true,
  summary: text(
    'Hace una llamada autorizada a la API del proveedor e imprime estado y cuerpo.',
    "Makes an authorized call to the provider's API and prints status and body.",
  ),
  help: text(
    '--query k=v       parámetro de consulta (repetible)\n--header "N: v"   cabecera (repetible; Authorization no se puede cambiar)\n--data <json>|@archivo   cuerpo: JSON se envía como application/json',
    '--query k=v       query parameter (repeatable)\n--header "N: v"   header (repeatable; Authorization cannot be set)\n--data <json>|@file      body: JSON is sent as application/json',
  ),
  async run({ out, host, args, options, signal, io }) {
    const method = args[1]!.toUpperCase();
    if (!METHODS.has(method)) {
      throw usage(
        `Método HTTP no admitido «${args[1]!}»: use ${[...METHODS].join(', ')}.`,
        `Unsupported HTTP method “${args[1]!}”: use ${[...METHODS].join(', ')}.`,
      );
    }
    const query = parsePairs(options.query ?? [], '=', 'query');
    const headers = parsePairs(options.header ?? [], ':', 'header');
    const body = await requestBody(options.data, io.cwd);
    const { connector, input } = await (await host()).openConnection(args[0]!);
    const response = await connector.request(input, {
      method,
      path: args[2]!,
      query,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
    });
    const ok = response.status < 400;
    const contentType = response.headers['content-type'];
    const document = {
      ok,
      connection: input.id,
      connector: connector.manifest.id,
      status: response.status,
      ...(typeof contentType === 'string' ? { contentType } : {}),
      body: bodyOf(response),
    };
    const error = {
      code: CliErrorCode.HttpStatus,
      message: text(`La API respondió HTTP ${response.status}.`, `The API answered HTTP ${response.status}.`),
    };
    if (out.json) {
      out.result(ok ? document : { ...document, error }, []);
    } else {
      out.note(`HTTP ${response.status}`);
      const textBody = response.text();
      if (textBody !== '') out.raw(textBody.endsWith('\n') ? textBody : `${textBody}\n`);
      if (!ok) out.error(error);
    }
    return ok ? ExitCode.Ok : ExitCode.Failed;
  },
};
