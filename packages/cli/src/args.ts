import { parseArgs } from 'node:util';
import { text } from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';

/** Every option `aic` knows; which command accepts which is declared by the command. */
export const optionSpecs = {
  // Global
  json: { type: 'boolean' },
  lang: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
  utc: { type: 'boolean' },
  store: { type: 'string' },
  'store-path': { type: 'string' },
  'key-file': { type: 'string' },
  'previous-key-file': { type: 'string', multiple: true },
  'redis-url': { type: 'string' },
  'redis-password-file': { type: 'string' },
  'redis-plaintext': { type: 'boolean' },
  'state-dir': { type: 'string' },
  connector: { type: 'string', multiple: true },
  // connect
  connection: { type: 'string' },
  credentials: { type: 'string' },
  paste: { type: 'boolean' },
  timeout: { type: 'string' },
  // token
  reveal: { type: 'boolean' },
  'force-refresh': { type: 'boolean' },
  // request
  query: { type: 'string', multiple: true },
  header: { type: 'string', multiple: true },
  data: { type: 'string' },
  // key generate
  out: { type: 'string' },
} as const;

export type OptionName = keyof typeof optionSpecs;

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly OptionName[] = [
  'json',
  'lang',
  'help',
  'version',
  'utc',
  'store',
  'store-path',
  'key-file',
  'previous-key-file',
  'redis-url',
  'redis-password-file',
  'redis-plaintext',
  'state-dir',
  'connector',
];

export type OptionValues = ReturnType<typeof parse>['values'];

export interface ParsedArgs {
  readonly positionals: readonly string[];
  readonly values: OptionValues;
  /** The options actually written on the command line. */
  readonly given: ReadonlySet<OptionName>;
}

const parse = (argv: readonly string[]) =>
  parseArgs({ args: [...argv], options: optionSpecs, allowPositionals: true, strict: true, tokens: true });

/** Parses `argv` (without the node and script paths). Malformed input is an `ERR_USAGE`. */
export function parseArgv(argv: readonly string[]): ParsedArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw usageFromParseError(error);
  }
  const given = new Set<OptionName>();
  for (const token of parsed.tokens) {
    if (token.kind === 'option') given.add(token.name as OptionName);
  }
  return { positionals: parsed.positionals, values: parsed.values, given };
}

function usageFromParseError(error: unknown): CliError {
  const code = (error as { code?: unknown }).code;
  const message = String((error as { message?: unknown }).message ?? '');
  const option = /'(-{1,2}[^' ]+)/.exec(message)?.[1] ?? '?';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    return new CliError(
      CliErrorCode.Usage,
      text(`Opción desconocida: ${option}.`, `Unknown option: ${option}.`),
    );
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    return new CliError(
      CliErrorCode.Usage,
      text(
        `La opción ${option} necesita un valor (o no lo admite).`,
        `Option ${option} needs a value (or does not take one).`,
      ),
    );
  }
  return new CliError(CliErrorCode.Usage, text('Argumentos no válidos.', 'Invalid arguments.'));
}

/** First occurrence of `--name value` or `--name=value`, read before full parsing (for errors). */
export function peekOption(argv: readonly string[], name: string): string | undefined {
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    if (arg === '--') return undefined;
    if (arg === `--${name}`) return argv[i + 1];
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3);
  }
  return undefined;
}

/** True when the flag `--name` appears before `--`. */
export function peekFlag(argv: readonly string[], name: string): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes(`--${name}`);
}
