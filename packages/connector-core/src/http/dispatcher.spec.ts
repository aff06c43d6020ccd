import nock from 'nock';
import { Agent } from 'undici';
import { startLocalServer, type LocalServer } from '../__fixtures__/local-server.js';
import { createDefaultDispatcher } from './dispatcher.js';
import { sendHttp } from './send.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});
guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll }, { allowHost: '127.0.0.1' });

describe('createDefaultDispatcher', () => {
  it('is an undici Agent that keeps connections alive between calls', async () => {
    const ports = new Set<number>();
    server = await startLocalServer((request, response) => {
      ports.add(request.socket.remotePort ?? 0);
      response.end('ok');
    });
    // One socket per origin: a new socket per call would show up as a new remote port.
    const dispatcher = createDefaultDispatcher({ connections: 1 });
    expect(dispatcher).toBeInstanceOf(Agent);
    for (let i = 0; i < 3; i++) {
      const response = await sendHttp(dispatcher, {
        method: 'GET',
        url: new URL(`${server.origin}/x`),
        headers: {},
      });
      expect(response.body.toString()).toBe('ok');
    }
    expect(server.requests).toHaveLength(3);
    expect(ports.size).toBe(1);
    await dispatcher.close();
  });

  it('applies the headers timeout it is given (default 15 s, here 100 ms)', async () => {
    server = await startLocalServer(() => undefined);
    const dispatcher = createDefaultDispatcher({
      headersTimeoutMs: 100,
      connectTimeoutMs: 1000,
      connections: 1,
    });
    const started = Date.now();
    await expect(
      sendHttp(dispatcher, { method: 'GET', url: new URL(`${server.origin}/slow`), headers: {} }),
    ).rejects.toMatchObject({
      name: 'TransportError',
      cause: expect.objectContaining({ code: 'UND_ERR_HEADERS_TIMEOUT' }),
    });
    expect(Date.now() - started).toBeLessThan(5000);
    await dispatcher.destroy();
  });
});
