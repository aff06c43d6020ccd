import { fileURLToPath } from 'node:url';
import { Container } from 'inversify';
import {
  Connector,
  ConnectorRegistry,
  ConnectorRegistryId,
  connectorCoreModule,
  loadConnectorPackage,
} from '@aic/connector-core';
import { connectorModule, credentialSchema, manifest } from './index.js';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

describe('connectorModule', () => {
  it('binds one singleton connector under the shared Connector identifier', () => {
    const container = new Container();
    container.load(connectorCoreModule(), connectorModule);
    const all = container.getAll(Connector);
    expect(all.map((c) => c.manifest.id)).toEqual(['abbyy-vantage']);
    expect(container.get(Connector)).toBe(all[0]);
    expect(Connector).toBe(Symbol.for('@aic/connector-core/Connector'));
  });

  it('is found by id in the ConnectorRegistry, next to other connectors', () => {
    const container = new Container();
    container.load(connectorModule);
    container.bind(ConnectorRegistryId).to(ConnectorRegistry).inSingletonScope();
    const registry = container.get<ConnectorRegistry>(ConnectorRegistryId);
    expect(registry.get('abbyy-vantage').manifest).toEqual(manifest);
  });

  it('loads by package path through the aicConnector declaration (needs the build: tsc -b)', async () => {
    const container = new Container();
    const loaded = await loadConnectorPackage(container, packageDirectory);
    expect(loaded).toMatchObject({ packageName: '@aic/provider-abbyy-vantage', version: '0.1.0' });
    expect(container.getAll(Connector).map((c) => c.manifest.id)).toEqual(['abbyy-vantage']);
  });
});

describe('manifest', () => {
  it('declares the grant, PKCE, regions, client authentication, expiry policy and probe', () => {
    expect(manifest).toEqual({
      id: 'abbyy-vantage',
      version: '0.1.0',
      displayName: { es: 'ABBYY Vantage', en: 'ABBYY Vantage' },
      description: expect.objectContaining({
        en: expect.stringContaining('ABBYY Vantage') as unknown,
      }) as unknown,
      grant: 'authorization_code',
      issuerParameter: 'optional',
      origins: [
        'https://vantage-us.abbyy.com',
        'https://vantage-eu.abbyy.com',
        'https://vantage-au.abbyy.com',
      ],
      capabilities: {
        authorizationCode: true,
        pkce: true,
        refreshToken: true,
        clientCredentials: false,
        refreshTokenDeadline: true,
        regions: ['us', 'eu', 'au'],
      },
      endpoints: {
        us: expect.objectContaining({ token: 'https://vantage-us.abbyy.com/auth2/connect/token' }) as unknown,
        eu: expect.objectContaining({ token: 'https://vantage-eu.abbyy.com/auth2/connect/token' }) as unknown,
        au: expect.objectContaining({ token: 'https://vantage-au.abbyy.com/auth2/connect/token' }) as unknown,
      },
      clientAuthentication: {
        codeExchange: { method: 'client_secret_post', encoding: undefined },
        refresh: { method: 'client_secret_post', encoding: undefined },
      },
      expiry: {
        expiresInUnit: 'seconds',
        defaultLifetimeSeconds: 86_400,
        refreshMarginSeconds: 300,
        refreshTokenMaxAgeSeconds: 2_592_000,
        refreshTokenAgeFrom: 'authorization',
        reauthorizationWarningSeconds: 259_200,
      },
      credentialSchema,
      clientFields: { id: 'clientId', secret: 'clientSecret' },
      validation: { method: 'GET', path: '/api/publicapi/v1/skills' },
      sampleCredentials: expect.objectContaining({ region: 'us' }) as unknown,
    });
  });
});
