import { ErrorCode, isConnectorError, text, type ConnectionStatus } from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { ExitCode } from '../exit-codes.js';
import type { Host } from '../host.js';
import { messages } from '../messages.js';
import { toReportedError, type Output, type ReportedError } from '../output.js';
import type { Command } from './command.js';
import { deadlineText, stateText, statusDocument } from './status-format.js';

/** One registered connection: its status, or why it could not be read. */
type Row =
  | { readonly id: string; readonly connector: string; readonly status: ConnectionStatus }
  | { readonly id: string; readonly connector: string; readonly error: ReportedError };

/** Problems of one connection (its file, its connector) that must not hide the others. */
const ENTRY_ERRORS = new Set<string>([
  CliErrorCode.CredentialsFile,
  CliErrorCode.UnknownConnector,
  ErrorCode.InvalidCredentials,
]);

async function readRow(host: Host, id: string, connector: string): Promise<Row> {
  try {
    const opened = await host.openConnection(id);
    return { id, connector, status: await opened.connector.getStatus(opened.input) };
  } catch (error) {
    const code = error instanceof CliError || isConnectorError(error) ? error.code : undefined;
    // A store that cannot be read fails the whole command: every row would be wrong.
    if (code === undefined || !ENTRY_ERRORS.has(code)) throw error;
    return { id, connector, error: toReportedError(error) };
  }
}

/** Columns padded to their widest cell (the last one is not padded). */
function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) =>
    row
      .map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd(),
  );
}

function humanLines(out: Output, rows: readonly Row[], path: string): string[] {
  if (rows.length === 0) return [out.t(messages.noConnections(path))];
  const cells = rows.map((row) => {
    if ('error' in row) return [row.id, row.connector, `✘ ${row.error.code}`, '—'];
    const deadline = row.status.nextDeadline;
    return [
      row.id,
      row.connector,
      stateText(out, row.status),
      deadline === undefined ? '—' : deadlineText(out, deadline),
    ];
  });
  const lines = table([
    [
      out.t(messages.columnConnection),
      out.t(messages.columnConnector),
      out.t(messages.columnState),
      out.t(messages.columnNextDeadline),
    ],
    ...cells,
  ]);
  const notes = rows.flatMap((row) =>
    'error' in row
      ? [`  ✘ ${row.id}: ${out.t(row.error.message)}`]
      : row.status.warnings.map((warning) => `  ! ${row.id}: ${out.t(warning.message)}`),
  );
  const count = out.times.plural(rows.length, {
    es: { one: '# conexión', other: '# conexiones' },
    en: { one: '# connection', other: '# connections' },
  });
  return [
    ...lines,
    ...(notes.length === 0 ? [] : ['', `${out.t(messages.warnings)}:`, ...notes]),
    '',
    `${count} (${path})`,
  ];
}

/**
 * `aic connections`: every registered connection with its state, next deadline and warnings, from
 * the store (no network call). A connection whose credentials file or connector is missing is
 * listed with its error instead of failing the list. `--json` prints, per connection, the same
 * document as `aic status <connection> --json`.
 */
export const connectionsCommand: Command = {
  name: 'connections',
  arguments: [],
  options: [],
  usesStore: true,
  summary: text(
    'Lista las conexiones registradas: estado, próximo vencimiento y avisos (sin llamadas de red).',
    'Lists the registered connections: state, next deadline and warnings (no network calls).',
  ),
  async run({ out, host }) {
    const h = await host();
    const entries = Object.entries(await h.connections.readAll()).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    const rows: Row[] = [];
    for (const [id, entry] of entries) rows.push(await readRow(h, id, entry.connector));
    out.result(
      {
        ok: true,
        connections: rows.map((row) =>
          'error' in row
            ? { ok: false, connection: row.id, connector: row.connector, error: row.error }
            : { ok: true, ...statusDocument(row.status) },
        ),
      },
      humanLines(out, rows, h.connections.path),
    );
    return ExitCode.Ok;
  },
};
