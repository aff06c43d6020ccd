// @ts-check
/**
 * Globex Metrics, an imaginary provider, as an author who writes plain JavaScript writes its
 * connector: one ES module, no TypeScript and no build step, only the public API of
 * `@aic/connector-core`. The JSDoc types below let an editor (or `tsc --checkJs`) check it.
 *
 * What Globex's (imaginary) API guide says:
 * - OAuth 2.0 client credentials; the client id and secret go in the form body;
 * - `expires_in` in seconds, tokens live two hours at most;
 * - one region; the API lives under /api/v3.
 */
import {
  baseFields,
  clientSecretPost,
  createConnectorModule,
  defineCredentialSchema,
  manifestOf,
  text,
} from '@aic/connector-core';

export const credentialSchema = defineCredentialSchema({
  $id: 'https://connectors.globex.example/metrics/credentials.schema.json',
  title: text('Globex Metrics', 'Globex Metrics'),
  description: text(
    'Credenciales de un cliente de API de Globex Metrics.',
    'Credentials of a Globex Metrics API client.',
  ),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    // Lets a host (a sandbox, a proxy) and the conformance kit point a connection at other hosts.
    endpoints: baseFields.endpoints(['token', 'apiBase']),
  },
  required: ['clientId', 'clientSecret'],
});

/** @type {import('@aic/connector-core').ProviderDefinition<typeof credentialSchema>} */
export const globexMetrics = {
  id: 'globex-metrics',
  version: '1.0.0',
  displayName: text('Globex Metrics', 'Globex Metrics'),
  description: text(
    'Métricas de Globex para el Centro de Integraciones Aranda.',
    'Globex metrics for the Aranda Integration Center.',
  ),
  credentialSchema,
  regions: {
    main: { token: 'https://auth.globex.example/oauth/token', apiBase: 'https://api.globex.example/api/v3' },
  },
  grant: { type: 'client_credentials', auth: clientSecretPost() },
  expiry: {
    expiresInUnit: 'seconds',
    defaultLifetimeSeconds: 3600,
    maxLifetimeSeconds: 7200,
    refreshMarginSeconds: 120,
  },
  validation: { method: 'GET', path: '/status' },
  sampleCredentials: { clientId: 'globex-sample-client', clientSecret: 'globex-sample-secret-not-real' },
};

/** What a host loads (`aicConnector.module` in package.json). */
export const connectorModule = createConnectorModule(globexMetrics);

export const manifest = manifestOf(globexMetrics);
