import {
  baseFields,
  clientSecretBasic,
  defineCredentialSchema,
  field,
  text,
  type CredentialsOf,
  type ProviderDefinition,
} from '@aic/connector-core';

/**
 * Acme Cloud, an imaginary provider, as an outside author would write its connector: one file of
 * data on top of the public API of `@aic/connector-core`.
 *
 * What Acme's (imaginary) developer guide says:
 * - authorization code with PKCE S256, scope `devices:read offline`;
 * - the token endpoint wants HTTP Basic client authentication, id and secret form-urlencoded
 *   first as RFC 6749 §2.3.1 says, on the code exchange and on refresh;
 * - `expires_in` in seconds, tokens live one hour, refresh tokens rotate on every refresh;
 * - regions `global` and `eu`, each with its own hosts.
 */
export const credentialSchema = defineCredentialSchema({
  $id: 'https://connectors.acme.example/acme-cloud/credentials.schema.json',
  title: text('Acme Cloud', 'Acme Cloud'),
  description: text(
    'Credenciales de una aplicación registrada en la consola de desarrolladores de Acme Cloud.',
    'Credentials of an application registered in the Acme Cloud developer console.',
  ),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
    region: baseFields.region(
      { global: text('Global', 'Global'), eu: text('Unión Europea', 'European Union') },
      'global',
    ),
    endpoints: baseFields.endpoints(['authorization', 'token', 'apiBase']),
    clientSecretCreatedAt: baseFields.clientSecretCreatedAt(),
    workspace: {
      type: 'string',
      pattern: '^[a-z0-9-]{1,40}$',
      ...field(
        text('Espacio de trabajo', 'Workspace'),
        text(
          'Opcional: limita la autorización a un espacio de trabajo de Acme (minúsculas, dígitos y guiones).',
          'Optional: limits the authorization to one Acme workspace (lower-case letters, digits and dashes).',
        ),
      ),
    },
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

export type AcmeCredentials = CredentialsOf<typeof credentialSchema>;

export const acmeCloud = {
  id: 'acme-cloud',
  version: '1.0.0',
  displayName: text('Acme Cloud', 'Acme Cloud'),
  description: text(
    'Inventario de dispositivos de Acme Cloud para el Centro de Integraciones Aranda.',
    'Acme Cloud device inventory for the Aranda Integration Center.',
  ),
  credentialSchema,
  regions: {
    global: {
      authorization: 'https://login.acme.example/oauth2/authorize',
      token: 'https://login.acme.example/oauth2/token',
      apiBase: 'https://api.acme.example/v2',
    },
    eu: {
      authorization: 'https://login.eu.acme.example/oauth2/authorize',
      token: 'https://login.eu.acme.example/oauth2/token',
      apiBase: 'https://api.eu.acme.example/v2',
    },
  },
  grant: {
    type: 'authorization_code',
    pkce: 'S256',
    scope: () => 'devices:read offline',
    authorizationParams: (credentials) =>
      credentials.workspace === undefined ? {} : { workspace: credentials.workspace },
    codeExchangeAuth: clientSecretBasic({ encoding: 'rfc6749' }),
    refreshAuth: clientSecretBasic({ encoding: 'rfc6749' }),
    missingRefreshToken: 'warn',
  },
  expiry: {
    expiresInUnit: 'seconds',
    defaultLifetimeSeconds: 3600,
    maxLifetimeSeconds: 86_400,
    refreshMarginSeconds: 120,
  },
  validation: { method: 'GET', path: '/me' },
  sampleCredentials: {
    clientId: 'acme-sample-client',
    clientSecret: 'acme-sample-secret-not-real',
    redirectUri: 'https://aic.example.com/oauth/callback',
    region: 'global',
  },
} satisfies ProviderDefinition<typeof credentialSchema>;
