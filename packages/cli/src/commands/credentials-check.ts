import { text } from '@aic/connector-core';
import { readCredentialsFile } from '../credentials-file.js';
import { ExitCode } from '../exit-codes.js';
import { messages } from '../messages.js';
import type { Command } from './command.js';

/**
 * `aic credentials check <connector> <file>`: validates a credentials file against the
 * connector's schema, offline. Every bad field is listed by JSON pointer; values are never shown.
 */
export const credentialsCheckCommand: Command = {
  name: 'credentials check',
  arguments: ['connector', 'file'],
  options: [],
  usesStore: false,
  summary: text(
    'Valida un archivo de credenciales contra el esquema del conector (sin red).',
    "Validates a credentials file against the connector's schema (offline).",
  ),
  async run({ out, host, args }) {
    const h = await host();
    const connector = h.connector(args[0]!);
    const file = h.path(args[1]!);
    connector.validateCredentials(await readCredentialsFile(file));
    out.result({ ok: true, connector: connector.manifest.id, file }, [
      out.t(messages.credentialsValid(connector.manifest.id, file)),
    ]);
    return ExitCode.Ok;
  },
};
