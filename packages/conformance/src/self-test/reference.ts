import { ContainerModule } from 'inversify';
import {
  Connector,
  baseFields,
  clientSecretBasic,
  clientSecretPost,
  createConnectorModule,
  defineCredentialSchema,
  resolveRuntime,
  text,
  type Connector as ConnectorContract,
  type ConnectorRuntime,
  type ProviderDefinition,
} from '@aic/connector-core';

/**
 * Two correct connectors on core, the bases the broken connectors break one rule of:
 * an authorization code one (PKCE, secret in the body on the exchange, RFC 6749 Basic on
 * refresh) and a client credentials one (plain Basic, refresh tokens used when they come).
 *
 * The code one has the grant of core's store fixture (`storeFixtureDefinition` in
 * `@aic/connector-core/testing`) but is not that fixture, on purpose: the kit ships it (for
 * `--self-test`), so it lives in the kit and declares what the scenarios exercise — region and
 * endpoint-override fields, a validation probe, the manifest's `warn` on a code exchange without a
 * refresh token, the engine's retry policy.
 */
export const referenceSchema = defineCredentialSchema({
  $id: 'https://conformance.test/reference.credentials.json',
  title: text('Referencia', 'Reference'),
  description: text('Conector de referencia del kit', 'The kit’s reference connector'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
    region: baseFields.region(['main'], 'main'),
    endpoints: baseFields.endpoints(['authorization', 'token', 'apiBase']),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

export const referenceCode = {
  id: 'kit-reference-code',
  version: '1.0.0',
  displayName: text('Referencia (código)', 'Reference (code)'),
  description: text('Código de autorización con PKCE', 'Authorization code with PKCE'),
  credentialSchema: referenceSchema,
  regions: {
    main: {
      authorization: 'https://login.reference.test/authorize',
      token: 'https://login.reference.test/token',
      apiBase: 'https://api.reference.test/v1',
    },
  },
  grant: {
    type: 'authorization_code',
    pkce: 'S256',
    scope: () => 'read',
    codeExchangeAuth: clientSecretPost(),
    refreshAuth: clientSecretBasic({ encoding: 'rfc6749' }),
    missingRefreshToken: 'warn',
  },
  expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
  validation: { method: 'GET', path: '/me' },
  sampleCredentials: {
    clientId: 'reference-client',
    clientSecret: 'reference-secret-sample',
    redirectUri: 'https://host.reference.test/callback',
  },
} satisfies ProviderDefinition<typeof referenceSchema>;

export const referenceClientSchema = defineCredentialSchema({
  $id: 'https://conformance.test/reference-client.credentials.json',
  title: text('Referencia (cliente)', 'Reference (client)'),
  description: text('Conector de referencia del kit', 'The kit’s reference connector'),
  properties: {
    username: baseFields.clientId(),
    password: baseFields.clientSecret(),
    endpoints: baseFields.endpoints(['token', 'apiBase']),
  },
  required: ['username', 'password'],
});

export const referenceClient = {
  id: 'kit-reference-client',
  version: '1.0.0',
  displayName: text('Referencia (cliente)', 'Reference (client)'),
  description: text('Client credentials con Basic plano', 'Client credentials with plain Basic'),
  credentialSchema: referenceClientSchema,
  clientFields: { id: 'username', secret: 'password' },
  regions: {
    main: { token: 'https://auth.reference.test/oauth2/token', apiBase: 'https://api.reference.test' },
  },
  grant: {
    type: 'client_credentials',
    auth: clientSecretBasic({ encoding: 'plain' }),
    refreshAuth: clientSecretBasic({ encoding: 'plain' }),
  },
  expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
  sampleCredentials: { username: 'reference-user', password: 'reference-password-sample' },
} satisfies ProviderDefinition<typeof referenceClientSchema>;

export const referenceCodeModule = createConnectorModule(referenceCode);
export const referenceClientModule = createConnectorModule(referenceClient);

/** A ContainerModule binding the connector `build` makes from the container's runtime. */
export function moduleOf(build: (runtime: ConnectorRuntime) => ConnectorContract): ContainerModule {
  return new ContainerModule(({ bind }) => {
    bind(Connector)
      .toDynamicValue((context) => build(resolveRuntime(context)))
      .inSingletonScope();
  });
}
