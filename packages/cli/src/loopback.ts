import { createServer, type ServerResponse } from 'node:http';
import { abortedError, text } from '@aic/connector-core';
import { CliError, CliErrorCode } from './cli-error.js';

/** The page the browser shows after the redirect: plain HTML, no secrets, no scripts. */
export interface CallbackPage {
  readonly status: number;
  readonly lang: string;
  readonly title: string;
  readonly message: string;
}

/** A callback that reached the listener; `respond` answers the waiting browser. */
export interface ReceivedCallback {
  readonly url: URL;
  respond(page: CallbackPage): Promise<void>;
}

/** A one-shot HTTP listener on a loopback redirect URI (RFC 8252 §7.3). */
export interface CallbackListener {
  /** Waits for the browser's redirect to the redirect URI's path. */
  next(options: { timeoutMs: number; signal?: AbortSignal | undefined }): Promise<ReceivedCallback>;
  close(): Promise<void>;
}

const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function writePage(response: ServerResponse, page: CallbackPage): Promise<void> {
  const html =
    `<!doctype html><html lang="${escapeHtml(page.lang)}"><head><meta charset="utf-8">` +
    `<title>${escapeHtml(page.title)}</title></head>` +
    '<body style="font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;line-height:1.5">' +
    `<h1>${escapeHtml(page.title)}</h1><p>${escapeHtml(page.message)}</p></body></html>\n`;
  return new Promise((resolve) => {
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

/**
 * Listens on the host and port of a loopback `http` redirect URI. Only a `GET` on the redirect
 * URI's path counts, once; anything else gets a 404. `localhost` is served on 127.0.0.1.
 */
export async function listenOnRedirectUri(
  redirectUri: URL,
  notFound: CallbackPage,
): Promise<CallbackListener> {
  let deliver!: (callback: ReceivedCallback) => void;
  const arrival = new Promise<ReceivedCallback>((resolve) => (deliver = resolve));
  let received = false;
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', redirectUri);
    if (received || request.method !== 'GET' || url.pathname !== redirectUri.pathname) {
      void writePage(response, notFound);
      return;
    }
    received = true;
    deliver({ url, respond: (page) => writePage(response, page) });
  });
  const host =
    redirectUri.hostname === 'localhost' ? '127.0.0.1' : redirectUri.hostname.replace(/^\[|\]$/g, '');
  const port = redirectUri.port === '' ? 80 : Number(redirectUri.port);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;
    throw new CliError(
      CliErrorCode.CallbackListen,
      text(
        `No se pudo escuchar en ${host}:${port} (${String(code)}) para recibir la redirección: libere el puerto o use --paste.`,
        `Could not listen on ${host}:${port} (${String(code)}) for the redirect: free the port or use --paste.`,
      ),
      { cause },
    );
  }

  return {
    next({ timeoutMs, signal }) {
      return new Promise<ReceivedCallback>((resolve, reject) => {
        const cleanup = (): void => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new CliError(
              CliErrorCode.CallbackTimeout,
              text(
                `No llegó la redirección del navegador en ${Math.round(timeoutMs / 1000)} s: ejecute aic connect de nuevo (o aumente --timeout).`,
                `The browser's redirect did not arrive within ${Math.round(timeoutMs / 1000)} s: run aic connect again (or raise --timeout).`,
              ),
            ),
          );
        }, timeoutMs);
        const onAbort = (): void => {
          cleanup();
          reject(abortedError({}, signal?.reason));
        };
        if (signal?.aborted === true) onAbort();
        else signal?.addEventListener('abort', onAbort, { once: true });
        void arrival.then((callback) => {
          cleanup();
          resolve(callback);
        });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
