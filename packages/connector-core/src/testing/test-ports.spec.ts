import nock from 'nock';
import { Agent } from 'undici';
import { OAuthConnector } from '../connector/oauth-connector.js';
import {
  Clock,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  TokenStore,
} from '../connector/service-identifiers.js';
import { createDefaultDispatcher } from '../http/dispatcher.js';
import { MemoryPendingAuthorizationStore, MemoryTokenStore } from '../stores/memory-stores.js';
import { ManualClock } from '../support/clock.js';
import { MemoryLogger } from '../support/logger.js';
import { startLocalServer } from '../__fixtures__/local-server.js';
import { CC_BASIC, CC_HOST, ccDefinition } from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from './scripted-network.js';
import { createTestPorts } from './test-ports.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll }, { allowHost: '127.0.0.1' });

const ccToken = (accessToken: string) =>
  nock(CC_HOST)
    .post('/oauth2/token', 'grant_type=client_credentials&scope=read')
    .matchHeader('authorization', CC_BASIC)
    .reply(200, { access_token: accessToken, token_type: 'Bearer', expires_in: 60 });

describe('createTestPorts', () => {
  it('binds a manual clock, a memory logger, memory stores and a dispatcher in a fresh container', async () => {
    const ports = createTestPorts();
    const { container } = ports;
    expect(ports.clock).toBeInstanceOf(ManualClock);
    expect(ports.clock.now()).toBe(Date.UTC(2026, 0, 1));
    expect(ports.logger).toBeInstanceOf(MemoryLogger);
    expect(ports.tokenStore).toBeInstanceOf(MemoryTokenStore);
    expect(ports.pendingStore).toBeInstanceOf(MemoryPendingAuthorizationStore);
    expect(ports.dispatcher).toBeInstanceOf(Agent);
    expect(container.get(Clock)).toBe(ports.clock);
    expect(container.get(Logger)).toBe(ports.logger);
    expect(container.get(TokenStore)).toBe(ports.tokenStore);
    expect(container.get(PendingAuthorizationStore)).toBe(ports.pendingStore);
    expect(container.get(HttpDispatcher)).toBe(ports.dispatcher);
    expect('random' in ports).toBe(false);

    const other = createTestPorts();
    expect(other.container).not.toBe(container);
    expect(other.tokenStore).not.toBe(ports.tokenStore);
    expect(other.dispatcher).not.toBe(ports.dispatcher);
    await Promise.all([ports.close(), other.close()]);
  });

  it('starts the clock where told and takes the token store and jitter source it is given', async () => {
    class CountingStore extends MemoryTokenStore {
      sets = 0;
      override async set(...args: Parameters<MemoryTokenStore['set']>): Promise<void> {
        this.sets += 1;
        await super.set(...args);
      }
    }
    const random = (): number => 0.25;
    const ports = createTestPorts({
      start: new Date('2026-11-23T12:00:00Z'),
      tokenStore: new CountingStore(),
      random,
    });
    expect(ports.clock.now()).toBe(Date.UTC(2026, 10, 23, 12));
    expect(ports.random).toBe(random);
    expect(ports.container.get(TokenStore)).toBe(ports.tokenStore);
    // The store keeps its own type: no cast needed to read what it counted.
    await ports.tokenStore.set('k', { status: 'active', updatedAt: ports.clock.now() });
    expect(ports.tokenStore.sets).toBe(1);
    expect(createTestPorts({ start: 5_000 }).clock.now()).toBe(5_000);
    await ports.close();
  });

  it('is a ConnectorRuntime: a connector built on it uses its store, clock and logger', async () => {
    const ports = createTestPorts({ start: Date.UTC(2026, 5, 1) });
    const connector = new OAuthConnector(ccDefinition, ports);
    const scope = ccToken('CC-TOKEN');
    const token = await connector.getAccessToken({ id: 'c-1', credentials: ccDefinition.sampleCredentials });
    scope.done();
    expect(token).toEqual({
      accessToken: 'CC-TOKEN',
      tokenType: 'Bearer',
      expiresAt: Date.UTC(2026, 5, 1) + 60_000,
    });
    expect(await ports.tokenStore.get('fixture-cc\u001fc-1')).toMatchObject({ status: 'active' });
    expect(ports.logger.entries.map((e) => e.message)).toEqual(['token endpoint answered']);
    await ports.close();
  });

  it('close() closes the dispatcher it created (once), and leaves a shared dispatcher open', async () => {
    const owned = createTestPorts();
    await owned.close();
    await owned.close();
    await expect(
      owned.dispatcher.request({ origin: CC_HOST, path: '/', method: 'GET' }),
    ).rejects.toMatchObject({ code: 'UND_ERR_DESTROYED' });

    const shared = createDefaultDispatcher();
    const borrowing = createTestPorts({ dispatcher: shared });
    expect(borrowing.dispatcher).toBe(shared);
    await borrowing.close();
    const scope = nock(CC_HOST).get('/still-open').reply(204);
    const response = await shared.request({ origin: CC_HOST, path: '/still-open', method: 'GET' });
    await response.body.dump();
    expect(response.statusCode).toBe(204);
    scope.done();
    await shared.close();
  });

  it('creates its dispatcher with the timeouts it is given', async () => {
    const server = await startLocalServer(() => undefined);
    const ports = createTestPorts({ dispatcherOptions: { headersTimeoutMs: 100, connections: 1 } });
    await expect(
      ports.dispatcher.request({ origin: server.origin, path: '/stalls', method: 'GET' }),
    ).rejects.toMatchObject({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    await ports.dispatcher.destroy();
    await server.close();
  });
});
