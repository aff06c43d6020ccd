import {
  baseFields,
  clientSecretBasic,
  defineCredentialSchema,
  field,
  labelledEnum,
  text,
  type BasicEncoding,
  type CredentialsOf,
  type ProviderDefinition,
} from '@aic/connector-core';

/** LeanCore's one token endpoint (the seed document names no other, not even for the sandbox). */
export const LEANCORE_TOKEN_ENDPOINT = 'https://auth.leancore.co/oauth2/token';

/**
 * How the `Authorization: Basic` pair is encoded by default: `plain`, i.e. `base64(username:password)`
 * over the raw UTF-8 bytes, exactly as LeanCore's document writes it (its example
 * `dXNlcm5hbWU6cGFzc3dvcmQ=` is `base64("username:password")`). RFC 6749 §2.3.1 would
 * form-urlencode both parts first; the two only differ for characters outside `[A-Za-z0-9]`.
 * See the README ("Basic encoding") for the reasons and the byte-level consequences.
 */
export const LEANCORE_BASIC_ENCODING: BasicEncoding = 'plain';

/** The credential form of a LeanCore connection (JSON Schema 2020-12, labels in es/en). */
export const credentialSchema = defineCredentialSchema({
  $id: 'https://aic.arandasoft.com/schemas/provider-leancore/credentials.schema.json',
  title: text('Conexión LeanCore', 'LeanCore connection'),
  description: text(
    'Credenciales de API de LeanCore (flujo client credentials de OAuth 2.0).',
    'LeanCore API credentials (OAuth 2.0 client credentials flow).',
  ),
  properties: {
    username: baseFields.clientId({
      title: text('Usuario (ID de cliente)', 'Username (client ID)'),
      description: text(
        'El «username» que LeanCore entregó para su API: es el ID de cliente OAuth.',
        'The “username” LeanCore issued for its API: it is the OAuth client ID.',
      ),
    }),
    password: baseFields.clientSecret({
      title: text('Contraseña (secreto de cliente)', 'Password (client secret)'),
      description: text(
        'La «password» que LeanCore entregó junto con el usuario: es el secreto de cliente. Nunca se muestra ni se registra.',
        'The “password” LeanCore issued with the username: it is the client secret. Never shown or logged.',
      ),
    }),
    environment: {
      type: 'string',
      ...labelledEnum({
        production: text('Producción (api.leancore.co)', 'Production (api.leancore.co)'),
        sandbox: text(
          'Pruebas (www.api.sandbox-middleware.leancore.co)',
          'Sandbox (www.api.sandbox-middleware.leancore.co)',
        ),
      }),
      default: 'production',
      ...field(
        text('Entorno', 'Environment'),
        text(
          'production: API en https://api.leancore.co; sandbox: API en https://www.api.sandbox-middleware.leancore.co. Ambos piden el token a https://auth.leancore.co/oauth2/token.',
          'production: API at https://api.leancore.co; sandbox: API at https://www.api.sandbox-middleware.leancore.co. Both request the token from https://auth.leancore.co/oauth2/token.',
        ),
      ),
    },
    endpoints: baseFields.endpoints(['token', 'apiBase']),
  },
  required: ['username', 'password'],
});

/** The credentials of a LeanCore connection, derived from {@link credentialSchema}. */
export type LeanCoreCredentials = CredentialsOf<typeof credentialSchema>;

/**
 * LeanCore: OAuth 2.0 client credentials (RFC 6749 §4.4) with HTTP Basic client authentication
 * (RFC 6749 §2.3.1). A refresh token is used if the provider ever returns one (its document
 * mentions a 7-day one, its example shows none); any failure of that refresh falls back to client
 * credentials, so a missing or expired refresh token never stops a connection.
 */
export const leanCoreDefinition = {
  id: 'leancore',
  version: '0.1.0',
  displayName: text('LeanCore', 'LeanCore'),
  description: text(
    'Ecosistema de crédito y servicios financieros de LeanCore (Colombia): token por client credentials.',
    'LeanCore credit and fintech ecosystem (Colombia): token by client credentials.',
  ),
  credentialSchema,
  clientFields: { id: 'username', secret: 'password' },
  regions: {
    production: { token: LEANCORE_TOKEN_ENDPOINT, apiBase: 'https://api.leancore.co' },
    sandbox: { token: LEANCORE_TOKEN_ENDPOINT, apiBase: 'https://www.api.sandbox-middleware.leancore.co' },
  },
  regionOf: (credentials) => credentials.environment ?? 'production',
  grant: {
    type: 'client_credentials',
    auth: clientSecretBasic({ encoding: LEANCORE_BASIC_ENCODING }),
    refreshAuth: clientSecretBasic({ encoding: LEANCORE_BASIC_ENCODING }),
  },
  // RFC 6749 §5.1: `expires_in` in seconds; LeanCore's example says 3600. No refresh-token
  // deadline is declared: with client credentials behind it, no person ever re-authorizes.
  expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
  // No read-only endpoint is documented: "Validar conexión" obtains a token and stops there.
  validation: undefined,
  sampleCredentials: {
    username: 'aic-sample-client',
    password: 'sample-password-not-a-real-secret',
    environment: 'sandbox',
  },
} satisfies ProviderDefinition<typeof credentialSchema>;
