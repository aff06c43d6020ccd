import { text } from '@aic/connector-core';
import { CliErrorCode } from '../cli-error.js';
import { ExitCode, exitCodeForOutcome } from '../exit-codes.js';
import { messages } from '../messages.js';
import type { Command } from './command.js';
import { statusDocument, statusLines } from './status-format.js';

/**
 * `aic check <connection>`: AIC's "Validar conexión". Obtains a token and makes the connector's
 * cheap probe call. Exit code by verdict: 0 ok, 3 bad credentials, 4 reauthorize, 5 provider down,
 * 6 misconfigured (the probe answered 404, 405 or another 4xx: an endpoint is wrong).
 */
export const checkCommand: Command = {
  name: 'check',
  arguments: ['connection'],
  options: [],
  usesStore: true,
  summary: text(
    'Valida la conexión (Validar conexión): obtiene un token y hace una llamada de prueba.',
    'Validates the connection ("Validar conexión"): gets a token and makes a probe call.',
  ),
  async run({ out, host, args, signal }) {
    const { connector, input } = await (await host()).openConnection(args[0]!);
    const verdict = await connector.validateConnection(input, { signal });
    const mark = verdict.ok ? '✔' : '✘';
    out.result(
      {
        ok: verdict.ok,
        connection: input.id,
        connector: connector.manifest.id,
        outcome: verdict.outcome,
        message: verdict.message,
        ...(verdict.probeStatus === undefined ? {} : { probeStatus: verdict.probeStatus }),
        ...(verdict.probeUrl === undefined ? {} : { probeUrl: verdict.probeUrl }),
        status: statusDocument(verdict.status),
        ...(verdict.ok
          ? {}
          : { error: { code: verdict.errorCode ?? CliErrorCode.CheckFailed, message: verdict.message } }),
      },
      [
        `${mark} ${out.t(verdict.message)}`,
        ...(verdict.probeStatus === undefined
          ? []
          : [
              `  ${out.t(messages.probeStatus)}: HTTP ${verdict.probeStatus}${verdict.ok || verdict.probeUrl === undefined ? '' : ` (${verdict.probeUrl})`}`,
            ]),
        ...statusLines(out, verdict.status),
      ],
    );
    return verdict.ok ? ExitCode.Ok : exitCodeForOutcome(verdict.outcome);
  },
};
