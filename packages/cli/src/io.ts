/**
 * The CLI's only window on the process: output streams, one-line input, environment, working
 * directory and a cancellation signal. `bin/aic.ts` builds it from `process`; tests drive the
 * CLI in-process with a memory implementation, so no command touches `process` directly.
 */
export interface Io {
  /** Writes to standard output (results: the one JSON document in `--json` mode). */
  stdout(text: string): void;
  /** Writes to standard error (progress, prompts, human-readable errors). */
  stderr(text: string): void;
  /** Reads one line from standard input; `undefined` at end of input. */
  readLine(signal?: AbortSignal): Promise<string | undefined>;
  /** Environment variables (read only by the CLI, never by library code). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory relative paths are resolved against. */
  readonly cwd: string;
  /** Aborted when the user interrupts (Ctrl-C): every running call is cancelled. */
  readonly signal?: AbortSignal | undefined;
}
