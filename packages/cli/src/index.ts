/**
 * @aic/cli: the `aic` command line. The binary is `dist/bin/aic.js`; `run` is exported so a
 * program (or a test) can drive the CLI in-process through an {@link Io}.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

export { run } from './run.js';
export type { CliOptions } from './run.js';
export type { Io } from './io.js';
export { ExitCode, exitCodeFor } from './exit-codes.js';
export { CliError, CliErrorCode } from './cli-error.js';
export { BUILTIN_CONNECTORS } from './host.js';
