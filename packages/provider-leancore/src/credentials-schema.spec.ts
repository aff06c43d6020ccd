import { inspect } from 'node:util';
import { ErrorCode, InvalidCredentialsError, validateCredentials } from '@aic/connector-core';
import { describePublishedCredentialSchemas } from '../../../test/credential-schema-files.js';
import { PASSWORD, guardNetwork, leanCoreHarness } from './__fixtures__/leancore-harness.js';
import { LEANCORE_TOKEN_ENDPOINT, credentialSchema, leanCoreDefinition, manifest } from './index.js';

guardNetwork();

const packageRoot = new URL('../', import.meta.url);

async function credentialsError(credentials: Record<string, unknown>): Promise<InvalidCredentialsError> {
  const h = leanCoreHarness();
  const error: unknown = await h.connector
    .getAccessToken({ id: 'conn-1', credentials })
    .catch((e: unknown) => e);
  if (!(error instanceof InvalidCredentialsError)) throw new Error('expected InvalidCredentialsError');
  return error;
}

describePublishedCredentialSchemas(credentialSchema, packageRoot);

describe('LeanCore credential schema', () => {
  it('labels both environments in Spanish and English, in the manifest a host reads too', () => {
    expect(manifest.credentialSchema.properties['environment']).toMatchObject({
      enum: ['production', 'sandbox'],
      oneOf: [
        {
          const: 'production',
          title: 'Producción (api.leancore.co)',
          'x-title': { es: 'Producción (api.leancore.co)', en: 'Production (api.leancore.co)' },
        },
        {
          const: 'sandbox',
          title: 'Pruebas (www.api.sandbox-middleware.leancore.co)',
          'x-title': {
            es: 'Pruebas (www.api.sandbox-middleware.leancore.co)',
            en: 'Sandbox (www.api.sandbox-middleware.leancore.co)',
          },
        },
      ],
    });
  });

  it('has the LeanCore fields with es/en labels, password secret, environment defaulting to production', () => {
    expect(Object.keys(credentialSchema.properties)).toEqual([
      'username',
      'password',
      'environment',
      'endpoints',
    ]);
    expect(credentialSchema.required).toEqual(['username', 'password']);
    const { username, password, environment, endpoints } = credentialSchema.properties;
    expect(username['x-title']).toEqual({ es: 'Usuario (ID de cliente)', en: 'Username (client ID)' });
    expect(password['x-title']).toEqual({
      es: 'Contraseña (secreto de cliente)',
      en: 'Password (client secret)',
    });
    expect(password).toMatchObject({ 'x-secret': true, writeOnly: true });
    expect(username).not.toHaveProperty('x-secret');
    expect(environment).toMatchObject({ enum: ['production', 'sandbox'], default: 'production' });
    expect(Object.keys(endpoints.properties)).toEqual(['token', 'apiBase']);
  });

  it('accepts the sample credentials and a full sandbox configuration', () => {
    expect(() => validateCredentials(credentialSchema, leanCoreDefinition.sampleCredentials)).not.toThrow();
    expect(() =>
      validateCredentials(credentialSchema, {
        username: 'u',
        password: 'p',
        environment: 'sandbox',
        endpoints: { token: 'https://auth.leancore.co/oauth2/token', apiBase: 'http://127.0.0.1:8080' },
      }),
    ).not.toThrow();
  });

  it('lists every bad field by pointer before any network call, never echoing the password', async () => {
    const error = await credentialsError({
      password: PASSWORD,
      environment: 'staging',
      endpoints: { token: 'http://auth.leancore.co/oauth2/token' },
      clientSecret: 'x',
    });
    expect(error.code).toBe(ErrorCode.InvalidCredentials);
    expect(error.issues.map((issue) => issue.pointer).sort()).toEqual([
      '/clientSecret',
      '/endpoints/token',
      '/environment',
      '/username',
    ]);
    const environment = error.issues.find((issue) => issue.pointer === '/environment');
    expect(environment?.message).toEqual({
      es: '«Entorno» debe ser uno de: production, sandbox',
      en: '“Environment” must be one of: production, sandbox',
    });
    expect(error.localized.es).toContain('falta «Usuario (ID de cliente)» (obligatorio)');
    for (const shown of [error.message, JSON.stringify(error), inspect(error)]) {
      expect(shown).not.toContain(PASSWORD);
    }
  });

  it('refuses an empty password', async () => {
    const error = await credentialsError({ username: 'u', password: '' });
    expect(error.issues).toEqual([
      {
        pointer: '/password',
        message: {
          es: '«Contraseña (secreto de cliente)» no puede estar vacío',
          en: '“Password (client secret)” must not be empty',
        },
      },
    ]);
  });
});

describe('LeanCore manifest', () => {
  it('declares client credentials, both environments, the expiry policy and no probe', () => {
    expect(manifest).toMatchObject({
      id: 'leancore',
      grant: 'client_credentials',
      capabilities: {
        authorizationCode: false,
        pkce: false,
        refreshToken: true,
        clientCredentials: true,
        refreshTokenDeadline: false,
        regions: ['production', 'sandbox'],
      },
      endpoints: {
        production: { token: LEANCORE_TOKEN_ENDPOINT, apiBase: 'https://api.leancore.co' },
        sandbox: {
          token: LEANCORE_TOKEN_ENDPOINT,
          apiBase: 'https://www.api.sandbox-middleware.leancore.co',
        },
      },
      expiry: { expiresInUnit: 'seconds', defaultLifetimeSeconds: 3600, refreshMarginSeconds: 60 },
      clientFields: { id: 'username', secret: 'password' },
      validation: undefined,
    });
    expect(LEANCORE_TOKEN_ENDPOINT).toBe('https://auth.leancore.co/oauth2/token');
    expect(manifest.displayName).toEqual({ es: 'LeanCore', en: 'LeanCore' });
  });
});
