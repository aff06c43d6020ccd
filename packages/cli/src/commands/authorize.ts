import {
  ErrorCode,
  isConnectorError,
  isLoopbackHost,
  text,
  type AuthorizationResult,
  type ConnectionInput,
  type Connector,
  type LocalizedText,
} from '@aic/connector-core';
import { CliError, CliErrorCode } from '../cli-error.js';
import { listenOnRedirectUri, type CallbackPage, type ListenerPages } from '../loopback.js';
import { messages } from '../messages.js';
import type { Output } from '../output.js';
import { counted, durationText } from '../times.js';
import type { CommandContext } from './command.js';

export const DEFAULT_TIMEOUT_SECONDS = 300;

/** `--timeout` in milliseconds (default 300 s); anything but a positive number is a usage error. */
export function timeoutMs(value: string | undefined): number {
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

/** The loopback `http` redirect URI of the credentials, if that is what they hold. */
export function loopbackRedirect(credentials: Record<string, unknown>): URL | undefined {
  const value = credentials['redirectUri'];
  if (typeof value !== 'string' || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'http:' && isLoopbackHost(url.hostname) ? url : undefined;
}

/**
 * The connector's refusals that consumed nothing: the request never proved it answers THIS
 * authorization (core checks shape and issuer before `state`, and takes the pending authorization
 * only for a matching `state`). Anyone on the machine — or any web page, through the browser — can
 * send such a request to a loopback port, so it must not end the flow: the listener answers it
 * and keeps waiting. Every other verdict came after the state matched, and is final.
 */
const NOT_THIS_AUTHORIZATION = new Map<string, LocalizedText>([
  [ErrorCode.StateMismatch, messages.ignoredState],
  [ErrorCode.InvalidCallback, messages.ignoredMalformed],
  [ErrorCode.IssuerMismatch, messages.ignoredIssuer],
]);

/** HTTP status of a refusal page: the error's own (401 for a state mismatch, as HP asks), else 400. */
const failureStatus = (error: unknown): number => {
  const status = (error as { httpStatus?: unknown }).httpStatus;
  return typeof status === 'number' ? status : isConnectorError(error) ? 400 : 500;
};

const page = (out: Output, status: number, title: LocalizedText, message: string): CallbackPage => ({
  status,
  lang: out.lang,
  title: out.t(title),
  message,
});

const listenerPages = (out: Output): ListenerPages => ({
  notFound: page(out, 404, messages.pageNotFound, out.t(messages.pageNotFound)),
  busy: page(out, 503, messages.pageBusyTitle, out.t(messages.pageBusy)),
  closed: page(out, 410, messages.pageClosedTitle, out.t(messages.pageClosed)),
});

/** Prints the authorization URL (stdout; stderr in `--json` mode, which keeps stdout for the result). */
function showUrl(out: Output, connection: string, url: string): void {
  if (out.json) out.note(`${out.t(messages.openUrl(connection))}\n${url}`);
  else out.raw(`${out.t(messages.openUrl(connection))}\n${url}\n`);
}

function callbackTimeout(redirect: URL, waitedMs: number, ignored: number): CliError {
  const waited = durationText(waitedMs);
  const tail =
    ignored === 0
      ? text('', '')
      : counted(ignored, {
          es: {
            one: ' Se ignoró # petición que no respondía a esta autorización.',
            other: ' Se ignoraron # peticiones que no respondían a esta autorización.',
          },
          en: {
            one: ' Ignored # request that did not answer this authorization.',
            other: ' Ignored # requests that did not answer this authorization.',
          },
        });
  return new CliError(
    CliErrorCode.CallbackTimeout,
    text(
      `No llegó la redirección del navegador en ${waited.es}. ¿Está registrada exactamente ${redirect.href} en la aplicación del proveedor? Si no lo está, el proveedor muestra un error en el navegador en vez de redirigir. Ejecute aic connect de nuevo (o aumente --timeout).${tail.es}`,
      `The browser's redirect did not arrive within ${waited.en}. Is exactly ${redirect.href} registered in the provider's application? If it is not, the provider shows an error in the browser instead of redirecting. Run aic connect again (or raise --timeout).${tail.en}`,
    ),
  );
}

/** Authorization through the loopback listener: every address bound before the flow starts. */
async function viaListener(
  context: CommandContext,
  connector: Connector,
  input: ConnectionInput,
  redirect: URL,
): Promise<AuthorizationResult> {
  const { out, options, signal } = context;
  const wait = timeoutMs(options.timeout);
  // Listen before starting, so a busy or hijacked port fails before a pending authorization exists.
  const listener = await listenOnRedirectUri(redirect, listenerPages(out));
  try {
    const start = await connector.startAuthorization(input, { signal });
    showUrl(out, input.id, start.url);
    out.note(messages.waiting(redirect.href, listener.addresses, durationText(wait)));
    const until = performance.now() + wait;
    let ignored = 0;
    for (;;) {
      const callback = await listener.next({ timeoutMs: until - performance.now(), signal });
      if (callback === undefined) throw callbackTimeout(redirect, wait, ignored);
      try {
        const result = await connector.completeAuthorization(input, callback.url, { signal });
        await callback.respond(page(out, 200, messages.pageSuccessTitle, out.t(messages.pageSuccessBody)));
        return result;
      } catch (error) {
        const reason = isConnectorError(error) ? NOT_THIS_AUTHORIZATION.get(error.code) : undefined;
        if (reason !== undefined) {
          ignored += 1;
          out.note(messages.ignoredRequest(redirect.href, reason));
          await callback.respond(
            page(out, failureStatus(error), messages.pageNotThisTitle, out.t(messages.pageNotThis)),
          );
          continue;
        }
        // The state matched: the provider's answer (or the exchange's failure) is this flow's.
        const why = isConnectorError(error) ? out.t(error.localized) : '';
        await callback.respond(
          page(
            out,
            failureStatus(error),
            messages.pageFailureTitle,
            `${why} ${out.t(messages.pageFailureHint)}`.trim(),
          ),
        );
        throw error;
      }
    }
  } finally {
    await listener.close();
  }
}

/** Authorization with the callback URL pasted on standard input. */
async function viaPaste(
  context: CommandContext,
  connector: Connector,
  input: ConnectionInput,
): Promise<AuthorizationResult> {
  const { out, signal, io } = context;
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

/**
 * The authorization code flow of `aic connect`: on a loopback `http` redirect URI (and without
 * `--paste`) the redirect is caught by the listener, else the operator pastes the callback URL.
 */
export function authorize(
  context: CommandContext,
  connector: Connector,
  input: ConnectionInput,
  credentials: Record<string, unknown>,
): Promise<AuthorizationResult> {
  const redirect = context.options.paste === true ? undefined : loopbackRedirect(credentials);
  return redirect === undefined
    ? viaPaste(context, connector, input)
    : viaListener(context, connector, input, redirect);
}
