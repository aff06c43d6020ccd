import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import * as oidc from 'openid-client';
import { Agent, fetch as undiciFetch, Request as UndiciRequest, request, type Dispatcher } from 'undici';
import { STATIC_TOKEN } from './constants.js';
import type { Contender } from './interleave.js';
import { benchConnections, benchConnector } from './provider.js';

/** The one dispatcher every undici-based contender of a module shares (same pool settings, same sockets). */
export const benchAgent = (): Agent =>
  new Agent({ connections: 256, keepAliveTimeout: 60_000, pipelining: 1 });

function expectOk(status: number): void {
  if (status !== 200) throw new Error(`unexpected status ${status}`);
}

/** The limit: `undici.request` with a static Bearer header. */
export function rawUndici(base: string, dispatcher: Dispatcher): Contender {
  const url = `${base}/api/items`;
  const headers = { authorization: `Bearer ${STATIC_TOKEN}` };
  return {
    name: 'undici.request (static token)',
    does: 'the limit: no token handling, a constant Bearer header, the shared Agent',
    call: async () => {
      const res = await request(url, { dispatcher, headers });
      expectOk(res.statusCode);
      await res.body.json();
    },
  };
}

/** How the host hands its connections to `connector.request()`. */
export type HostObjects = 'fresh' | 'same';

/**
 * `connector.request()` round-robin over `count` client-credentials connections, each with a
 * cached token: warming up makes exactly one grant per connection. `objects`:
 *
 * - `fresh`: every call reads the connection "from the database" — a new `{ id, credentials }`
 *   object with new nested objects, equal to the stored values;
 * - `same`: the host keeps one object per connection and passes it every time.
 */
export async function ours(
  base: string,
  dispatcher: Dispatcher,
  count: number,
  objects: HostObjects,
): Promise<Contender> {
  const connector = benchConnector(dispatcher);
  const connections = benchConnections(base, count, objects);
  const kept = connections.ids.map((_, i) => connections.fresh(i));
  for (let i = 0; i < count; i += 16) {
    await Promise.all(kept.slice(i, i + 16).map((connection) => connector.getAccessToken(connection)));
  }
  let next = 0;
  return {
    name:
      objects === 'fresh'
        ? `aic connector.request(), new connection object per call (${count.toLocaleString('en-US')} connections)`
        : `aic connector.request(), same object kept per connection (${count.toLocaleString('en-US')} connections)`,
    does:
      objects === 'fresh'
        ? 'a new `{ id, credentials }` per call, as a host reading its database; cached token per connection; undici.request on the shared Agent'
        : 'the host keeps one object per connection and passes it every call; cached token per connection; undici.request on the shared Agent',
    call: async () => {
      const index = next;
      next = (next + 1) % count;
      const connection = objects === 'same' ? kept[index]! : connections.fresh(index);
      const res = await connector.request(connection, { method: 'GET', path: '/api/items' });
      expectOk(res.status);
      res.json();
    },
  };
}

/** `undici.fetch` with a static Bearer header on the shared Agent: what WHATWG fetch itself costs. */
export function undiciFetchStatic(base: string, dispatcher: Dispatcher): Contender {
  const url = `${base}/api/items`;
  const headers = { authorization: `Bearer ${STATIC_TOKEN}` };
  return {
    name: 'undici.fetch (static token)',
    does: 'no token handling; undici 8 `fetch` (WHATWG Request/Response) on the shared Agent',
    call: async () => {
      const res = await undiciFetch(url, { dispatcher, headers });
      expectOk(res.status);
      await res.json();
    },
  };
}

/** A `fetch` for libraries that take one: undici 8's, on the shared Agent. */
function fetchOn(dispatcher: Dispatcher): typeof fetch {
  return ((input: string | URL, init?: RequestInit) =>
    undiciFetch(input, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    })) as unknown as typeof fetch;
}

/**
 * openid-client 6 `fetchProtectedResource`, its `customFetch` set to undici's `fetch` on the shared
 * Agent. openid-client keeps no token: the caller holds the one `clientCredentialsGrant` gave and
 * passes it per call (a new grant only after a 401).
 */
export async function openidClient(base: string, dispatcher: Dispatcher): Promise<Contender> {
  const config = new oidc.Configuration(
    { issuer: base, token_endpoint: `${base}/token` },
    'bench',
    'bench-secret',
  );
  oidc.allowInsecureRequests(config);
  (config as unknown as Record<symbol, unknown>)[oidc.customFetch] = fetchOn(dispatcher);
  let token = (await oidc.clientCredentialsGrant(config)).access_token;
  const url = new URL(`${base}/api/items`);
  return {
    name: 'openid-client fetchProtectedResource',
    does: 'token held by the caller (one client credentials grant); per call builds the request, checks the response; undici.fetch on the shared Agent (`customFetch`)',
    call: async () => {
      let res = await oidc.fetchProtectedResource(config, token, url, 'GET');
      if (res.status === 401) {
        token = (await oidc.clientCredentialsGrant(config)).access_token;
        res = await oidc.fetchProtectedResource(config, token, url, 'GET');
      }
      expectOk(res.status);
      await res.json();
    },
  };
}

/**
 * @badgateway/oauth2-client `OAuth2Fetch` as middleware: its token handling (in-memory token,
 * refreshed when expired or on a 401) in front of undici's `fetch` on the shared Agent; the
 * client's own token calls use the same `fetch` (its `fetch` option). `OAuth2Fetch.fetch()` itself
 * always calls the global `fetch`, so the middleware entry (`mw()`) is the one that takes a
 * dispatcher.
 */
export function badgateway(base: string, dispatcher: Dispatcher): Contender {
  const client = new OAuth2Client({
    server: base,
    clientId: 'bench',
    clientSecret: 'bench-secret',
    tokenEndpoint: '/token',
    authenticationMethod: 'client_secret_basic',
    fetch: fetchOn(dispatcher),
  });
  const wrapper = new OAuth2Fetch({
    client,
    getNewToken: () => client.clientCredentials(),
    scheduleRefresh: false,
  });
  const middleware = wrapper.mw();
  const url = `${base}/api/items`;
  const next = (req: Request): Promise<Response> =>
    undiciFetch(req as unknown as UndiciRequest, { dispatcher }) as unknown as Promise<Response>;
  return {
    name: '@badgateway/oauth2-client OAuth2Fetch',
    does: 'in-memory token (expiry checked per call); per call a Request, a clone and a header set; undici.fetch on the shared Agent (`mw()` + `fetch` option)',
    call: async () => {
      const res = await middleware(new UndiciRequest(url) as unknown as Request, next);
      expectOk(res.status);
      await res.json();
    },
  };
}

/** Node's global `fetch` with a static Bearer header: Node's bundled undici and its global dispatcher. */
export function globalFetch(base: string): Contender {
  const url = `${base}/api/items`;
  const headers = { authorization: `Bearer ${STATIC_TOKEN}` };
  return {
    name: "Node's global fetch (static token)",
    does: "no token handling; Node's bundled undici `fetch` and its own global dispatcher (takes no undici 8 Agent)",
    call: async () => {
      const res = await fetch(url, { headers });
      expectOk(res.status);
      await res.json();
    },
  };
}
