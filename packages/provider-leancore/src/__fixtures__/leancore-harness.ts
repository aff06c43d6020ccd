import nock from 'nock';
import type { ContainerModule } from 'inversify';
import {
  connectionKey,
  createDefaultDispatcher,
  type ConnectionInput,
  type EndpointPolicy,
} from '@aic/connector-core';
import {
  createTestHost,
  guardScriptedNetwork,
  type ScriptedNetwork,
  type TestHost,
} from '@aic/connector-core/testing';
import { registerSecret } from '../../../../test/secrets.js';
import { connectorModule } from '../module.js';

export const AUTH_ORIGIN = 'https://auth.leancore.co';
export const TOKEN_PATH = '/oauth2/token';
export const PRODUCTION_API = 'https://api.leancore.co';
export const SANDBOX_API = 'https://www.api.sandbox-middleware.leancore.co';

/** A password with every character the two Basic encodings treat differently. */
export const PASSWORD = 'Lc:pw %25 a+b ñ€ 0123456789';
export const USERNAME = 'aic-cliente';
/**
 * `Basic base64("aic-cliente:Lc:pw %25 a+b ñ€ 0123456789")` over UTF-8, computed outside the
 * code under test (`printf '%s' 'aic-cliente:Lc:pw %25 a+b ñ€ 0123456789' | base64`).
 */
export const PLAIN_BASIC = 'Basic YWljLWNsaWVudGU6TGM6cHcgJTI1IGErYiDDseKCrCAwMTIzNDU2Nzg5';

// The leak guard (test/leak-guard.ts) fails any test of a file importing this fixture that shows them.
registerSecret(PASSWORD, 'LeanCore fixture password');
registerSecret(PLAIN_BASIC, 'LeanCore fixture Basic credentials');

export interface LeanCoreHarness extends TestHost {
  /** A connection (production unless the credentials say otherwise). */
  connection(credentials?: Record<string, unknown>, id?: string): ConnectionInput;
  /** The store key of a connection. */
  key(id?: string): string;
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

/**
 * The LeanCore connector as a host gets it: the package's ContainerModule (or `module`, e.g. one
 * configured with another Basic encoding) loaded on test ports (manual clock, memory logger and
 * stores), with the host's endpoint policy strict unless `host.endpointPolicy` says otherwise.
 */
export function leanCoreHarness(
  module: ContainerModule = connectorModule,
  host: { endpointPolicy?: EndpointPolicy } = {},
): LeanCoreHarness {
  return {
    ...createTestHost({
      connectorId: 'leancore',
      modules: module,
      start: Date.UTC(2026, 5, 1, 12),
      dispatcher,
      endpointPolicy: host.endpointPolicy,
    }),
    connection: (credentials = {}, id = 'conn-1') => ({
      id,
      credentials: { username: USERNAME, password: PASSWORD, ...credentials },
    }),
    key: (id = 'conn-1') => connectionKey('leancore', id),
  };
}

/** A LeanCore success body (the seed's shape) with optional extra members. */
export const tokenBody = (
  accessToken: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> => ({
  access_token: accessToken,
  token_type: 'Bearer',
  expires_in: 3600,
  ...extra,
});

/**
 * One scripted token request, matched exactly: the form body string, `content-type`, `accept` and
 * `authorization` byte for byte. A request that differs in any of them is not matched (nock answers
 * 501 and the interceptor stays pending, which `guardNetwork` reports).
 */
export function expectTokenRequest(
  expected: { readonly body: string; readonly authorization: string; readonly origin?: string },
  status: number,
  body: unknown,
  headers: Record<string, string> = { 'content-type': 'application/json' },
): nock.Scope {
  return nock(expected.origin ?? AUTH_ORIGIN)
    .post(TOKEN_PATH, expected.body)
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .matchHeader('accept', 'application/json')
    .matchHeader('authorization', expected.authorization)
    .reply(status, typeof body === 'string' ? body : JSON.stringify(body), headers);
}

/** `expectTokenRequest` for the client credentials grant with the default credentials. */
export const expectClientCredentials = (
  status: number,
  body: unknown,
  headers?: Record<string, string>,
): nock.Scope =>
  expectTokenRequest(
    { body: 'grant_type=client_credentials', authorization: PLAIN_BASIC },
    status,
    body,
    headers,
  );
