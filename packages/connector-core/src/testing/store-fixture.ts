import type { Dispatcher } from 'undici';
import { OAuthConnector } from '../connector/oauth-connector.js';
import type { ProviderDefinition } from '../connector/definition.js';
import type {
  PendingAuthorizationStore,
  TokenRequestLimiter,
  TokenStore,
} from '../connector/service-identifiers.js';
import { baseFields } from '../credentials/fields.js';
import { defineCredentialSchema } from '../credentials/define-schema.js';
import { text } from '../errors/localized.js';
import type { CallDeadlines } from '../http/deadline.js';
import { createDefaultDispatcher } from '../http/dispatcher.js';
import { clientSecretBasic, clientSecretPost } from '../oauth/client-authentication.js';
import { endpointPolicy } from '../oauth/endpoint-policy.js';
import { connectionKey } from '../stores/connection-record.js';
import { systemClock } from '../support/clock.js';
import { silentLogger, type Logger } from '../support/logger.js';
import { defaultExpiryPolicy, type ExpiryPolicy } from '../tokens/expiry-policy.js';

/** The connector id of the store fixture: the first half of each of its store keys. */
export const STORE_FIXTURE_ID = 'fixture';

const credentialSchema = defineCredentialSchema({
  $id: 'https://aic.test/store-fixture.credentials.json',
  title: text('Prueba', 'Test'),
  description: text('Proveedor de prueba de los almacenes', 'Store test provider'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

/** The credential schema of the store fixture: client id, client secret, redirect URI. */
export type StoreFixtureSchema = typeof credentialSchema;

/**
 * The client every store fixture connection authenticates as, and the one a
 * `RotatingTokenEndpoint` expects (HTTP Basic, RFC 6749 §2.3.1 encoding, on refresh).
 */
export const storeFixtureCredentials = Object.freeze({
  clientId: 'store-fixture-client',
  clientSecret: 'store-fixture-secret-5e7a',
  redirectUri: 'http://127.0.0.1:1/callback',
});

/** Connection `id` of the store fixture connector. */
export const storeFixtureConnection = (id: string) => ({ id, credentials: storeFixtureCredentials });

/** The store key of fixture connection `id`. */
export const storeFixtureKey = (id: string): string => connectionKey(STORE_FIXTURE_ID, id);

/** Where the fixture connector's provider is, and how it reads token lifetimes. */
export interface StoreFixtureOptions {
  /**
   * The authorization server's origin (a nock host, or a loopback server such as a
   * `RotatingTokenEndpoint`): `/authorize` and `/token` under it, the API under `/api`.
   */
  readonly origin: string;
  /**
   * The unit of `expires_in`. `'seconds'` (default): RFC 6749, core's default expiry policy
   * (refreshed 60 s before expiry, 1 h when absent), for tests on a manual clock and long runs.
   * `'milliseconds'`: refreshed exactly at expiry (1 s when absent), for short, forced expiry
   * windows on the real clock.
   */
  readonly expiresInUnit?: ExpiryPolicy['expiresInUnit'] | undefined;
}

const forcedExpiry: ExpiryPolicy = Object.freeze({
  expiresInUnit: 'milliseconds',
  defaultLifetimeSeconds: 1,
  refreshMarginSeconds: 0,
});

/**
 * The store fixture: an authorization code + PKCE connector whose refresh rotates the refresh
 * token (client secret in the body on the code exchange, which must return a refresh token; RFC 6749
 * Basic on refresh) and one attempt per token call — what a token store is tested under, in this
 * repository's store packages and benchmarks or in a store of your own.
 */
export function storeFixtureDefinition(options: StoreFixtureOptions) {
  const { origin } = options;
  return {
    id: STORE_FIXTURE_ID,
    version: '1.0.0',
    displayName: text('Prueba', 'Test'),
    description: text('Proveedor de prueba', 'Test provider'),
    credentialSchema,
    regions: {
      main: { authorization: `${origin}/authorize`, token: `${origin}/token`, apiBase: `${origin}/api` },
    },
    grant: {
      type: 'authorization_code',
      pkce: 'S256',
      scope: () => 'read',
      codeExchangeAuth: clientSecretPost(),
      refreshAuth: clientSecretBasic({ encoding: 'rfc6749' }),
      missingRefreshToken: 'error',
    },
    expiry: options.expiresInUnit === 'milliseconds' ? forcedExpiry : defaultExpiryPolicy,
    retry: { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, maxElapsedMs: 1_000 },
    sampleCredentials: storeFixtureCredentials,
  } satisfies ProviderDefinition<StoreFixtureSchema>;
}

/** The stores a fixture connector runs on, and what a test may replace. */
export interface StoreFixtureRuntime {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  /** Default: the engine's (16 token requests per origin, in this process). */
  readonly tokenLimiter?: TokenRequestLimiter | undefined;
  /** Default: a new `createDefaultDispatcher()` (the caller closes what it passes). */
  readonly dispatcher?: Dispatcher | undefined;
  /** Default: the engine's (30 s / 60 s); the refresh lease is 2 × `tokenMs` + 5 s. */
  readonly deadlines?: CallDeadlines | undefined;
  /** Default: `silentLogger`. */
  readonly logger?: Logger | undefined;
}

/**
 * {@link storeFixtureDefinition} as a host runs it, on the real clock, with a development endpoint
 * policy (so a loopback provider is allowed): the connector each process of a multi-process store
 * test builds on the shared store.
 */
export function storeFixtureConnector(
  options: StoreFixtureOptions & StoreFixtureRuntime,
): OAuthConnector<StoreFixtureSchema> {
  return new OAuthConnector(storeFixtureDefinition(options), {
    tokenStore: options.tokenStore,
    pendingStore: options.pendingStore,
    clock: systemClock,
    logger: options.logger ?? silentLogger,
    dispatcher: options.dispatcher ?? createDefaultDispatcher(),
    endpointPolicy: endpointPolicy({ development: true }),
    ...(options.tokenLimiter === undefined ? {} : { tokenLimiter: options.tokenLimiter }),
    ...(options.deadlines === undefined ? {} : { deadlines: options.deadlines }),
  });
}
