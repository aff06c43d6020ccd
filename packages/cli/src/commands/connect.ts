import {
  isConnectorError,
  isLoopbackHost,
  text,
  type AuthorizationResult,
  type ConnectionInput,
  type Connector,
} from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { readCredentialsFile } from '../credentials-file.js';
import { ExitCode } from '../exit-codes.js';
import { listenOnRedirectUri, type CallbackPage } from '../loopback.js';
import { messages } from '../messages.js';
import { iso, type Output } from '../output.js';
import type { Command, CommandContext } from './command.js';
import { warningDocument, warningLines } from './status-format.js';

const DEFAULT_TIMEOUT_SECONDS = 300;

function timeoutMs(value: string | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new CliError(
      CliErrorCode.Usage,
      text(
        `--timeout espera un número de segundos mayor que 0: «${value}».`,
        `--timeout expects a number of seconds greater than 0: “${value}”.`,
      ),
    );
  }
  return seconds * 1000;
}

function required(value: string | undefined, option: string): string {
  if (value === undefined || value === '') {
    throw new CliError(
      CliErrorCode.Usage,
      text(`aic connect necesita --${option}.`, `aic connect needs --${option}.`),
    );
  }
  return value;
}

/** The loopback `http` redirect URI of the credentials, if that is what they hold. */
function loopbackRedirect(credentials: Record<string, unknown>): URL | undefined {
  const value = credentials['redirectUri'];
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname) ? url : undefined;
}

/** HTTP status of the failure page: 401 for a state mismatch (as HP asks), 400 otherwise. */
const failureStatus = (error: unknown): number => {
  const status = (error as { httpStatus?: unknown }).httpStatus;
  return typeof status === 'number' ? status : isConnectorError(error) ? 400 : 500;
};

const page = (out: Output, status: number, title: string, message: string): CallbackPage => ({
  status,
  lang: out.lang,
  title,
  message,
});

/** Prints the authorization URL (stdout; stderr in `--json` mode, which keeps stdout for the result). */
function showUrl(out: Output, connection: string, url: string): void {
  if (out.json) out.note(`${out.t(messages.openUrl(connection))}\n${url}`);
  else out.raw(`${out.t(messages.openUrl(connection))}\n${url}\n`);
}

async function authorize(
  context: CommandContext,
  connector: Connector,
  input: ConnectionInput,
  credentials: Record<string, unknown>,
): Promise<AuthorizationResult> {
  const { out, options, signal, io } = context;
  const redirect = options.paste === true ? undefined : loopbackRedirect(credentials);
  if (redirect === undefined) {
    const start = await connector.startAuthorization(input, { signal });
    showUrl(out, input.id, start.url);
    out.note(messages.pastePrompt);
    const line = (await io.readLine(signal))?.trim();
    if (line === undefined || line === '') {
      throw new CliError(
        CliErrorCode.NoCallback,
        text(
          'No se recibió la URL de retorno: ejecute aic connect de nuevo y pegue la URL completa.',
          'No callback URL was received: run aic connect again and paste the full URL.',
        ),
      );
    }
    return connector.completeAuthorization(input, line, { signal });
  }
  // Listen before starting, so a busy port fails before a pending authorization exists.
  const wait = timeoutMs(options.timeout);
  const listener = await listenOnRedirectUri(
    redirect,
    page(out, 404, out.t(messages.pageNotFound), out.t(messages.pageNotFound)),
  );
  try {
    const start = await connector.startAuthorization(input, { signal });
    showUrl(out, input.id, start.url);
    out.note(messages.waiting(redirect.href, Math.round(wait / 1000)));
    const callback = await listener.next({ timeoutMs: wait, signal });
    try {
      const result = await connector.completeAuthorization(input, callback.url, { signal });
      await callback.respond(
        page(out, 200, out.t(messages.pageSuccessTitle), out.t(messages.pageSuccessBody)),
      );
      return result;
    } catch (error) {
      const reason = isConnectorError(error) ? out.t(error.localized) : '';
      await callback.respond(
        page(
          out,
          failureStatus(error),
          out.t(messages.pageFailureTitle),
          `${reason} ${out.t(messages.pageFailureHint)}`.trim(),
        ),
      );
      throw error;
    }
  } finally {
    await listener.close();
  }
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
    const input: ConnectionInput = { id: connectionId, credentials };
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
          `  ${out.t(messages.accessTokenExpires)}: ${iso(token.expiresAt)}`,
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
        `  ${out.t(messages.accessTokenExpires)}: ${iso(result.accessTokenExpiresAt)}`,
        `  ${out.t(messages.hasRefreshToken)}: ${out.t(result.hasRefreshToken ? messages.yes : messages.no)}`,
        ...(result.reauthorizationRequiredAt === undefined
          ? []
          : [`  ${out.t(messages.reauthorizeBefore)}: ${iso(result.reauthorizationRequiredAt)}`]),
        ...warningLines(out, result.warnings),
      ],
    );
    return ExitCode.Ok;
  },
};
