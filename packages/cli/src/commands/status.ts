import { text } from '@aic/connector-core';
import { ExitCode } from '../exit-codes.js';
import type { Command } from './command.js';
import { statusDocument, statusLines } from './status-format.js';

/**
 * `aic status <connection>`: state, deadlines and warnings from the store, without any network
 * call. Always exits 0 when the status could be read; use `aic check` to gate on health.
 */
export const statusCommand: Command = {
  name: 'status',
  arguments: ['connection'],
  options: [],
  usesStore: true,
  summary: text(
    'Muestra el estado de una conexión: tokens, vencimientos y avisos (sin llamadas de red).',
    "Shows a connection's state: tokens, deadlines and warnings (no network calls).",
  ),
  async run({ out, host, args }) {
    const { connector, input } = await (await host()).openConnection(args[0]!);
    const status = await connector.getStatus(input);
    out.result({ ok: true, ...statusDocument(status) }, statusLines(out, status));
    return ExitCode.Ok;
  },
};
