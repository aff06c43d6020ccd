import nock from 'nock';
import { createDefaultDispatcher, type AuthorizationResult, type EndpointPolicy } from '@aic/connector-core';
import {
  createTestHost,
  guardScriptedNetwork,
  type ScriptedNetwork,
  type TestHost,
} from '@aic/connector-core/testing';
import { connectorModule } from '../module.js';

export const CLIENT_ID = 'aic-vantage-client';
/** Characters that form encoding must escape (`+`, `/`, `=`, `&`) and a non-ASCII one. */
export const CLIENT_SECRET = 'v4ntage+secret/=&Ü-0123456789';
export const REDIRECT_URI = 'https://aic.test/oauth/callback';
export const CODE = 'vantage-code-5f1c';
export const TENANT_ID = '117489fc1aea41658369d4d18d6557ab';
/** 2026-03-02 09:00 UTC. */
export const START = Date.UTC(2026, 2, 2, 9, 0, 0);
export const DAY_MS = 86_400_000;

export const host = (region: string): string => `https://vantage-${region}.abbyy.com`;

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An OpenID Connect id_token as Vantage returns it with `scope=openid …` (signature irrelevant here). */
export const ID_TOKEN = `${b64url({ alg: 'RS256', kid: 'k1' })}.${b64url({ sub: 'user-1', iss: 'https://vantage-eu.abbyy.com/auth2' })}.c2lnbmF0dXJl`;

/** A successful Vantage token response. */
export const tokenResponse = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  access_token: 'AT-1',
  token_type: 'Bearer',
  expires_in: 86_400,
  refresh_token: 'RT-1',
  id_token: ID_TOKEN,
  scope: 'openid permissions global.wildcard offline_access',
  ...extra,
});

/** One request as the provider received it. */
export interface RecordedRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Headers;
  readonly body: string;
}

/** The form body as ordered `[name, value]` pairs: what an exact-body assertion compares. */
export const formPairs = (body: string): [string, string][] => [...new URLSearchParams(body)];

/** A nock reply that records the request, then answers `status` with `body`. */
export function recordAndReply(sink: RecordedRequest[], status: number, body: unknown = '') {
  return async (request: Request): Promise<readonly [number, string | Record<string, unknown>]> => {
    sink.push({
      url: request.url,
      method: request.method,
      headers: request.headers,
      body: await request.text(),
    });
    return [status, body as string | Record<string, unknown>];
  };
}

/** One dispatcher per test file (nock intercepts its sockets); `guardNetwork` closes it after the file. */
const dispatcher = createDefaultDispatcher();
const closeDispatcher = (): Promise<void> => dispatcher.close();

/**
 * Guards the test file: real network refused, and every test fails on a scripted call not made
 * or a request nothing was scripted for.
 */
export const guardNetwork = (): ScriptedNetwork =>
  guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll }, { afterAll: closeDispatcher });

export interface VantageHarness extends TestHost {
  readonly connection: { readonly id: string; readonly credentials: Record<string, unknown> };
}

/**
 * The ABBYY connector as a host gets it: the package's ContainerModule loaded next to the core
 * module, on test ports (manual clock at {@link START}, in-memory stores, memory logger).
 */
export function vantageHarness(
  credentials: Record<string, unknown> = {},
  host: { endpointPolicy?: EndpointPolicy } = {},
): VantageHarness {
  return {
    ...createTestHost({
      connectorId: 'abbyy-vantage',
      modules: connectorModule,
      start: START,
      dispatcher,
      endpointPolicy: host.endpointPolicy,
    }),
    connection: {
      id: 'conn-1',
      credentials: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        redirectUri: REDIRECT_URI,
        region: 'eu',
        ...credentials,
      },
    },
  };
}

/** The store key of the harness connection. */
export const recordKey = 'abbyy-vantage\u001fconn-1';

/**
 * Runs a whole authorization: start, the provider's redirect back, and the code exchange scripted
 * on `tokenUrl` (default: the connection region's `/auth2/connect/token`).
 */
export async function authorize(
  h: VantageHarness,
  options: { tokenUrl?: string; response?: Record<string, unknown> } = {},
): Promise<{ url: URL; state: string; exchange: RecordedRequest; result: AuthorizationResult }> {
  const tokenUrl = new URL(
    options.tokenUrl ?? `${host(String(h.connection.credentials['region']))}/auth2/connect/token`,
  );
  const sink: RecordedRequest[] = [];
  const scope = nock(tokenUrl.origin)
    .post(tokenUrl.pathname)
    .reply(recordAndReply(sink, 200, options.response ?? tokenResponse()));
  const start = await h.connector.startAuthorization(h.connection);
  const result = await h.connector.completeAuthorization(
    h.connection,
    `${REDIRECT_URI}?code=${CODE}&state=${start.state}`,
  );
  scope.done();
  const exchange = sink[0];
  if (exchange === undefined) throw new Error('no exchange recorded');
  return { url: new URL(start.url), state: start.state, exchange, result };
}
