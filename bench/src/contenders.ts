import { OAuth2Client, OAuth2Fetch } from '@badgateway/oauth2-client';
import * as oidc from 'openid-client';
import { Agent, request } from 'undici';
import { benchConnection, benchConnector } from './provider.js';
import { STATIC_TOKEN } from './constants.js';

/** One way of making an authorized GET, ready to call in a loop. */
export interface Contender {
  readonly name: string;
  readonly call: () => Promise<void>;
  readonly close: () => Promise<void>;
}

const agent = (): Agent => new Agent({ connections: 256, keepAliveTimeout: 60_000, pipelining: 1 });

function expectOk(status: number): void {
  if (status !== 200) throw new Error(`unexpected status ${status}`);
}

/** (1) The limit: undici.request with a static Bearer header. */
export function rawUndici(base: string): Contender {
  const dispatcher = agent();
  const url = `${base}/api/items`;
  return {
    name: 'undici.request (static token)',
    call: async () => {
      const res = await request(url, { dispatcher, headers: { authorization: `Bearer ${STATIC_TOKEN}` } });
      expectOk(res.statusCode);
      await res.body.json();
    },
    close: () => dispatcher.close(),
  };
}

/** (2) Ours: connector.request() with a cached token. */
export async function ours(base: string): Promise<Contender> {
  const dispatcher = agent();
  const connector = benchConnector(dispatcher);
  const connection = benchConnection(base);
  await connector.getAccessToken(connection);
  return {
    name: 'aic connector.request()',
    call: async () => {
      const res = await connector.request(connection, { method: 'GET', path: '/api/items' });
      expectOk(res.status);
      res.json();
    },
    close: () => dispatcher.close(),
  };
}

/** (3a) openid-client: fetchProtectedResource with a token from its client credentials grant. */
export async function openidClient(base: string): Promise<Contender> {
  const config = new oidc.Configuration(
    { issuer: base, token_endpoint: `${base}/token` },
    'bench',
    'bench-secret',
  );
  oidc.allowInsecureRequests(config);
  let token = (await oidc.clientCredentialsGrant(config)).access_token;
  const url = new URL(`${base}/api/items`);
  return {
    name: 'openid-client fetchProtectedResource',
    call: async () => {
      let res = await oidc.fetchProtectedResource(config, token, url, 'GET');
      if (res.status === 401) {
        token = (await oidc.clientCredentialsGrant(config)).access_token;
        res = await oidc.fetchProtectedResource(config, token, url, 'GET');
      }
      expectOk(res.status);
      await res.json();
    },
    close: async () => undefined,
  };
}

/** (3b) @badgateway/oauth2-client: OAuth2Fetch with its own token handling. */
export function badgateway(base: string): Contender {
  const client = new OAuth2Client({
    server: base,
    clientId: 'bench',
    clientSecret: 'bench-secret',
    tokenEndpoint: '/token',
    authenticationMethod: 'client_secret_basic',
  });
  const wrapper = new OAuth2Fetch({ client, getNewToken: () => client.clientCredentials() });
  const url = `${base}/api/items`;
  return {
    name: '@badgateway/oauth2-client OAuth2Fetch',
    call: async () => {
      const res = await wrapper.fetch(url);
      expectOk(res.status);
      await res.json();
    },
    close: async () => undefined,
  };
}

/** (3c) Node's global fetch with a static Bearer header. */
export function globalFetch(base: string): Contender {
  const url = `${base}/api/items`;
  return {
    name: 'global fetch (static token)',
    call: async () => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${STATIC_TOKEN}` } });
      expectOk(res.status);
      await res.json();
    },
    close: async () => undefined,
  };
}
