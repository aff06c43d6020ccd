import { clientSecretPost, text, type ProviderDefinition } from '@aic/connector-core';
import { credentialSchema, DEFAULT_PRODUCT_ID, DEFAULT_SCOPE } from './credentials.js';
import { vantageEndpoints, vantageRegions } from './endpoints.js';
import { authorizationScope, exchangeScope, productId } from './scope.js';

const DAY_SECONDS = 86_400;

/** The read-only call "Validar conexión" makes: the list of skills available to the user. */
export const VALIDATION_PATH = '/api/publicapi/v1/skills';

/**
 * ABBYY Vantage: OAuth 2.0 authorization code (RFC 6749 §4.1) with PKCE S256 always (RFC 7636),
 * client id and secret in the form body for both the exchange and the refresh
 * (`client_secret_post`, RFC 6749 §2.3.1), and a refresh token whose 30-day lifetime counts from
 * the authorization and is never extended. Facts from ABBYY's developer guide ("Authorization
 * Code Flow", "Token lifetimes") and `seeds/abbyy-vantage-authorization-code.es.md`.
 */
export const abbyyVantageDefinition = {
  id: 'abbyy-vantage',
  version: '0.1.0',
  displayName: text('ABBYY Vantage', 'ABBYY Vantage'),
  description: text(
    'Procesamiento inteligente de documentos de ABBYY Vantage: skills, transacciones y catálogos por su API pública.',
    'ABBYY Vantage intelligent document processing: skills, transactions and catalogs through its public API.',
  ),
  credentialSchema,
  regions: vantageRegions,
  regionOf: (credentials) => credentials.region,
  endpointsOf: vantageEndpoints,
  grant: {
    type: 'authorization_code',
    // Vantage clients require PKCE unless an administrator turns "allowNoPkce" on; we never ask.
    pkce: 'S256',
    scope: authorizationScope,
    authorizationParams: (credentials) => ({ productId: productId(credentials) }),
    // `offline_access` on the exchange is what yields the refresh token.
    tokenParams: (credentials) => ({ scope: exchangeScope(credentials) }),
    codeExchangeAuth: clientSecretPost(),
    refreshAuth: clientSecretPost(),
    // Fail the authorization while a person is there to fix it, not 24 h later in a scheduled
    // sync: without a refresh token the connection would die with its first access token.
    missingRefreshToken: 'error',
    missingRefreshTokenHint: text(
      'ABBYY Vantage no emitió un token de actualización: en Vantage abra Administración del inquilino → Public API Client → su cliente → «OAuth 2.0 Flows Settings», active «Allow issuing refresh tokens» y autorice la conexión de nuevo.',
      'ABBYY Vantage issued no refresh token: in Vantage open Tenant Administration → Public API Client → your client → “OAuth 2.0 Flows Settings”, turn on “Allow issuing refresh tokens” and authorize the connection again.',
    ),
  },
  expiry: {
    // RFC 6749 §5.1: seconds. ABBYY: access tokens live 24 h.
    expiresInUnit: 'seconds',
    defaultLifetimeSeconds: DAY_SECONDS,
    refreshMarginSeconds: 300,
    // ABBYY: the refresh token lives 30 days from the authentication and "cannot be extended";
    // refreshing (even when it returns a new refresh token) keeps the original deadline.
    refreshTokenMaxAgeSeconds: 30 * DAY_SECONDS,
    refreshTokenAgeFrom: 'authorization',
    reauthorizationWarningSeconds: 3 * DAY_SECONDS,
  },
  // Secrets expire 6 months after creation by default (configurable from 1 day to 36 months): an
  // explicit `clientSecretExpiresAt` wins; from a creation date alone, 181 days (the shortest six
  // calendar months) so the warning is never late for a default secret.
  clientSecret: { lifetimeDays: 181, warnDays: 30 },
  validation: { method: 'GET', path: VALIDATION_PATH },
  sampleCredentials: {
    clientId: 'aic-sample-client',
    clientSecret: 'sample-secret-not-real',
    redirectUri: 'https://aic.example.com/oauth/callback',
    region: 'us',
    scope: DEFAULT_SCOPE,
    productId: DEFAULT_PRODUCT_ID,
  },
} satisfies ProviderDefinition<typeof credentialSchema>;
