import type { ContainerModule } from 'inversify';
import nock from 'nock';
import { connectionKey, createDefaultDispatcher, type ConnectionInput } from '@aic/connector-core';
import {
  createTestHost,
  guardScriptedNetwork,
  type ScriptedNetwork,
  type TestHost,
} from '@aic/connector-core/testing';
import { registerSecret } from '../../../../test/secrets.js';
import { connectorModule } from '../module.js';

export type Region = 'us' | 'eu';

/** The only origin each region may contact. */
export const ORIGIN: Readonly<Record<Region, string>> = {
  us: 'https://daas.api.hp.com',
  eu: 'https://eu.daas.api.hp.com',
};

export const TOKEN_PATH = '/oauth/v1/token';
export const CLIENT_ID = 'hpKey0123456789ABCDEFabcdef';
export const CLIENT_SECRET = 'hpSecret9876543210';
export const REDIRECT_URI = 'https://aic.example.com/oauth/callback';
/** `redirect_uri` as it appears in a form body. */
export const REDIRECT_FORM = 'https%3A%2F%2Faic.example.com%2Foauth%2Fcallback';
/** `printf '%s' 'hpKey0123456789ABCDEFabcdef:hpSecret9876543210' | base64`, computed outside the code. */
export const BASIC = 'Basic aHBLZXkwMTIzNDU2Nzg5QUJDREVGYWJjZGVmOmhwU2VjcmV0OTg3NjU0MzIxMA==';
/** The authorization code HP's sample shows; short-lived, but secret while it lives. */
export const CODE = 'cF5faYzL';

// The repository's leak guard fails any test that shows these in output, logs or errors.
registerSecret(CLIENT_SECRET, 'HP harness API Secret');
registerSecret(BASIC, 'HP harness Basic credentials');
registerSecret(CODE, 'HP harness authorization code');
registerSecret('RT-IMPORTED', 'HP harness imported refresh token');
registerSecret('RT-POSTMAN', 'HP harness imported refresh token (Postman)');

/** 2026-11-23T12:00:00Z. */
export const START = Date.UTC(2026, 10, 23, 12);

export interface HpHarness extends TestHost {
  readonly region: Region;
  readonly connection: ConnectionInput;
  readonly key: string;
}

/** One dispatcher per test file (nock intercepts its sockets); `guardNetwork` closes it after the file. */
const dispatcher = createDefaultDispatcher();

/**
 * The HP connector as a host gets it: the package's ContainerModule loaded on test ports (manual
 * clock at {@link START}, memory logger and stores); one connection in `region`.
 */
export function hpHarness(
  region: Region = 'us',
  credentials: Record<string, unknown> = {},
  module: ContainerModule = connectorModule,
): HpHarness {
  return {
    ...createTestHost({ connectorId: 'hp-techpulse', modules: module, start: START, dispatcher }),
    region,
    connection: {
      id: `conn-${region}`,
      credentials: {
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        clientSecretCreatedAt: '2026-06-01',
        redirectUri: REDIRECT_URI,
        region,
        ...credentials,
      },
    },
    key: connectionKey('hp-techpulse', `conn-${region}`),
  };
}

/** An HP token response, shaped like HP's sample (`expires_in: 1799999`, `scope: "Read"`). */
export const hpToken = (
  accessToken: string,
  refreshToken: string | undefined,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  access_token: accessToken,
  scope: 'Read',
  token_type: 'Bearer',
  ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
  expires_in: 1799999,
  ...extra,
});

/** The exact code exchange body of HP step 3 (client credentials in the body). */
export const exchangeBody = (code: string): string =>
  `grant_type=authorization_code&code=${code}&redirect_uri=${REDIRECT_FORM}` +
  `&client_id=${CLIENT_ID}&client_secret=${CLIENT_SECRET}`;

/** The exact refresh body of HP step 5 (plus `redirect_uri`, as HP's public scripts send). */
export const refreshBody = (refreshToken: string): string =>
  `grant_type=refresh_token&refresh_token=${refreshToken}&redirect_uri=${REDIRECT_FORM}`;

/** Scripts one code exchange on `region`: exact body and headers, no `Authorization` header. */
export function exchangeScope(region: Region, code: string, reply: Record<string, unknown>): nock.Scope {
  return nock(ORIGIN[region], { badheaders: ['authorization'] })
    .post(TOKEN_PATH, exchangeBody(code))
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .matchHeader('accept', 'application/json')
    .reply(200, reply);
}

/** Scripts one refresh on `region`: exact Basic header and body. */
export function refreshScope(
  region: Region,
  refreshToken: string,
  status: number,
  reply: Record<string, unknown>,
): nock.Scope {
  return nock(ORIGIN[region])
    .post(TOKEN_PATH, refreshBody(refreshToken))
    .matchHeader('authorization', BASIC)
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .matchHeader('accept', 'application/json')
    .reply(status, reply);
}

/** Starts an authorization and returns its URL and the callback HP would send back. */
export async function startAuthorization(
  h: HpHarness,
  code = CODE,
): Promise<{ url: URL; state: string; callback: string }> {
  const start = await h.connector.startAuthorization(h.connection);
  return {
    url: new URL(start.url),
    state: start.state,
    callback: `${REDIRECT_URI}?code=${code}&state=${encodeURIComponent(start.state)}`,
  };
}

/** Authorizes the connection in its region (exchange scripted and asserted) with tokens `AT-1` / `RT-1`. */
export async function authorize(h: HpHarness): Promise<void> {
  const { callback } = await startAuthorization(h);
  const scope = exchangeScope(h.region, CODE, hpToken('AT-1', 'RT-1'));
  await h.connector.completeAuthorization(h.connection, callback);
  scope.done();
}

/** Stores a grant whose access token (`old`) expired at {@link START}: the next call refreshes with `RT-9`. */
export async function withStoredGrant(h: HpHarness): Promise<void> {
  await h.tokenStore.set(h.key, {
    status: 'active',
    tokens: {
      accessToken: 'old',
      tokenType: 'Bearer',
      issuedAt: START,
      expiresAt: START,
      refreshToken: 'RT-9',
    },
    updatedAt: START,
  });
}

/** {@link hpHarness}, authorized: the connection holds `AT-1` / `RT-1`. */
export async function authorizedHarness(
  region: Region = 'us',
  credentials: Record<string, unknown> = {},
): Promise<HpHarness> {
  const h = hpHarness(region, credentials);
  await authorize(h);
  return h;
}

/**
 * Blocks real network and records every request nock could not match (another host, another
 * path), failing the test on it or on a scripted call not made; `verify()` checks both mid-test.
 */
export function guardNetwork(): ScriptedNetwork & { verify(): void } {
  const hooks = { beforeAll, beforeEach, afterEach, afterAll };
  const network = guardScriptedNetwork(nock, hooks, { afterAll: () => dispatcher.close() });
  return {
    unmatched: network.unmatched,
    verify() {
      expect(nock.pendingMocks()).toEqual([]);
      expect(network.unmatched).toEqual([]);
    },
  };
}
