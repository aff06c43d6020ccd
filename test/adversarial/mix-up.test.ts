/**
 * Attack (RFC 9207 mix-up): the operator's browser comes back with a code issued by another
 * authorization server the attacker controls. A connector that declares its issuer refuses the
 * callback before any token request, and the real callback still completes.
 */
import {
  ErrorCode,
  OAuthConnector,
  baseFields,
  clientSecretPost,
  defineCredentialSchema,
  endpointPolicy,
  text,
  type ProviderDefinition,
} from '@aic/connector-core';
import { createTestPorts } from '@aic/connector-core/testing';
import { json, providerServer, type ProviderServer } from './support/servers.js';

let honest: ProviderServer;
let attacker: ProviderServer;

const tokenResponse = {
  access_token: 'AT-mixup-honest-000000',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: 'RT-mixup-honest-000000',
};

beforeAll(async () => {
  honest = await providerServer((_, response) => json(response, 200, tokenResponse));
  attacker = await providerServer((_, response) => json(response, 200, tokenResponse));
});

afterAll(async () => {
  await honest.close();
  await attacker.close();
});

const schema = defineCredentialSchema({
  $id: 'https://aic.test/mixup.credentials.json',
  title: text('Mix-up', 'Mix-up'),
  description: text('Proveedor con emisor declarado', 'Provider with a declared issuer'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

function connectorFor(issuer: string, origin: string): OAuthConnector<typeof schema> {
  const definition = {
    id: 'mixup',
    version: '1.0.0',
    displayName: text('Mix-up', 'Mix-up'),
    description: text('Prueba', 'Test'),
    credentialSchema: schema,
    regions: {
      main: { authorization: `${origin}/authorize`, token: `${origin}/token`, apiBase: origin, issuer },
    },
    grant: {
      type: 'authorization_code',
      pkce: 'S256',
      scope: () => 'read',
      codeExchangeAuth: clientSecretPost(),
      refreshAuth: clientSecretPost(),
      missingRefreshToken: 'error',
      issuerParameter: 'required',
    },
    expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
    sampleCredentials: { clientId: 'c', clientSecret: 's', redirectUri: 'https://aic.test/cb' },
  } satisfies ProviderDefinition<typeof schema>;
  return new OAuthConnector(
    definition,
    createTestPorts({ endpointPolicy: endpointPolicy({ development: true }) }),
  );
}

it('refuses a callback from another issuer, or without iss, and sends no token request anywhere', async () => {
  const connector = connectorFor(honest.origin, honest.origin);
  const connection = {
    id: 'c-1',
    credentials: {
      clientId: 'client',
      clientSecret: 'client-secret-mixup-1',
      redirectUri: 'https://aic.test/cb',
    },
  };
  const { state } = await connector.startAuthorization(connection);
  for (const callback of [
    { code: 'attacker-code', state, iss: attacker.origin },
    { code: 'attacker-code', state },
    { error: 'access_denied', error_description: 'visit attacker', state, iss: attacker.origin },
  ]) {
    await expect(connector.completeAuthorization(connection, callback)).rejects.toMatchObject({
      code: ErrorCode.IssuerMismatch,
    });
  }
  expect(honest.requests).toHaveLength(0);
  expect(attacker.requests).toHaveLength(0);
  // The pending authorization was not consumed: the honest callback completes.
  await expect(
    connector.completeAuthorization(connection, { code: 'honest-code', state, iss: honest.origin }),
  ).resolves.toMatchObject({ hasRefreshToken: true });
  expect(honest.requests.map((r) => r.url)).toEqual(['/token']);
  expect(honest.requests[0]?.body).toContain('code=honest-code');
});
