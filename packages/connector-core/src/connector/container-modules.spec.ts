import { Container } from 'inversify';
import nock from 'nock';
import { Agent } from 'undici';
import { ErrorCode } from '../errors/codes.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../stores/memory-stores.js';
import { ManualClock, systemClock } from '../support/clock.js';
import { MemoryLogger, silentLogger } from '../support/logger.js';
import { CC_BASIC, CC_HOST, ccDefinition, fixtureDefinition } from '../__fixtures__/fixture-provider.js';
import { connectorCoreModule, createConnectorModule } from './container-modules.js';
import { OAuthConnector } from './oauth-connector.js';
import { ConnectorRegistry, ConnectorRegistryId } from './registry.js';
import {
  Clock,
  Connector,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  TokenStore,
} from './service-identifiers.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });

describe('service identifiers', () => {
  it('are Symbol.for keys, so a bundled copy of core binds under the same ids', () => {
    expect(Connector).toBe(Symbol.for('@aic/connector-core/Connector'));
    expect(TokenStore).toBe(Symbol.for('@aic/connector-core/TokenStore'));
    expect(PendingAuthorizationStore).toBe(Symbol.for('@aic/connector-core/PendingAuthorizationStore'));
    expect(Clock).toBe(Symbol.for('@aic/connector-core/Clock'));
    expect(Logger).toBe(Symbol.for('@aic/connector-core/Logger'));
    expect(HttpDispatcher).toBe(Symbol.for('@aic/connector-core/HttpDispatcher'));
    expect(ConnectorRegistryId).toBe(Symbol.for('@aic/connector-core/ConnectorRegistry'));
  });
});

describe('connectorCoreModule', () => {
  it('binds the default ports once per host', () => {
    const container = new Container();
    container.load(connectorCoreModule({ dispatcher: { headersTimeoutMs: 1000 } }));
    expect(container.get(Clock)).toBe(systemClock);
    expect(container.get(Logger)).toBe(silentLogger);
    expect(container.get(TokenStore)).toBeInstanceOf(MemoryTokenStore);
    expect(container.get(TokenStore)).toBe(container.get(TokenStore));
    expect(container.get(PendingAuthorizationStore)).toBeInstanceOf(MemoryPendingAuthorizationStore);
    expect(container.get(PendingAuthorizationStore)).toBe(container.get(PendingAuthorizationStore));
    expect(container.get(HttpDispatcher)).toBeInstanceOf(Agent);
    expect(container.get(ConnectorRegistryId)).toBeInstanceOf(ConnectorRegistry);
    expect(container.get(ConnectorRegistryId).list()).toEqual([]);
  });

  it('leaves ports the host bound first alone', () => {
    const container = new Container();
    const store = new MemoryTokenStore();
    const clock = new ManualClock();
    const logger = new MemoryLogger();
    container.bind(TokenStore).toConstantValue(store);
    container.bind(Clock).toConstantValue(clock);
    container.bind(Logger).toConstantValue(logger);
    container.load(connectorCoreModule());
    expect(container.get(TokenStore)).toBe(store);
    expect(container.get(Clock)).toBe(clock);
    expect(container.get(Logger)).toBe(logger);
  });
});

describe('createConnectorModule', () => {
  it('binds a singleton connector under the shared Connector id, running on the host ports', async () => {
    const container = new Container();
    const store = new MemoryTokenStore();
    const logger = new MemoryLogger();
    container.bind(TokenStore).toConstantValue(store);
    container.bind(Logger).toConstantValue(logger);
    container.bind(Clock).toConstantValue(new ManualClock(Date.UTC(2026, 5, 1)));
    container.load(connectorCoreModule(), createConnectorModule(ccDefinition));
    const connector = container.get(Connector);
    expect(connector).toBeInstanceOf(OAuthConnector);
    expect(container.get(Connector)).toBe(connector);
    const scope = nock(CC_HOST)
      .post('/oauth2/token', 'grant_type=client_credentials&scope=read')
      .matchHeader('authorization', CC_BASIC)
      .reply(200, { access_token: 'CC-TOKEN', token_type: 'Bearer', expires_in: 60 });
    await connector.getAccessToken({ id: 'c-1', credentials: ccDefinition.sampleCredentials });
    scope.done();
    expect(await store.get('fixture-cc\u001fc-1')).toMatchObject({ status: 'active' });
    expect(logger.entries.map((e) => e.message)).toContain('token endpoint answered');
  });

  it('works in a bare container: unbound ports fall back to in-memory and system defaults', async () => {
    const container = new Container();
    container.load(createConnectorModule(fixtureDefinition));
    const connector = container.get(Connector);
    const start = await connector.startAuthorization({
      id: 'c',
      credentials: fixtureDefinition.sampleCredentials,
    });
    expect(start.expiresAt).toBeGreaterThan(Date.now());
  });
});

describe('ConnectorRegistry', () => {
  it('resolves every connector bound in the container (multi-binding), by id', () => {
    const container = new Container();
    container.load(
      connectorCoreModule(),
      createConnectorModule(fixtureDefinition),
      createConnectorModule(ccDefinition),
    );
    const registry = container.get(ConnectorRegistryId);
    expect(registry.list().map((c) => c.manifest.id)).toEqual(['fixture', 'fixture-cc']);
    expect(registry.has('fixture-cc')).toBe(true);
    expect(registry.has('nope')).toBe(false);
    expect(registry.get('fixture')).toBe(container.getAll(Connector)[0]);
  });

  it('sees connector modules loaded after the first resolution', () => {
    const container = new Container();
    container.load(connectorCoreModule(), createConnectorModule(fixtureDefinition));
    expect(container.get(ConnectorRegistryId).list()).toHaveLength(1);
    container.load(createConnectorModule(ccDefinition));
    expect(container.get(ConnectorRegistryId).list()).toHaveLength(2);
  });

  it('names the loaded connectors when asked for an unknown one', () => {
    const container = new Container();
    container.load(connectorCoreModule(), createConnectorModule(fixtureDefinition));
    expect(() => container.get(ConnectorRegistryId).get('hp')).toThrow(
      expect.objectContaining({
        code: ErrorCode.Configuration,
        localized: {
          es: 'No hay un conector «hp». Conectores cargados: fixture.',
          en: 'No connector “hp”. Loaded connectors: fixture.',
        },
      }),
    );
    expect(() => new ConnectorRegistry(undefined).get('hp')).toThrow('Loaded connectors: —.');
  });

  it('refuses two connectors with the same id', () => {
    const container = new Container();
    container.load(
      connectorCoreModule(),
      createConnectorModule(fixtureDefinition),
      createConnectorModule({ ...ccDefinition, id: 'fixture' }),
    );
    expect(() => container.get(ConnectorRegistryId)).toThrow(
      expect.objectContaining({
        code: ErrorCode.Configuration,
        message: 'Two connectors share the id “fixture”.',
      }),
    );
  });

  it('can also be bound by class', () => {
    const container = new Container();
    container.bind(ConnectorRegistry).toSelf();
    container.load(createConnectorModule(ccDefinition));
    expect(
      container
        .get(ConnectorRegistry)
        .list()
        .map((c) => c.manifest.id),
    ).toEqual(['fixture-cc']);
  });
});
