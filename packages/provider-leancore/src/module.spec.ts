import nock from 'nock';
import { readFile } from 'node:fs/promises';
import { Container } from 'inversify';
import type { ConnectorRegistry } from '@aic/connector-core';
import {
  Connector,
  ConnectorRegistryId,
  ErrorCode,
  connectorCoreModule,
  endpointPolicy,
} from '@aic/connector-core';
import {
  AUTH_ORIGIN,
  PLAIN_BASIC,
  PRODUCTION_API,
  SANDBOX_API,
  expectClientCredentials,
  expectTokenRequest,
  guardNetwork,
  leanCoreHarness,
  tokenBody,
} from './__fixtures__/leancore-harness.js';
import * as leanCore from './index.js';

guardNetwork();

describe('LeanCore ContainerModule', () => {
  it('binds one singleton connector under the shared Connector identifier', () => {
    const container = new Container();
    container.load(connectorCoreModule(), leanCore.connectorModule);
    const connectors = container.getAll(Connector);
    expect(connectors.map((c) => c.manifest.id)).toEqual(['leancore']);
    expect(container.get(Connector)).toBe(connectors[0]);
    expect(container.get<ConnectorRegistry>(ConnectorRegistryId).get('leancore')).toBe(connectors[0]);
    expect(connectors[0]?.manifest).toEqual(leanCore.manifest);
  });

  it('is the export package.json tells hosts to load', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
      aicConnector: { module: string };
      version: string;
    };
    expect(pkg.aicConnector).toEqual({ module: 'connectorModule' });
    expect((leanCore as Record<string, unknown>)[pkg.aicConnector.module]).toBe(leanCore.connectorModule);
    expect(leanCore.manifest.version).toBe(pkg.version);
  });
});

describe('LeanCore API calls', () => {
  it.each([
    ['production', PRODUCTION_API],
    ['sandbox', SANDBOX_API],
  ])('%s: token from auth.leancore.co, Bearer call on %s', async (environment, apiBase) => {
    const h = leanCoreHarness();
    const token = expectClientCredentials(200, tokenBody(`AT-${environment}`));
    const api = nock(apiBase)
      .get('/v1/credits')
      .query({ page: '1' })
      .matchHeader('authorization', `Bearer AT-${environment}`)
      .matchHeader('accept', 'application/json')
      .reply(200, { items: [] });
    const response = await h.connector.request(h.connection({ environment }), {
      method: 'GET',
      path: '/v1/credits',
      query: { page: 1 },
    });
    token.done();
    api.done();
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ items: [] });
  });

  it('defaults to production when no environment is given', async () => {
    const h = leanCoreHarness();
    expectClientCredentials(200, tokenBody('AT-1'));
    const api = nock(PRODUCTION_API).get('/ping').matchHeader('authorization', 'Bearer AT-1').reply(204);
    await h.connector.request(h.connection(), { method: 'GET', path: '/ping' });
    api.done();
  });

  it('refuses endpoint overrides the host has not allowed, before any call', async () => {
    const h = leanCoreHarness();
    const connection = h.connection({
      endpoints: { token: 'https://auth.sandbox.leancore.test/oauth2/token' },
    });
    await expect(h.connector.getAccessToken(connection)).rejects.toMatchObject({
      code: ErrorCode.EndpointNotAllowed,
      endpoint: 'token',
      origin: 'https://auth.sandbox.leancore.test',
    });
  });

  it('honours endpoint overrides the host allows (a sandbox token host, a proxy)', async () => {
    const h = leanCoreHarness(undefined, {
      endpointPolicy: endpointPolicy({
        allowedOrigins: ['https://auth.sandbox.leancore.test', 'https://proxy.aic.test'],
      }),
    });
    const token = expectTokenRequest(
      {
        origin: 'https://auth.sandbox.leancore.test',
        body: 'grant_type=client_credentials',
        authorization: PLAIN_BASIC,
      },
      200,
      tokenBody('AT-proxy'),
    );
    const api = nock('https://proxy.aic.test')
      .post('/leancore/v1/requests', { amount: 10 })
      .matchHeader('authorization', 'Bearer AT-proxy')
      .matchHeader('content-type', 'application/json')
      .reply(201, { id: 'r-1' });
    const connection = h.connection({
      environment: 'sandbox',
      endpoints: {
        token: 'https://auth.sandbox.leancore.test/oauth2/token',
        apiBase: 'https://proxy.aic.test/leancore',
      },
    });
    const response = await h.connector.request(connection, {
      method: 'POST',
      path: '/v1/requests',
      body: { amount: 10 },
    });
    token.done();
    api.done();
    expect(response.status).toBe(201);
  });

  it('on a 401 from the API re-issues the token once and retries once', async () => {
    const h = leanCoreHarness();
    expectClientCredentials(200, tokenBody('AT-1'));
    expectClientCredentials(200, tokenBody('AT-2'));
    const api = nock(PRODUCTION_API)
      .get('/v1/clients')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(401)
      .get('/v1/clients')
      .matchHeader('authorization', 'Bearer AT-2')
      .reply(200, []);
    const response = await h.connector.request(h.connection(), { method: 'GET', path: '/v1/clients' });
    api.done();
    expect(response.status).toBe(200);
  });

  it('never sends the Bearer token outside the API base', async () => {
    const h = leanCoreHarness();
    await expect(
      h.connector.request(h.connection(), { method: 'GET', path: '//evil.example/steal' }),
    ).rejects.toMatchObject({ code: ErrorCode.ForeignOrigin });
  });
});

describe('LeanCore "Validar conexión"', () => {
  it('obtains a token and stops there: exactly one call, to the token endpoint', async () => {
    const h = leanCoreHarness();
    const scope = expectClientCredentials(200, tokenBody('AT-1'));
    const verdict = await h.connector.validateConnection(h.connection({ environment: 'sandbox' }));
    scope.done();
    expect(verdict).toMatchObject({ ok: true, outcome: 'ok', probeStatus: undefined });
    expect(verdict.status).toMatchObject({ state: 'active', hasRefreshToken: false, warnings: [] });
    expect(verdict.message).toEqual({ es: 'Conexión válida.', en: 'Connection is valid.' });
  });

  it('reports invalid_client as bad credentials with the es/en message', async () => {
    const h = leanCoreHarness();
    const scope = expectClientCredentials(401, {
      error: 'invalid_client',
      error_description: 'The client credentials are invalid.',
    });
    const verdict = await h.connector.validateConnection(h.connection());
    scope.done();
    expect(verdict).toMatchObject({
      ok: false,
      outcome: 'bad_credentials',
      errorCode: ErrorCode.InvalidClient,
      status: { state: 'not_authorized' },
    });
    expect(verdict.message.es).toContain('El proveedor rechazó el cliente (invalid_client, HTTP 401)');
    expect(verdict.message.en).toContain('The provider rejected the client (invalid_client, HTTP 401)');
  });

  it('reports LeanCore being down as provider_down', async () => {
    const h = leanCoreHarness();
    const scope = nock(AUTH_ORIGIN).post('/oauth2/token').times(4).reply(502);
    const verdict = await h.connector.validateConnection(h.connection());
    scope.done();
    expect(verdict).toMatchObject({
      ok: false,
      outcome: 'provider_down',
      errorCode: ErrorCode.ProviderUnavailable,
    });
  });
});
