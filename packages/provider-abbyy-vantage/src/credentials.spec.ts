import { inspect } from 'node:util';
import { ErrorCode, secretPointers, validateCredentials, type CredentialIssue } from '@aic/connector-core';
import { describePublishedCredentialSchemas, packageFile } from '../../../test/credential-schema-files.js';
import { DEFAULT_PRODUCT_ID, DEFAULT_SCOPE, credentialSchema } from './credentials.js';
import { abbyyVantageDefinition } from './definition.js';
import { manifest } from './index.js';

const packageRoot = new URL('../', import.meta.url);

const valid = {
  clientId: 'aic-client',
  clientSecret: 'Sup3r-secret+value',
  redirectUri: 'https://aic.example.com/oauth/callback',
  region: 'eu',
};

/** The issues of an invalid value, or a test failure when it passes. */
function issuesOf(credentials: Record<string, unknown>): readonly CredentialIssue[] {
  try {
    validateCredentials(credentialSchema, credentials);
  } catch (error) {
    expect(error).toMatchObject({ code: ErrorCode.InvalidCredentials });
    return (error as { issues: readonly CredentialIssue[] }).issues;
  }
  throw new Error('credentials were accepted');
}

/** The distinct fields named (one field may break several rules). */
const pointers = (credentials: Record<string, unknown>): string[] => [
  ...new Set(issuesOf(credentials).map((issue) => issue.pointer)),
];

describePublishedCredentialSchemas(credentialSchema, packageRoot);

describe('credential schema', () => {
  it('the package declares its ContainerModule and version, and ships its license', () => {
    expect(packageFile(packageRoot, 'package.json')).toMatchObject({
      name: '@aic/provider-abbyy-vantage',
      version: abbyyVantageDefinition.version,
      type: 'module',
      files: expect.arrayContaining(['dist', 'README.md', 'LICENSE']) as unknown,
      aicConnector: { module: 'connectorModule' },
    });
  });

  it('labels the three regions in Spanish and English, in the manifest a host reads too', () => {
    expect(manifest.credentialSchema.properties['region']).toMatchObject({
      enum: ['us', 'eu', 'au'],
      oneOf: [
        {
          const: 'us',
          title: 'Estados Unidos (vantage-us.abbyy.com)',
          'x-title': {
            es: 'Estados Unidos (vantage-us.abbyy.com)',
            en: 'United States (vantage-us.abbyy.com)',
          },
        },
        {
          const: 'eu',
          title: 'Europa (vantage-eu.abbyy.com)',
          'x-title': { es: 'Europa (vantage-eu.abbyy.com)', en: 'Europe (vantage-eu.abbyy.com)' },
        },
        {
          const: 'au',
          title: 'Australia (vantage-au.abbyy.com)',
          'x-title': { es: 'Australia (vantage-au.abbyy.com)', en: 'Australia (vantage-au.abbyy.com)' },
        },
      ],
    });
  });

  it('documents the ABBYY defaults for scope and productId', () => {
    expect(credentialSchema.properties.scope.default).toBe('openid permissions global.wildcard');
    expect(credentialSchema.properties.productId.default).toBe('a8548c9b-cb90-4c66-8567-d7372bb9b963');
    expect([DEFAULT_SCOPE, DEFAULT_PRODUCT_ID]).toEqual([
      credentialSchema.properties.scope.default,
      credentialSchema.properties.productId.default,
    ]);
  });

  it('marks only the client secret as secret', () => {
    expect(secretPointers(credentialSchema)).toEqual(['/clientSecret']);
  });
});

describe('credential validation', () => {
  it('accepts the minimal form and the sample credentials', () => {
    expect(validateCredentials(credentialSchema, valid)).toBe(valid);
    expect(() =>
      validateCredentials(credentialSchema, abbyyVantageDefinition.sampleCredentials),
    ).not.toThrow();
  });

  it('requires client id, secret, redirect URI and region, listing every missing field', () => {
    expect(pointers({})).toEqual(['/clientId', '/clientSecret', '/redirectUri', '/region']);
  });

  it('accepts only the us, eu and au regions', () => {
    expect(issuesOf({ ...valid, region: 'ca' })).toEqual([
      {
        pointer: '/region',
        message: { es: '«Región» debe ser uno de: us, eu, au', en: '“Region” must be one of: us, eu, au' },
      },
    ]);
  });

  it.each(['117489fc1aea41658369d4d18d6557ab', '117489fc-1aea-4165-8369-d4d18d6557ab', 'TestTenant', 'a'])(
    'accepts the tenant id %s',
    (tenantId) => {
      expect(() => validateCredentials(credentialSchema, { ...valid, tenantId })).not.toThrow();
    },
  );

  it.each([
    '',
    '../other',
    'a/b',
    '%2e%2e',
    'tenant?x=1',
    'tenant#x',
    'ten ant',
    '-lead',
    'trail-',
    'x'.repeat(129),
  ])('rejects the tenant id %j, which would not be one safe path segment', (tenantId) => {
    expect(pointers({ ...valid, tenantId })).toEqual(['/tenantId']);
  });

  it('rejects a scope that is not space-separated RFC 6749 scope tokens', () => {
    expect(pointers({ ...valid, scope: 'openid  permissions' })).toEqual(['/scope']);
    expect(pointers({ ...valid, scope: 'openid "permissions"' })).toEqual(['/scope']);
    expect(pointers({ ...valid, scope: '' })).toEqual(['/scope']);
  });

  it('rejects a productId with characters that are not URL-unreserved', () => {
    expect(pointers({ ...valid, productId: 'a&scope=x' })).toEqual(['/productId']);
  });

  it('requires https endpoints and redirect URI (http only on loopback) and rejects unknown fields', () => {
    expect(
      pointers({
        ...valid,
        redirectUri: 'http://aic.example.com/callback',
        endpoints: { token: 'http://vantage-eu.abbyy.com/auth2/connect/token', discovery: 'https://x' },
        clientSecretCreatedAt: '01/02/2026',
        extra: true,
      }),
    ).toEqual([
      '/extra',
      '/clientSecretCreatedAt',
      '/redirectUri',
      '/endpoints/discovery',
      '/endpoints/token',
    ]);
    expect(() =>
      validateCredentials(credentialSchema, { ...valid, redirectUri: 'http://127.0.0.1:8080/callback' }),
    ).not.toThrow();
  });

  it('never echoes the client secret in the error', () => {
    const secret = 'leaky-secret-value-123';
    let shown = '';
    try {
      validateCredentials(credentialSchema, { ...valid, clientSecret: secret, region: 'mars' });
    } catch (error) {
      shown = [inspect(error), JSON.stringify(error), (error as Error).message].join('\n');
    }
    expect(shown).toContain('/region');
    expect(shown).not.toContain(secret);
  });
});
