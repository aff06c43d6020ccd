import nock from 'nock';
import { clientSecretBasic, clientSecretPost } from '../oauth/client-authentication.js';
import { baseFields } from '../credentials/fields.js';
import { defineCredentialSchema } from '../credentials/define-schema.js';
import { text } from '../errors/localized.js';
import type { CredentialSchema } from '../credentials/schema-types.js';
import type { ProviderDefinition } from '../connector/definition.js';
import { OAuthConnector } from '../connector/oauth-connector.js';
import type { MemoryTokenStore } from '../stores/memory-stores.js';
import { ManualClock } from '../support/clock.js';
import type { MemoryLogger } from '../support/logger.js';
import type { ConnectorRuntime } from '../connector/runtime.js';
import { assertNoPendingMocks as assertNoPendingMocksOf } from '../testing/scripted-network.js';
import { createTestPorts } from '../testing/test-ports.js';

export const AUTH_HOST = 'https://auth.fixture.test';
export const API_HOST = 'https://api.fixture.test';

export const fixtureSchema = defineCredentialSchema({
  $id: 'https://aic.test/fixture.credentials.json',
  title: text('Fixture', 'Fixture'),
  description: text('Proveedor de prueba', 'Test provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
    region: baseFields.region({ main: text('Principal', 'Main'), other: text('Otra', 'Other') }, 'main'),
    endpoints: baseFields.endpoints(['authorization', 'token', 'apiBase']),
    clientSecretCreatedAt: baseFields.clientSecretCreatedAt(),
    refreshToken: baseFields.refreshToken(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

export const SECRET = 'fixture-secret-Ü-0123456789';

export const fixtureDefinition = {
  id: 'fixture',
  version: '1.0.0',
  displayName: text('Fixture', 'Fixture'),
  description: text('Proveedor de prueba', 'Test provider'),
  credentialSchema: fixtureSchema,
  regions: {
    main: { authorization: `${AUTH_HOST}/authorize`, token: `${AUTH_HOST}/token`, apiBase: `${API_HOST}/v1` },
    other: {
      authorization: 'https://other.fixture.test/authorize',
      token: 'https://other.fixture.test/token',
      apiBase: 'https://other-api.fixture.test',
    },
  },
  grant: {
    type: 'authorization_code',
    pkce: 'S256',
    scope: () => 'read write',
    authorizationParams: () => ({ productId: 'p-1' }),
    codeExchangeAuth: clientSecretPost(),
    refreshAuth: clientSecretBasic({ encoding: 'rfc6749' }),
    missingRefreshToken: 'warn',
    importedRefreshToken: (credentials) => credentials.refreshToken,
  },
  expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 300 },
  clientSecret: { lifetimeDays: 365, warnDays: 30 },
  validation: { method: 'GET', path: '/me' },
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 5000 },
  sampleCredentials: { clientId: 'client-1', clientSecret: SECRET, redirectUri: 'https://aic.test/callback' },
} satisfies ProviderDefinition<typeof fixtureSchema>;

export interface Harness<S extends CredentialSchema = typeof fixtureSchema> {
  connector: OAuthConnector<S>;
  runtime: ConnectorRuntime;
  clock: ManualClock;
  logger: MemoryLogger;
  tokenStore: MemoryTokenStore;
  connection: { id: string; credentials: Record<string, unknown> };
}

/** The start of every fixture clock: 2026-06-01T00:00:00Z. */
export const T0 = Date.UTC(2026, 5, 1);

/** A connector for `definition` on test ports (memory stores, a manual clock, a memory logger) and `random` 0.5. */
export function harnessFor<S extends CredentialSchema>(
  definition: ProviderDefinition<S>,
  credentials: Record<string, unknown> = {},
  runtimeOverrides: Partial<ConnectorRuntime> = {},
): Harness<S> {
  const ports = createTestPorts({ start: T0, random: () => 0.5 });
  const runtime: ConnectorRuntime = { ...ports, ...runtimeOverrides };
  const connector = new OAuthConnector(definition, runtime);
  return {
    connector,
    runtime,
    clock: runtime.clock instanceof ManualClock ? runtime.clock : ports.clock,
    logger: ports.logger,
    tokenStore: ports.tokenStore,
    connection: {
      id: 'conn-1',
      credentials: { ...(definition.sampleCredentials as Record<string, unknown>), ...credentials },
    },
  };
}

/** The fixture (authorization code + PKCE) connector; `overrides` replace definition fields. */
export function harness(
  overrides: Partial<ProviderDefinition<typeof fixtureSchema>> = {},
  credentials: Record<string, unknown> = {},
  runtimeOverrides: Partial<ConnectorRuntime> = {},
): Harness {
  return harnessFor({ ...fixtureDefinition, ...overrides }, credentials, runtimeOverrides);
}

/** Starts an authorization and returns the state and the callback URL the provider would send. */
export async function startFlow(
  h: Harness,
  code = 'the-code',
): Promise<{ state: string; url: URL; callback: string }> {
  const start = await h.connector.startAuthorization(h.connection);
  const url = new URL(start.url);
  return { state: start.state, url, callback: `https://aic.test/callback?code=${code}&state=${start.state}` };
}

/** nock scope for the token endpoint. */
export const tokenScope = (): nock.Scope => nock(AUTH_HOST);

/** Fails when a scripted call was not made; clears every interceptor either way. */
export const assertNoPendingMocks = (): void => assertNoPendingMocksOf(nock);

/** A token endpoint success body (RFC 6749 §5.1); `extra` adds or replaces members. */
export const tokenBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  access_token: 'AT-1',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'RT-1',
  ...extra,
});

/** Runs the whole authorization code flow, leaving the connection authorized with `body`'s tokens. */
export async function authorize(h: Harness, body: Record<string, unknown> = tokenBody()): Promise<void> {
  const { callback } = await startFlow(h);
  const scope = tokenScope().post('/token').reply(200, body);
  await h.connector.completeAuthorization(h.connection, callback);
  scope.done();
}

/* ---------- A client credentials provider (LeanCore-like) ---------- */

export const CC_HOST = 'https://cc.fixture.test';
export const CC_SECRET = 'cc-secret-€-9876543210';

export const ccSchema = defineCredentialSchema({
  $id: 'https://aic.test/fixture-cc.credentials.json',
  title: text('Fixture CC', 'Fixture CC'),
  description: text('Proveedor de prueba (client credentials)', 'Test provider (client credentials)'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    endpoints: baseFields.endpoints(['token', 'apiBase']),
  },
  required: ['clientId', 'clientSecret'],
});

export const ccDefinition = {
  id: 'fixture-cc',
  version: '1.0.0',
  displayName: text('Fixture CC', 'Fixture CC'),
  description: text('Proveedor de prueba', 'Test provider'),
  credentialSchema: ccSchema,
  regions: { main: { token: `${CC_HOST}/oauth2/token`, apiBase: `${CC_HOST}/api` } },
  grant: {
    type: 'client_credentials',
    auth: clientSecretBasic({ encoding: 'plain' }),
    scope: () => 'read',
    refreshAuth: clientSecretPost(),
  },
  expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
  retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000, maxElapsedMs: 5000 },
  sampleCredentials: { clientId: 'cc-client', clientSecret: CC_SECRET },
} satisfies ProviderDefinition<typeof ccSchema>;

/** The exact Basic header of the CC fixture's sample credentials (plain encoding, UTF-8). */
export const CC_BASIC = `Basic ${Buffer.from(`cc-client:${CC_SECRET}`, 'utf8').toString('base64')}`;
