import type { Command } from './command.js';
import { checkCommand } from './check.js';
import { connectCommand } from './connect.js';
import { connectionsCommand } from './connections.js';
import { connectorsCommand } from './connectors.js';
import { credentialsCheckCommand } from './credentials-check.js';
import { disconnectCommand } from './disconnect.js';
import { keyGenerateCommand } from './key-generate.js';
import { keyRotateCommand } from './key-rotate.js';
import { requestCommand } from './request.js';
import { schemaCommand } from './schema.js';
import { statusCommand } from './status.js';
import { tokenCommand } from './token.js';

/** Every `aic` command, in the order `aic --help` lists them. */
export const commands: readonly Command[] = [
  connectorsCommand,
  schemaCommand,
  credentialsCheckCommand,
  connectCommand,
  connectionsCommand,
  statusCommand,
  checkCommand,
  tokenCommand,
  requestCommand,
  disconnectCommand,
  keyGenerateCommand,
  keyRotateCommand,
];

/** The command named by the first one or two positionals, and how many words its name took. */
export function findCommand(positionals: readonly string[]): { command: Command; words: number } | undefined {
  const one = positionals[0];
  const two = positionals.length >= 2 ? `${one} ${positionals[1]}` : undefined;
  for (const command of commands) {
    if (command.name === two) return { command, words: 2 };
  }
  for (const command of commands) {
    if (command.name === one) return { command, words: 1 };
  }
  return undefined;
}
