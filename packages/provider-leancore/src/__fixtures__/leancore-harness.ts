import nock from 'nock';
import { Container, type ContainerModule } from 'inversify';
import {
  Clock,
  Connector,
  HttpDispatcher,
  Logger,
  ManualClock,
  MemoryLogger,
  MemoryTokenStore,
  TokenStore,
  connectionKey,
  createDefaultDispatcher,
  type ConnectionInput,
} from '@aic/connector-core';
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

export interface LeanCoreHarness {
  readonly connector: Connector;
  readonly clock: ManualClock;
  readonly logger: MemoryLogger;
  readonly tokenStore: MemoryTokenStore;
  /** A connection (production unless the credentials say otherwise). */
  connection(credentials?: Record<string, unknown>, id?: string): ConnectionInput;
  /** The store key of a connection. */
  key(id?: string): string;
}

/**
 * The LeanCore connector as a host gets it: a container with a manual clock, a memory logger
 * and store, and the package's ContainerModule loaded.
 */
export function leanCoreHarness(module: ContainerModule = connectorModule): LeanCoreHarness {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  const logger = new MemoryLogger();
  const tokenStore = new MemoryTokenStore();
  const container = new Container();
  container.bind(Clock).toConstantValue(clock);
  container.bind(Logger).toConstantValue(logger);
  container.bind(TokenStore).toConstantValue(tokenStore);
  container.bind(HttpDispatcher).toConstantValue(createDefaultDispatcher());
  container.load(module);
  const connector = container.get(Connector);
  return {
    connector,
    clock,
    logger,
    tokenStore,
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
 * 501 and the interceptor stays pending, which `assertNoPendingMocks` reports).
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

/** Fails when a scripted call was not made; clears every interceptor either way. */
export function assertNoPendingMocks(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`pending mocks: ${pending.join(', ')}`);
}
