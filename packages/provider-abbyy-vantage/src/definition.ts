import { clientSecretPost, text, type ProviderDefinition } from '@aic/connector-core';
import { credentialSchema, DEFAULT_PRODUCT_ID, DEFAULT_SCOPE } from './credentials.js';
import { vantageEndpoints, vantageRegions } from './endpoints.js';
import { AUTHORIZATION_PROMPT, authorizationScope, exchangeScope, productId } from './scope.js';

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
    // `offline_access` in the authorization request (where an OpenID Connect server decides on
    // refresh tokens, OIDC Core §11) with prompt=consent, and on the exchange, as ABBYY shows.
    scope: authorizationScope,
    authorizationParams: (credentials) => ({
      productId: productId(credentials),
      prompt: AUTHORIZATION_PROMPT,
    }),
    tokenParams: (credentials) => ({ scope: exchangeScope(credentials) }),
    codeExchangeAuth: clientSecretPost(),
    refreshAuth: clientSecretPost(),
    // Fail the authorization while a person is there to fix it, not 24 h later in a scheduled
    // sync: without a refresh token the connection would die with its first access token.
    missingRefreshToken: 'error',
    missingRefreshTokenHint: text(
      'ABBYY Vantage no emitió un token de actualización. Dos causas posibles: (1) el cliente de API no puede emitirlos: en Vantage abra Administración del inquilino → Public API Client → su cliente → «OAuth 2.0 Flows Settings» y active «Allow issuing refresh tokens»; (2) no se concedió el alcance offline_access: si configuró «scope», compruebe que el cliente lo permite (allowedScopes) y que la persona aceptó el acceso sin conexión en la pantalla de consentimiento. Luego autorice la conexión de nuevo.',
      'ABBYY Vantage issued no refresh token. Two possible causes: (1) the API client may not issue them: in Vantage open Tenant Administration → Public API Client → your client → “OAuth 2.0 Flows Settings” and turn on “Allow issuing refresh tokens”; (2) the offline_access scope was not granted: if you set “scope”, check that the client allows it (allowedScopes) and that the person accepted offline access on the consent screen. Then authorize the connection again.',
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
