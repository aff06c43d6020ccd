import type { LocalizedText } from '@aic/connector-core';
import type { OptionName, OptionValues } from '../args.js';
import type { ExitCode } from '../exit-codes.js';
import type { Host } from '../host.js';
import type { Io } from '../io.js';
import type { Output } from '../output.js';

/** What a command runs with. */
export interface CommandContext {
  readonly io: Io;
  readonly out: Output;
  /** Positional arguments after the command's name, one per declared argument. */
  readonly args: readonly string[];
  readonly options: OptionValues;
  readonly signal: AbortSignal | undefined;
  /** The host (container, connectors, stores, connections file), opened on first use. */
  host(): Promise<Host>;
}

/** One `aic` command: its name, help, accepted options and arguments, and what it does. */
export interface Command {
  /** One or two words: `status`, `credentials check`. */
  readonly name: string;
  /** Argument names, in order, as shown in the usage line. */
  readonly arguments: readonly string[];
  /** Options beyond the global ones. */
  readonly options: readonly OptionName[];
  readonly summary: LocalizedText;
  /** Usage details: the command's own options and examples. */
  readonly help?: LocalizedText | undefined;
  /** True when the command reads or writes tokens (it needs the configured store). */
  readonly usesStore: boolean;
  run(context: CommandContext): Promise<ExitCode>;
}
