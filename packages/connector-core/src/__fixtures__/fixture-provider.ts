import nock from 'nock';
import { clientSecretBasic, clientSecretPost } from '../oauth/client-authentication.js';
import { baseFields } from '../credentials/fields.js';
import { defineCredentialSchema } from '../credentials/define-schema.js';
import { text } from '../errors/localized.js';
import type { ProviderDefinition } from '../connector/definition.js';
import { OAuthConnector } from '../connector/oauth-connector.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../stores/memory-stores.js';
import { ManualClock } from '../support/clock.js';
import { MemoryLogger } from '../support/logger.js';
import { createDefaultDispatcher } from '../http/dispatcher.js';
import type { ConnectorRuntime } from '../connector/runtime.js';

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
    region: baseFields.region(['main', 'other'], 'main'),
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

export interface Harness {
  connector: OAuthConnector<typeof fixtureSchema>;
  runtime: ConnectorRuntime;
  clock: ManualClock;
  logger: MemoryLogger;
  tokenStore: MemoryTokenStore;
  connection: { id: string; credentials: Record<string, unknown> };
}

/** A connector on memory stores, a manual clock and a memory logger. */
export function harness(
  overrides: Partial<ProviderDefinition<typeof fixtureSchema>> = {},
  credentials: Record<string, unknown> = {},
): Harness {
  const clock = new ManualClock(Date.UTC(2026, 5, 1));
  const logger = new MemoryLogger();
  const tokenStore = new MemoryTokenStore();
  const runtime: ConnectorRuntime = {
    tokenStore,
    pendingStore: new MemoryPendingAuthorizationStore(clock),
    clock,
    logger,
    dispatcher: createDefaultDispatcher(),
    random: () => 0.5,
  };
  const connector = new OAuthConnector({ ...fixtureDefinition, ...overrides }, runtime);
  return {
    connector,
    runtime,
    clock,
    logger,
    tokenStore,
    connection: { id: 'conn-1', credentials: { ...fixtureDefinition.sampleCredentials, ...credentials } },
  };
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

export function assertNoPendingMocks(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`pending mocks: ${pending.join(', ')}`);
}
