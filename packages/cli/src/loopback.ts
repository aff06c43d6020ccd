import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { abortedError, text } from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';
import { listenAddresses, type ListenAddress, type ResolveLocalhost } from './loopback-addresses.js';

/** The page the browser shows after the redirect: plain HTML, no secrets, no scripts. */
export interface CallbackPage {
  readonly status: number;
  readonly lang: string;
  readonly title: string;
  readonly message: string;
}

/** The listener's own answers, for requests that never reach the authorization. */
export interface ListenerPages {
  /** Another path or method. */
  readonly notFound: CallbackPage;
  /** Too many callbacks already waiting for their verdict. */
  readonly busy: CallbackPage;
  /** The authorization is over: the listener is closing. */
  readonly closed: CallbackPage;
}

/** A request on the redirect URI's path; `respond` answers the waiting browser. */
export interface ReceivedCallback {
  readonly url: URL;
  respond(page: CallbackPage): Promise<void>;
}

/** An HTTP listener on every address of a loopback redirect URI (RFC 8252 §7.3). */
export interface CallbackListener {
  /** Where it listens: `127.0.0.1:8765`, `[::1]:8765`. */
  readonly addresses: readonly string[];
  /**
   * The next request on the redirect URI's path, in arrival order; `undefined` when none came
   * within `timeoutMs`. Rejects with `ERR_ABORTED` when `signal` aborts.
   */
  next(options: {
    timeoutMs: number;
    signal?: AbortSignal | undefined;
  }): Promise<ReceivedCallback | undefined>;
  /** Stops listening; requests still queued get the `closed` page. */
  close(): Promise<void>;
}

/** Requests on the callback path held at once; more get the `busy` page (a flood cannot pile up). */
const MAX_QUEUED = 16;

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function writePage(response: ServerResponse, page: CallbackPage): Promise<void> {
  const html =
    `<!doctype html><html lang="${escapeHtml(page.lang)}"><head><meta charset="utf-8">` +
    `<title>${escapeHtml(page.title)}</title></head>` +
    '<body style="font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;line-height:1.5">' +
    `<h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p></body></html>\n`;
  return new Promise((resolve) => {
    // A browser that went away never sees the page; the answer is done either way.
    response.once('close', () => resolve());
    response.writeHead(page.status, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // The callback URL carries the authorization code: never leak it in a Referer.
      'referrer-policy': 'no-referrer',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
      'x-content-type-options': 'nosniff',
      connection: 'close',
    });
    response.end(html, () => resolve());
  });
}

function listenError(address: ListenAddress, redirectUri: URL, cause: unknown): CliError {
  const code = String((cause as { code?: unknown }).code);
  const where = address.label;
  return new CliError(
    CliErrorCode.CallbackListen,
    code === 'EADDRINUSE'
      ? text(
          `Otro proceso ya escucha en ${where}, una de las direcciones del redirect URI ${redirectUri.href}: recibiría la redirección del navegador (y el código de autorización) en lugar de aic. Cierre ese proceso, o use --paste.`,
          `Another process is already listening on ${where}, one of the addresses of the redirect URI ${redirectUri.href}: it would receive the browser's redirect (and the authorization code) instead of aic. Stop that process, or use --paste.`,
        )
      : text(
          `No se pudo escuchar en ${where} (${code}) para recibir la redirección de ${redirectUri.href}: libere el puerto o use --paste.`,
          `Could not listen on ${where} (${code}) for the redirect to ${redirectUri.href}: free the port or use --paste.`,
        ),
    { cause },
  );
}

function bind(server: Server, address: ListenAddress, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host: address.host, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

const closeServer = (server: Server): Promise<void> =>
  new Promise<void>((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });

/**
 * Listens on every address of a loopback `http` redirect URI (see `listenAddresses`): all are
 * bound before anything else happens, or none is and the error names the address another process
 * holds. A `GET` on the redirect URI's path is queued for {@link CallbackListener.next}; anything
 * else gets `notFound`. The listener does not judge a callback: the connector does.
 */
export async function listenOnRedirectUri(
  redirectUri: URL,
  pages: ListenerPages,
  options: { resolveLocalhost?: ResolveLocalhost | undefined } = {},
): Promise<CallbackListener> {
  const port = redirectUri.port === '' ? 80 : Number(redirectUri.port);
  const queue: ReceivedCallback[] = [];
  let wake: (() => void) | undefined;
  let closed = false;

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    let url: URL;
    try {
      url = new URL(request.url ?? '/', redirectUri);
    } catch {
      void writePage(response, pages.notFound);
      return;
    }
    if (closed) {
      void writePage(response, pages.closed);
    } else if (request.method !== 'GET' || url.pathname !== redirectUri.pathname) {
      void writePage(response, pages.notFound);
    } else if (queue.length >= MAX_QUEUED) {
      void writePage(response, pages.busy);
    } else {
      queue.push({ url, respond: (page) => writePage(response, page) });
      wake?.();
    }
  };

  const servers: Server[] = [];
  const bound: string[] = [];
  for (const address of await listenAddresses(redirectUri.hostname, port, options.resolveLocalhost)) {
    const server = createServer(onRequest);
    try {
      await bind(server, address, port);
    } catch (cause) {
      const code = (cause as { code?: unknown }).code;
      if (address.optional && (code === 'EADDRNOTAVAIL' || code === 'EAFNOSUPPORT')) continue;
      await Promise.all(servers.map(closeServer));
      throw listenError(address, redirectUri, cause);
    }
    servers.push(server);
    bound.push(address.label);
  }

  return {
    addresses: bound,
    next({ timeoutMs, signal }) {
      return new Promise<ReceivedCallback | undefined>((resolve, reject) => {
        const cleanup = (): void => {
          clearTimeout(timer);
          wake = undefined;
          signal?.removeEventListener('abort', onAbort);
        };
        const take = (): boolean => {
          const callback = queue.shift();
          if (callback === undefined) return false;
          cleanup();
          resolve(callback);
          return true;
        };
        const onAbort = (): void => {
          cleanup();
          reject(abortedError({}, signal?.reason));
        };
        const timer = setTimeout(
          () => {
            cleanup();
            resolve(undefined);
          },
          Math.max(0, timeoutMs),
        );
        if (signal?.aborted === true) return onAbort();
        if (take()) return;
        wake = () => void take();
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    async close() {
      closed = true;
      const waiting = queue.splice(0);
      await Promise.all(waiting.map((callback) => callback.respond(pages.closed)));
      await Promise.all(servers.map(closeServer));
    },
  };
}
