import { isAbsolute, resolve } from 'node:path';
import { systemClock, text, type Clock } from '@aic/connector-core';
import { GLOBAL_OPTIONS, parseArgv, peekFlag, peekOption, type OptionValues } from './args.js';
import { CliError, CliErrorCode } from './cli-error.js';
import type { Command, CommandContext } from './commands/command.js';
import { commands, findCommand } from './commands/index.js';
import { ExitCode, exitCodeFor } from './exit-codes.js';
import { commandHelp, generalHelp, usageLine } from './help.js';
import { BUILTIN_CONNECTORS, Host } from './host.js';
import type { Io } from './io.js';
import { detectLang, isLang } from './lang.js';
import { messages } from './messages.js';
import { Output, toReportedError } from './output.js';
import { resolveStoreConfig, type StoreConfig } from './store-config.js';
import { openStores } from './stores.js';
import { counted } from './times.js';
import { cliVersion } from './version.js';

/** How the CLI is composed (an embedding program or a test may change it). */
export interface CliOptions {
  /** Connector packages loaded before any `--connector`. Default: the three providers of this repo. */
  readonly builtinConnectors?: readonly string[] | undefined;
  /** The clock connectors run on. Default: the system clock. */
  readonly clock?: Clock | undefined;
}

const usage = (es: string, en: string): CliError => new CliError(CliErrorCode.Usage, text(es, en));

async function openHost(
  command: Command,
  values: OptionValues,
  io: Io,
  options: CliOptions,
  out: Output,
): Promise<Host> {
  const stateDir = absolute(io.cwd, values['state-dir'] ?? io.env['AIC_STATE_DIR'] ?? '.aic');
  const clock = options.clock ?? systemClock;
  const config: StoreConfig = command.usesStore
    ? await resolveStoreConfig(
        {
          store: values.store,
          storePath: values['store-path'],
          keyFile: values['key-file'],
          previousKeyFiles: values['previous-key-file'],
          redisUrl: values['redis-url'],
          redisPasswordFile: values['redis-password-file'],
          readLine: () => io.readLine(io.signal),
          redisPlaintext: values['redis-plaintext'],
          stateDir,
          cwd: io.cwd,
          env: io.env,
        },
        (message) => out.note(message),
      )
    : { kind: 'memory' };
  if (command.usesStore && config.kind === 'memory') out.note(messages.memoryStore);
  const stores = await openStores(config, clock);
  try {
    return await Host.create({
      builtinConnectors: options.builtinConnectors ?? BUILTIN_CONNECTORS,
      extraConnectors: values.connector ?? [],
      cwd: io.cwd,
      stateDir,
      stores,
      clock: options.clock,
    });
  } catch (error) {
    await stores.close();
    throw error;
  }
}

const absolute = (cwd: string, path: string): string => (isAbsolute(path) ? path : resolve(cwd, path));

function checkInvocation(
  command: Command,
  words: number,
  positionals: readonly string[],
  given: ReadonlySet<string>,
): void {
  for (const option of given) {
    if (
      !(GLOBAL_OPTIONS as readonly string[]).includes(option) &&
      !(command.options as readonly string[]).includes(option)
    ) {
      throw usage(
        `La opción --${option} no se aplica a «aic ${command.name}». Uso: ${usageLine(command)}`,
        `Option --${option} does not apply to “aic ${command.name}”. Usage: ${usageLine(command)}`,
      );
    }
  }
  const count = positionals.length - words;
  if (count !== command.arguments.length) {
    const expected = counted(command.arguments.length, {
      es: { one: '# argumento', other: '# argumentos' },
      en: { one: '# argument', other: '# arguments' },
    });
    throw usage(
      `«aic ${command.name}» espera ${expected.es} y recibió ${count}. Uso: ${usageLine(command)}`,
      `“aic ${command.name}” expects ${expected.en} and got ${count}. Usage: ${usageLine(command)}`,
    );
  }
}

function printHelp(out: Output, command: Command | undefined): void {
  if (command === undefined) {
    out.result(
      {
        ok: true,
        commands: commands.map((c) => ({ name: c.name, usage: usageLine(c), summary: c.summary })),
      },
      generalHelp(out),
    );
  } else {
    out.result(
      { ok: true, command: command.name, usage: usageLine(command), summary: command.summary },
      commandHelp(out, command),
    );
  }
}

/**
 * Runs one `aic` invocation: `argv` without the node and script paths. Writes only through `io`
 * and returns the exit code ({@link ExitCode}); never throws and never exits the process.
 */
export async function run(argv: readonly string[], io: Io, options: CliOptions = {}): Promise<ExitCode> {
  let out = new Output(io, detectLang(peekOption(argv, 'lang'), io.env), peekFlag(argv, 'json'));
  let host: Promise<Host> | undefined;
  try {
    const parsed = parseArgv(argv);
    const { values, positionals } = parsed;
    if (values.lang !== undefined && !isLang(values.lang)) {
      throw usage(
        `--lang acepta es o en, no «${values.lang}».`,
        `--lang accepts es or en, not “${values.lang}”.`,
      );
    }
    out = new Output(io, detectLang(values.lang, io.env), values.json === true, {
      clock: options.clock ?? systemClock,
      timeZone: io.env['TZ'],
      utc: values.utc === true,
    });
    if (values.version === true) {
      const { name, version } = await cliVersion();
      out.result({ ok: true, name, version }, [`aic ${version}`]);
      return ExitCode.Ok;
    }
    if (positionals.length === 0 || positionals[0] === 'help') {
      const topic = positionals[0] === 'help' ? findCommand(positionals.slice(1))?.command : undefined;
      printHelp(out, topic);
      return positionals.length === 0 && values.help !== true ? ExitCode.Usage : ExitCode.Ok;
    }
    const found = findCommand(positionals);
    if (found === undefined) {
      throw usage(
        `Comando desconocido «${positionals[0]!}»: vea aic --help.`,
        `Unknown command “${positionals[0]!}”: see aic --help.`,
      );
    }
    const { command, words } = found;
    if (values.help === true) {
      printHelp(out, command);
      return ExitCode.Ok;
    }
    checkInvocation(command, words, positionals, parsed.given);
    const context: CommandContext = {
      io,
      out,
      args: positionals.slice(words),
      options: values,
      signal: io.signal,
      host: () => (host ??= openHost(command, values, io, options, out)),
    };
    return await command.run(context);
  } catch (error) {
    const reported = toReportedError(error);
    out.error(reported);
    return exitCodeFor(reported.code);
  } finally {
    const opened = await host?.catch(() => undefined);
    await opened?.close();
  }
}
