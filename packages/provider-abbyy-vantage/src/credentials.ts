import { baseFields, defineCredentialSchema, field, text, type CredentialsOf } from '@aic/connector-core';

/**
 * The scope ABBYY documents for the authorization request. ABBYY says it may change, so a
 * connection can set its own (`scope`); the connector adds `offline_access` to it in the
 * authorization request and the code exchange.
 */
export const DEFAULT_SCOPE = 'openid permissions global.wildcard';

/** The Vantage product identifier ABBYY documents (`productId`); it may change, like the scope. */
export const DEFAULT_PRODUCT_ID = 'a8548c9b-cb90-4c66-8567-d7372bb9b963';

/**
 * A tenant identifier goes into a URL path (`/auth2/{tenantId}/connect/token`), so only one safe
 * path segment is accepted: letters, digits, `-` and `_`, starting and ending with a letter or
 * digit. That covers the GUID Vantage shows (with or without hyphens) and the named tenants of
 * ABBYY's own examples (`TestTenant`), and rules out `/`, `.`, `%`, `?` and `#`.
 */
export const TENANT_ID_PATTERN = '^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,126}[A-Za-z0-9])?$';

/** RFC 6749 §3.3: space-separated scope tokens of `%x21 / %x23-5B / %x5D-7E`. */
const SCOPE_PATTERN = '^[!#-\\[\\]-~]+(?: [!#-\\[\\]-~]+)*$';

/** Unreserved URL characters only (RFC 3986 §2.3): the value is sent in the authorization URL. */
const PRODUCT_ID_PATTERN = '^[A-Za-z0-9._~-]+$';

/** The credential form of an ABBYY Vantage connection (JSON Schema 2020-12, labels in es/en). */
export const credentialSchema = defineCredentialSchema({
  $id: 'https://aic.arandasoft.com/schemas/provider-abbyy-vantage/credentials.schema.json',
  title: text('Conexión ABBYY Vantage', 'ABBYY Vantage connection'),
  description: text(
    'Cliente de la API pública de ABBYY Vantage (flujo authorization code con PKCE de OAuth 2.0).',
    'ABBYY Vantage public API client (OAuth 2.0 authorization code flow with PKCE).',
  ),
  properties: {
    clientId: baseFields.clientId({
      title: text('ID de cliente', 'Client ID'),
      description: text(
        'El Client ID del cliente de API de Vantage (Administración del inquilino → Public API Client).',
        'The Client ID of the Vantage API client (Tenant Administration → Public API Client).',
      ),
    }),
    clientSecret: baseFields.clientSecret({
      title: text('Secreto de cliente', 'Client secret'),
      description: text(
        'Un secreto vigente del cliente de API de Vantage. Nunca se muestra ni se registra.',
        'A current secret of the Vantage API client. Never shown or logged.',
      ),
    }),
    clientSecretCreatedAt: baseFields.clientSecretCreatedAt(),
    clientSecretExpiresAt: {
      ...baseFields.clientSecretExpiresAt(),
      ...field(
        text('Fecha de vencimiento del secreto', 'Client secret expiry date'),
        text(
          'Fecha (AAAA-MM-DD) en que vence el secreto, tal como la muestra Vantage. Si falta, se asume el plazo por defecto de Vantage (6 meses desde la fecha de creación).',
          'Date (YYYY-MM-DD) the secret expires, as Vantage shows it. When absent, Vantage’s default lifetime is assumed (6 months from the creation date).',
        ),
      ),
    },
    redirectUri: baseFields.redirectUri(),
    region: baseFields.region(
      {
        us: text('Estados Unidos (vantage-us.abbyy.com)', 'United States (vantage-us.abbyy.com)'),
        eu: text('Europa (vantage-eu.abbyy.com)', 'Europe (vantage-eu.abbyy.com)'),
        au: text('Australia (vantage-au.abbyy.com)', 'Australia (vantage-au.abbyy.com)'),
      },
      'us',
    ),
    tenantId: {
      type: 'string',
      maxLength: 128,
      pattern: TENANT_ID_PATTERN,
      ...field(
        text('ID de inquilino (opcional)', 'Tenant ID (optional)'),
        text(
          'Solo si la cuenta pertenece a varios inquilinos: el identificador del inquilino (Configuración → General en Vantage). Con él, los tokens se piden a /auth2/{tenantId}/connect/token. Letras, dígitos, «-» y «_».',
          'Only when the account belongs to several tenants: the tenant identifier (Configuration → General in Vantage). With it, tokens are requested from /auth2/{tenantId}/connect/token. Letters, digits, “-” and “_”.',
        ),
      ),
    },
    scope: {
      type: 'string',
      maxLength: 1024,
      default: DEFAULT_SCOPE,
      pattern: SCOPE_PATTERN,
      ...field(
        text('Alcance (scope)', 'Scope'),
        text(
          `Alcance de la autorización; por defecto «${DEFAULT_SCOPE}». Cámbielo solo si ABBYY lo cambia. El conector añade «offline_access» a la autorización y al intercambio del código (sin él no hay token de actualización).`,
          `Authorization scope; default “${DEFAULT_SCOPE}”. Change it only if ABBYY does. The connector adds “offline_access” to the authorization and to the code exchange (without it there is no refresh token).`,
        ),
      ),
    },
    productId: {
      type: 'string',
      maxLength: 128,
      default: DEFAULT_PRODUCT_ID,
      pattern: PRODUCT_ID_PATTERN,
      ...field(
        text('ID de producto (productId)', 'Product ID (productId)'),
        text(
          `Identificador de Vantage que pide la autorización; por defecto ${DEFAULT_PRODUCT_ID}. Cámbielo solo si ABBYY lo cambia.`,
          `The Vantage identifier the authorization request carries; default ${DEFAULT_PRODUCT_ID}. Change it only if ABBYY does.`,
        ),
      ),
    },
    endpoints: baseFields.endpoints(['authorization', 'token', 'apiBase']),
  },
  required: ['clientId', 'clientSecret', 'redirectUri', 'region'],
});

/** The credentials of an ABBYY Vantage connection, derived from {@link credentialSchema}. */
export type AbbyyVantageCredentials = CredentialsOf<typeof credentialSchema>;
