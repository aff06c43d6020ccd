import { inspect } from 'node:util';
import { Container } from 'inversify';
import { Connector, ErrorCode, secretPointers, type FieldSchema } from '@aic/connector-core';
import { describePublishedCredentialSchemas, packageFile } from '../../../test/credential-schema-files.js';
import { connectorModule, credentialSchema, hpTechPulse, manifest } from './index.js';

const packageRoot = new URL('../', import.meta.url);

const valid = hpTechPulse.sampleCredentials;

// Validation goes through the public connector contract, as a host calls it.
const container = new Container();
container.load(connectorModule);
const connector = container.get(Connector);

function issues(credentials: Record<string, unknown>): unknown {
  try {
    connector.validateCredentials(credentials);
  } catch (error) {
    return error;
  }
  throw new Error('credentials were accepted');
}

describePublishedCredentialSchemas(credentialSchema, packageRoot);

describe('credential schema', () => {
  it('the package declares its types, files and ContainerModule', () => {
    expect(packageFile(packageRoot, 'package.json')).toMatchObject({
      files: expect.arrayContaining(['dist', 'README.md', 'LICENSE']) as unknown,
      types: './dist/index.d.ts',
      aicConnector: { module: 'connectorModule' },
    });
  });

  it('titles and describes every field in Spanish and English', () => {
    const walk = (properties: Readonly<Record<string, FieldSchema>>): void => {
      for (const field of Object.values(properties)) {
        for (const label of [field['x-title'], field['x-description']]) {
          expect(label.es.length).toBeGreaterThan(0);
          expect(label.en.length).toBeGreaterThan(0);
        }
        expect(field.title).toBe(field['x-title'].es);
        if (field.type === 'object') walk(field.properties);
      }
    };
    walk(credentialSchema.properties);
    expect(Object.keys(credentialSchema.properties)).toEqual([
      'clientId',
      'clientSecret',
      'clientSecretCreatedAt',
      'redirectUri',
      'region',
      'endpoints',
      'refreshToken',
    ]);
    expect(credentialSchema.required).toEqual([
      'clientId',
      'clientSecret',
      'clientSecretCreatedAt',
      'redirectUri',
      'region',
    ]);
  });

  it('marks the client secret and the imported refresh token as secrets', () => {
    expect(secretPointers(credentialSchema)).toEqual(['/clientSecret', '/refreshToken']);
    expect(credentialSchema.properties.region.enum).toEqual(['us', 'eu']);
  });

  it('labels both regions in Spanish and English, in the manifest a host reads too', () => {
    expect(manifest.credentialSchema.properties['region']).toMatchObject({
      enum: ['us', 'eu'],
      oneOf: [
        {
          const: 'us',
          title: 'Estados Unidos (daas.api.hp.com)',
          'x-title': { es: 'Estados Unidos (daas.api.hp.com)', en: 'United States (daas.api.hp.com)' },
        },
        {
          const: 'eu',
          title: 'Unión Europea (eu.daas.api.hp.com)',
          'x-title': { es: 'Unión Europea (eu.daas.api.hp.com)', en: 'European Union (eu.daas.api.hp.com)' },
        },
      ],
    });
  });
});

describe('credential validation (before any network call)', () => {
  it('accepts the sample, http on loopback, and https endpoint overrides', () => {
    for (const credentials of [
      valid,
      { ...valid, redirectUri: 'http://localhost:3000/callback', region: 'eu', refreshToken: 'RT' },
      { ...valid, redirectUri: 'http://127.0.0.1/cb', endpoints: { apiBase: 'https://proxy.example.com' } },
    ]) {
      expect(() => connector.validateCredentials(credentials)).not.toThrow();
    }
  });

  it('lists every bad field by JSON pointer, never echoing a value', () => {
    const error = issues({
      clientId: 'key:with-colon',
      clientSecret: 'hunter2-SECRET',
      redirectUri: 'http://aic.example.com/callback',
      region: 'asia',
      endpoints: { token: 'http://proxy.example.com/token' },
      refreshToken: 'RT-SECRET',
      extra: true,
    });
    expect(error).toMatchObject({ code: ErrorCode.InvalidCredentials });
    const pointers = (error as { issues: { pointer: string }[] }).issues.map((i) => i.pointer).sort();
    expect(pointers).toEqual([
      '/clientId',
      '/clientSecretCreatedAt',
      '/endpoints/token',
      '/extra',
      '/redirectUri',
      '/region',
    ]);
    for (const shown of [inspect(error), JSON.stringify(error), (error as Error).message]) {
      expect(shown).not.toContain('hunter2-SECRET');
      expect(shown).not.toContain('RT-SECRET');
    }
    expect((error as { localized: { es: string } }).localized.es).toContain('debe ser uno de: us, eu');
  });

  it.each([
    ['a relative redirect URI', { redirectUri: '/auth/callback' }, '/redirectUri'],
    ['a date that is not YYYY-MM-DD', { clientSecretCreatedAt: '01/06/2026' }, '/clientSecretCreatedAt'],
    ['an empty secret', { clientSecret: '' }, '/clientSecret'],
  ])('refuses %s', (_title, change, pointer) => {
    expect(issues({ ...valid, ...change })).toMatchObject({ issues: [{ pointer }] });
  });
});

describe('manifest', () => {
  it('declares the grant, both client authentication methods and the regions', () => {
    expect(manifest).toMatchObject({
      id: 'hp-techpulse',
      grant: 'authorization_code',
      capabilities: {
        authorizationCode: true,
        pkce: false,
        refreshToken: true,
        clientCredentials: false,
        refreshTokenDeadline: false,
        regions: ['us', 'eu'],
      },
      clientAuthentication: {
        codeExchange: { method: 'client_secret_post' },
        refresh: { method: 'client_secret_basic', encoding: 'plain' },
      },
      expiry: { expiresInUnit: 'milliseconds', maxLifetimeSeconds: 1800, refreshMarginSeconds: 300 },
      validation: { method: 'GET', path: '/analytics/v1/identity/tenants' },
    });
    expect(manifest.endpoints).toEqual({
      us: {
        authorization: 'https://daas.api.hp.com/oauth/v1/authorize',
        token: 'https://daas.api.hp.com/oauth/v1/token',
        apiBase: 'https://daas.api.hp.com',
      },
      eu: {
        authorization: 'https://eu.daas.api.hp.com/oauth/v1/authorize',
        token: 'https://eu.daas.api.hp.com/oauth/v1/token',
        apiBase: 'https://eu.daas.api.hp.com',
      },
    });
  });
});
