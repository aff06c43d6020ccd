import nock from 'nock';
import { createConnectorModule } from '../connector/container-modules.js';
import { OAuthConnector } from '../connector/oauth-connector.js';
import { ConnectorRegistryId } from '../connector/registry.js';
import { Clock, Connector, HttpDispatcher, TokenStore } from '../connector/service-identifiers.js';
import { ErrorCode } from '../errors/codes.js';
import { MemoryTokenStore } from '../stores/memory-stores.js';
import type { ConnectionRecord } from '../stores/connection-record.js';
import { CC_BASIC, CC_HOST, ccDefinition, fixtureDefinition } from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from './scripted-network.js';
import { createTestHost } from './test-host.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });

const START = Date.UTC(2026, 5, 1, 12);

describe('createTestHost', () => {
  it('loads the module after the core module, on the test ports, and resolves the connector by id', async () => {
    const host = createTestHost({
      connectorId: 'fixture-cc',
      modules: createConnectorModule(ccDefinition),
      start: START,
    });
    expect(host.connector).toBeInstanceOf(OAuthConnector);
    expect(host.connector.manifest.id).toBe('fixture-cc');
    expect(host.container.get(Connector)).toBe(host.connector);
    expect(host.container.get(ConnectorRegistryId).list()).toEqual([host.connector]);
    expect(host.container.get(Clock)).toBe(host.clock);
    expect(host.container.get(HttpDispatcher)).toBe(host.dispatcher);

    const scope = nock(CC_HOST)
      .post('/oauth2/token', 'grant_type=client_credentials&scope=read')
      .matchHeader('authorization', CC_BASIC)
      .reply(200, { access_token: 'CC-TOKEN', token_type: 'Bearer', expires_in: 60 });
    const token = await host.connector.getAccessToken({
      id: 'c-1',
      credentials: ccDefinition.sampleCredentials,
    });
    scope.done();
    expect(token.expiresAt).toBe(START + 60_000);
    expect(await host.tokenStore.get('fixture-cc\u001fc-1')).toMatchObject({ status: 'active' });
    expect(host.logger.entries.map((e) => e.message)).toEqual(['token endpoint answered']);
    await host.close();
  });

  it('picks the connector under test among several modules', async () => {
    const host = createTestHost({
      connectorId: 'fixture',
      modules: [createConnectorModule(ccDefinition), createConnectorModule(fixtureDefinition)],
    });
    expect(host.connector.manifest.id).toBe('fixture');
    expect(
      host.container
        .get(ConnectorRegistryId)
        .list()
        .map((c) => c.manifest.id),
    ).toEqual(['fixture-cc', 'fixture']);
    await host.close();
  });

  it('fails with ERR_CONFIGURATION, naming the loaded connectors, when no module binds the id', () => {
    expect(() =>
      createTestHost({ connectorId: 'hp-techpulse', modules: [createConnectorModule(fixtureDefinition)] }),
    ).toThrow(
      expect.objectContaining({
        code: ErrorCode.Configuration,
        localized: {
          es: 'No hay un conector «hp-techpulse». Conectores cargados: fixture.',
          en: 'No connector “hp-techpulse”. Loaded connectors: fixture.',
        },
      }),
    );
  });

  it('fails with ERR_CONFIGURATION when two modules bind connectors with one id', () => {
    expect(() =>
      createTestHost({
        connectorId: 'fixture',
        modules: [createConnectorModule(fixtureDefinition), createConnectorModule(fixtureDefinition)],
      }),
    ).toThrow(expect.objectContaining({ code: ErrorCode.Configuration }));
  });

  it('runs the connector on the token store it is given, keeping the store’s type', async () => {
    class RecordingStore extends MemoryTokenStore {
      readonly keys: string[] = [];
      override async set(key: string, record: ConnectionRecord): Promise<void> {
        this.keys.push(key);
        await super.set(key, record);
      }
    }
    const host = createTestHost({
      connectorId: 'fixture-cc',
      modules: createConnectorModule(ccDefinition),
      tokenStore: new RecordingStore(),
    });
    expect(host.container.get(TokenStore)).toBe(host.tokenStore);
    const scope = nock(CC_HOST)
      .post('/oauth2/token')
      .reply(200, { access_token: 'CC-TOKEN', token_type: 'Bearer', expires_in: 60 });
    await host.connector.getAccessToken({ id: 'c-2', credentials: ccDefinition.sampleCredentials });
    scope.done();
    expect(host.tokenStore.keys).toEqual(['fixture-cc\u001fc-2']);
    await host.close();
  });
});
