/**
 * A browser without rendering, for tests of the console's pages over real HTTP: the console's own
 * tests (`packages/console/test/support/browser-client.ts` signs in as their operator) and the
 * reference host's.
 */
import { request as httpRequest } from 'node:http';

/** A response as a browser would get it (no redirect followed). */
export interface Page {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
  readonly location: string | undefined;
  readonly setCookies: readonly string[];
}

/**
 * What a browser does with the console, minus the rendering: a cookie jar (name=value only),
 * form posts, no redirect following (tests look at each hop). Real HTTP over loopback.
 */
export class BrowserClient {
  readonly base: string;
  readonly cookies = new Map<string, string>();
  /** The CSRF token of the last page that had forms. */
  csrf: string | undefined;
  readonly #headers: Record<string, string>;

  constructor(base: string, headers: Record<string, string> = {}) {
    this.base = base;
    this.#headers = headers;
  }

  async send(
    method: string,
    path: string,
    form?: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Page> {
    const url = new URL(path, this.base);
    const body = form === undefined ? undefined : new URLSearchParams(form).toString();
    return new Promise<Page>((resolve, reject) => {
      const req = httpRequest(
        url,
        {
          method,
          headers: {
            ...this.#headers,
            ...(this.cookies.size === 0
              ? {}
              : { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') }),
            ...(body === undefined
              ? {}
              : {
                  'content-type': 'application/x-www-form-urlencoded',
                  'content-length': String(Buffer.byteLength(body)),
                }),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => {
            const setCookies = res.headers['set-cookie'] ?? [];
            for (const cookie of setCookies) {
              const [pair = ''] = cookie.split(';');
              const eq = pair.indexOf('=');
              const name = pair.slice(0, eq);
              const value = pair.slice(eq + 1);
              if (/Max-Age=0/i.test(cookie) || value === '') this.cookies.delete(name);
              else this.cookies.set(name, value);
            }
            this.csrf = csrfToken(text) ?? this.csrf;
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text,
              location: res.headers.location,
              setCookies,
            });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  get(path: string, headers?: Record<string, string>): Promise<Page> {
    return this.send('GET', path, undefined, headers);
  }

  /** Posts a form with the session's CSRF token (the last one a page carried), unless `csrf: false`. */
  post(
    path: string,
    form: Record<string, string> = {},
    options: { readonly csrf?: boolean } = {},
  ): Promise<Page> {
    const withToken =
      options.csrf === false || this.csrf === undefined ? form : { _csrf: this.csrf, ...form };
    return this.send('POST', path, withToken);
  }

  /** Signs in; resolves with the answer to the sign-in POST (a 303 when it worked). */
  async signIn(username: string, password: string, next = '/'): Promise<Page> {
    await this.get('/sign-in');
    return this.post('/sign-in', { username, password, next });
  }
}

/** The CSRF token of a page's forms. */
export function csrfToken(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/** The text of an HTML page without tags (entities decoded for the few the builder writes). */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
