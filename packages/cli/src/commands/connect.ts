import { text, type ConnectionInput, type ConnectionStatus } from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { readCredentialsFile } from '../credentials-file.js';
import { ExitCode } from '../exit-codes.js';
import { messages } from '../messages.js';
import { iso, type Output } from '../output.js';
import { authorize, timeoutMs } from './authorize.js';
import type { Command } from './command.js';
import {
  accessTokenExpiry,
  clientSecretExpiry,
  reauthorizationDeadline,
  warningDocument,
  warningLines,
} from './status-format.js';

function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') {
    throw new CliError(
      CliErrorCode.Usage,
      text(`aic connect necesita --${option}.`, `aic connect needs --${option}.`),
    );
  }
  return value;
}

/**
 * Before the operator is sent to sign in (or a token is requested): a client secret whose expiry
 * date has passed would be refused after the login, losing it. Warned, not refused: the date in
 * the file may be stale while the secret was renewed.
 */
function warnExpiredSecret(out: Output, status: ConnectionStatus, file: string, signIn: boolean): void {
  const at = status.clientSecretExpiresAt;
  if (at === undefined || at > out.times.now()) return;
  out.note(messages.secretExpiredBeforeLogin(file, clientSecretExpiry(out, at), signIn));
}

/**
 * `aic connect <connector> --connection <id> --credentials <file>`: registers the connection
 * and authorizes it. Authorization code connectors print the authorization URL and catch the
 * redirect on a loopback redirect URI (or read the pasted callback URL); client credentials
 * connectors just obtain a token.
 */
export const connectCommand: Command = {
  name: 'connect',
  arguments: ['connector'],
  options: ['connection', 'credentials', 'paste', 'timeout'],
  usesStore: true,
  summary: text(
    'Registra una conexión y la autoriza (código de autorización o client credentials).',
    'Registers a connection and authorizes it (authorization code or client credentials).',
  ),
  help: text(
    '--connection <id>        id de la conexión (obligatorio)\n--credentials <archivo>  archivo JSON de credenciales (obligatorio; se guarda solo su ruta)\n--paste                  pegar la URL de retorno en vez de escuchar en el redirect URI de loopback\n--timeout <s>            espera máxima de la redirección (predeterminado 300)',
    '--connection <id>        connection id (required)\n--credentials <file>     credentials JSON file (required; only its path is stored)\n--paste                  paste the callback URL instead of listening on the loopback redirect URI\n--timeout <s>            how long to wait for the redirect (default 300)',
  ),
  async run(context) {
    const { out, options, args, signal } = context;
    const connectionId = required(options.connection, 'connection');
    const h = await context.host();
    const connector = h.connector(args[0]!);
    const credentialsFile = h.path(required(options.credentials, 'credentials'));
    const credentials = await readCredentialsFile(credentialsFile);
    connector.validateCredentials(credentials);
    timeoutMs(options.timeout);
    const input: ConnectionInput = { id: connectionId, credentials };
    const existing = await h.connections.get(connectionId);
    if (existing !== undefined && existing.connector !== connector.manifest.id) {
      throw new CliError(
        CliErrorCode.ConnectionConflict,
        text(
          `La conexión «${connectionId}» ya usa el conector «${existing.connector}»: use otro id o ejecute antes aic disconnect ${connectionId}.`,
          `Connection “${connectionId}” already uses connector “${existing.connector}”: pick another id or run aic disconnect ${connectionId} first.`,
        ),
      );
    }
    await h.connections.put(connectionId, { connector: connector.manifest.id, credentialsFile });
    warnExpiredSecret(
      out,
      await connector.getStatus(input),
      credentialsFile,
      connector.manifest.grant === 'authorization_code',
    );
    const base = {
      ok: true,
      connection: connectionId,
      connector: connector.manifest.id,
      grant: connector.manifest.grant,
    };

    if (connector.manifest.grant === 'client_credentials') {
      await connector.disconnect(input);
      const token = await connector.getAccessToken(input, { signal });
      const status = await connector.getStatus(input);
      out.result(
        {
          ...base,
          accessTokenExpiresAt: iso(token.expiresAt),
          hasRefreshToken: status.hasRefreshToken,
          warnings: status.warnings.map(warningDocument),
        },
        [
          out.t(messages.tokenObtained(connectionId)),
          `  ${out.t(messages.accessToken)}: ${accessTokenExpiry(out, token.expiresAt)}`,
          ...warningLines(out, status.warnings),
        ],
      );
      return ExitCode.Ok;
    }

    const result = await authorize(context, connector, input, credentials);
    out.result(
      {
        ...base,
        accessTokenExpiresAt: iso(result.accessTokenExpiresAt),
        hasRefreshToken: result.hasRefreshToken,
        ...(result.reauthorizationRequiredAt === undefined
          ? {}
          : { reauthorizationRequiredAt: iso(result.reauthorizationRequiredAt) }),
        ...(result.scope === undefined ? {} : { scope: result.scope }),
        warnings: result.warnings.map(warningDocument),
      },
      [
        out.t(messages.authorized(connectionId)),
        `  ${out.t(messages.accessToken)}: ${accessTokenExpiry(out, result.accessTokenExpiresAt)}`,
        `  ${out.t(messages.hasRefreshToken)}: ${out.t(result.hasRefreshToken ? messages.yes : messages.no)}`,
        ...(result.reauthorizationRequiredAt === undefined
          ? []
          : [
              `  ${out.t(messages.reauthorizeAgain)}: ${reauthorizationDeadline(out, result.reauthorizationRequiredAt)}`,
            ]),
        ...warningLines(out, result.warnings),
      ],
    );
    return ExitCode.Ok;
  },
};
