import {
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  defineCredentialSchema,
  field,
  text,
  type CredentialsOf,
  type ProviderDefinition,
} from '@aic/connector-core';

/**
 * HP TechPulse (HP Proactive Management / HP DaaS analytics) as data. The quirks, and the
 * evidence behind each choice, are in this package's README ("Quirks").
 *
 * Source: HP Developers, "Authenticating with OAuth 2.0" (seeds/hp-techpulse-oauth2.md).
 */

/** HP's own words for the client credentials ("API Key", "API Secret"), in AIC's two languages. */
const apiKey = baseFields.clientId({
  title: text('API Key (ID de cliente)', 'API Key (client ID)'),
  description: text(
    'El «API Key» de la aplicación aprobada en HP Developers (My Apps). No puede contener «:».',
    'The “API Key” of the approved application in HP Developers (My Apps). It cannot contain “:”.',
  ),
});

/** The credential form of an HP TechPulse connection: one source of truth for form, JSON and type. */
export const credentialSchema = defineCredentialSchema({
  $id: 'https://aic.arandasoft.com/schemas/provider-hp-techpulse/credentials.schema.json',
  title: text('Credenciales de HP TechPulse', 'HP TechPulse credentials'),
  description: text(
    'Aplicación registrada en HP Developers (producto HP TechPulse Analytics, alcance Read).',
    'Application registered in HP Developers (product HP TechPulse Analytics, scope Read).',
  ),
  properties: {
    // RFC 7617 §2: a Basic user-id cannot hold ":"; refused here, before any request.
    clientId: { ...apiKey, pattern: '^[^:]+$' },
    clientSecret: baseFields.clientSecret({
      title: text('API Secret (secreto de cliente)', 'API Secret (client secret)'),
      description: text(
        'El «API Secret» de la aplicación en HP Developers. Vence a los 365 días de creado. Nunca se muestra ni se registra.',
        'The “API Secret” of the application in HP Developers. It expires 365 days after creation. Never shown or logged.',
      ),
    }),
    clientSecretCreatedAt: {
      ...baseFields.clientSecretCreatedAt(),
      ...field(
        text('Fecha de creación del API Secret', 'API Secret creation date'),
        text(
          'Fecha (AAAA-MM-DD) en que HP emitió o restableció el API Secret. HP lo vence a los 365 días: la conexión avisa 30 días antes.',
          'Date (YYYY-MM-DD) HP issued or reset the API Secret. HP expires it after 365 days: the connection warns 30 days ahead.',
        ),
      ),
    },
    redirectUri: baseFields.redirectUri(),
    region: {
      ...baseFields.region(
        {
          us: text('Estados Unidos (daas.api.hp.com)', 'United States (daas.api.hp.com)'),
          eu: text('Unión Europea (eu.daas.api.hp.com)', 'European Union (eu.daas.api.hp.com)'),
        },
        'us',
      ),
      ...field(
        text('Región', 'Region'),
        text(
          'us: daas.api.hp.com (EE. UU.); eu: eu.daas.api.hp.com (UE). Todas las llamadas de la conexión van solo a ese host.',
          'us: daas.api.hp.com (U.S.); eu: eu.daas.api.hp.com (E.U.). Every call of the connection goes to that host only.',
        ),
      ),
    },
    endpoints: baseFields.endpoints(['authorization', 'token', 'apiBase']),
    refreshToken: baseFields.refreshToken(),
  },
  required: ['clientId', 'clientSecret', 'clientSecretCreatedAt', 'redirectUri', 'region'],
});

/** The credentials of one HP TechPulse connection, derived from {@link credentialSchema}. */
export type HpTechPulseCredentials = CredentialsOf<typeof credentialSchema>;

const region = (host: string) => ({
  authorization: `https://${host}/oauth/v1/authorize`,
  token: `https://${host}/oauth/v1/token`,
  apiBase: `https://${host}`,
});

/**
 * The HP TechPulse connector: authorization code (RFC 6749 §4.1, scope `Read`, no PKCE), then
 * refresh (§6) with a different client authentication, per region `us` / `eu`.
 */
export const hpTechPulse = {
  id: 'hp-techpulse',
  version: '0.1.0',
  displayName: text('HP TechPulse', 'HP TechPulse'),
  description: text(
    'HP Proactive Management (TechPulse Analytics): inquilinos e inventario de hardware para el Centro de Integraciones Aranda.',
    'HP Proactive Management (TechPulse Analytics): tenants and hardware inventory for Aranda Integration Center.',
  ),
  credentialSchema,
  // HP's page lists the EU token endpoint as "GET https://daas.api.hp.com/…": a documentation
  // error. Every endpoint of a connection stays on its region's host; the token call is a POST.
  regions: { us: region('daas.api.hp.com'), eu: region('eu.daas.api.hp.com') },
  grant: {
    type: 'authorization_code',
    pkce: 'none',
    scope: () => 'Read',
    // Step 3: client_id and client_secret in the form body (RFC 6749 §2.3.1 client_secret_post).
    codeExchangeAuth: clientSecretPost(),
    // Step 5: HTTP Basic with plain base64(key:secret), as HP documents it (README: "Basic encoding").
    refreshAuth: clientSecretBasic({ encoding: 'plain' }),
    redirectUriOnRefresh: true,
    // HP always issues one; if it ever does not, keep the 30-minute token and warn.
    missingRefreshToken: 'warn',
    importedRefreshToken: (credentials) => credentials.refreshToken,
  },
  expiry: {
    // `expires_in: 1799999` against "30 minutes lifespan": milliseconds (README: "`expires_in` is milliseconds").
    expiresInUnit: 'milliseconds',
    maxLifetimeSeconds: 1800,
    defaultLifetimeSeconds: 1800,
    refreshMarginSeconds: 300,
  },
  clientSecret: { lifetimeDays: 365, warnDays: 30 },
  validation: { method: 'GET', path: '/analytics/v1/identity/tenants' },
  sampleCredentials: {
    clientId: 'SampleApiKey0123456789abcdefABCD',
    clientSecret: 'sample-not-a-real-secret',
    clientSecretCreatedAt: '2026-11-01',
    redirectUri: 'https://aic.example.com/oauth/callback',
    region: 'us',
  },
} satisfies ProviderDefinition<typeof credentialSchema>;
