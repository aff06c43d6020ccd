import type { ConsentDecision } from './authorization-server.js';

/** What the user agent went through at the server: prompts answered, and where it ended. */
export interface BrowsingResult {
  /** The redirect to the client's redirect URI (`?code=…&state=…&iss=…` or `?error=…`). */
  readonly callback: URL | undefined;
  /** The prompts the server showed, in order (`login`, `consent`). */
  readonly prompts: readonly { readonly name: string; readonly scope: string | undefined }[];
  /** A server error page instead of a redirect (`error` / `error_description`). */
  readonly error:
    { readonly status: number; readonly error: string; readonly description: string } | undefined;
}

const MAX_STEPS = 12;

/**
 * The person at the browser, in plain HTTP: follows the authorization URL through the server's
 * redirects with a cookie jar, logs in, answers the consent prompt (`approve` or `deny`) and stops
 * at the redirect back to the client (which it never follows: the kit hands it to the connector
 * as a host's callback handler would).
 */
export async function browseAuthorization(
  authorizationUrl: string,
  serverOrigin: string,
  decision: ConsentDecision,
): Promise<BrowsingResult> {
  const jar = new Map<string, string>();
  const prompts: { name: string; scope: string | undefined }[] = [];
  const cookie = (): string => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const remember = (response: Response): void => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (pair === undefined || eq < 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/;\s*expires=Thu, 01 Jan 1970/i.test(line) || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  };
  const send = async (url: URL, method: 'GET' | 'POST'): Promise<Response> => {
    const response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: { cookie: cookie(), accept: 'application/json, text/html' },
    });
    remember(response);
    return response;
  };

  let next = new URL(authorizationUrl);
  let method: 'GET' | 'POST' = 'GET';
  for (let step = 0; step < MAX_STEPS; step += 1) {
    if (next.origin !== serverOrigin) return { callback: next, prompts, error: undefined };
    const response = await send(next, method);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location !== null) {
      await response.body?.cancel();
      next = new URL(location, next);
      method = 'GET';
      continue;
    }
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (response.status === 200 && typeof body['prompt'] === 'string' && typeof body['uid'] === 'string') {
      const name = body['prompt'];
      prompts.push({ name, scope: typeof body['scope'] === 'string' ? body['scope'] : undefined });
      const answer = name === 'consent' ? decision : 'approve';
      next = new URL(`/interaction/${body['uid']}/${answer}`, serverOrigin);
      method = 'POST';
      continue;
    }
    return {
      callback: undefined,
      prompts,
      error: {
        status: response.status,
        error: typeof body['error'] === 'string' ? body['error'] : 'unknown',
        description: typeof body['error_description'] === 'string' ? body['error_description'] : '',
      },
    };
  }
  return {
    callback: undefined,
    prompts,
    error: { status: 0, error: 'too_many_redirects', description: `more than ${MAX_STEPS} steps` },
  };
}
