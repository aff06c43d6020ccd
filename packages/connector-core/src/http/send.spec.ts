import nock from 'nock';
import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { startLocalServer, type LocalServer } from '../__fixtures__/local-server.js';
import { createDefaultDispatcher } from './dispatcher.js';
import { TransportError, headerValue, sendHttp } from './send.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

const context = { connectorId: 'acme', connectionId: 'c-1' };
const SECRET = 'S3CR3T-IN-REQUEST';
let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});
guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll }, { allowHost: '127.0.0.1' });

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('resolved');
}

const post = (url: string, signal?: AbortSignal) => ({
  method: 'POST',
  url: new URL(url),
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: `client_secret=${SECRET}`,
  signal,
});

describe('sendHttp over undici', () => {
  it('sends the request as given and buffers the response with lower-case headers', async () => {
    server = await startLocalServer((request, response) => {
      response.setHeader('X-Multi', ['a', 'b']);
      response.setHeader('Set-Cookie', ['a=1', 'b=2']);
      response.setHeader('Content-Type', 'application/json');
      response.end('{"ok":true}');
    });
    const result = await sendHttp(createDefaultDispatcher(), post(`${server.origin}/token?x=1`), context);
    expect(result.status).toBe(200);
    expect(result.body.toString()).toBe('{"ok":true}');
    expect(result.headers['x-multi']).toBe('a, b');
    expect(result.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(headerValue(result, 'Content-Type')).toBe('application/json');
    expect(headerValue(result, 'set-cookie')).toBe('a=1');
    expect(headerValue(result, 'missing')).toBeUndefined();
    expect(server.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        url: '/token?x=1',
        body: `client_secret=${SECRET}`,
        headers: expect.objectContaining({ 'content-type': 'application/x-www-form-urlencoded' }),
      }),
    ]);
  });

  it('turns headers that never arrive into a retryable transport error (headers timeout)', async () => {
    server = await startLocalServer(() => undefined); // never answers
    const dispatcher = createDefaultDispatcher({ headersTimeoutMs: 100 });
    const error = await failure(sendHttp(dispatcher, post(`${server.origin}/token`), context));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: ErrorCode.ProviderUnavailable, connectionId: 'c-1' });
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_HEADERS_TIMEOUT');
    expect(error.message).toBe(`Could not reach ${new URL(server.origin).host} (UND_ERR_HEADERS_TIMEOUT).`);
  });

  it('turns a body that stalls into a transport error (body timeout)', async () => {
    server = await startLocalServer((_, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"access_token":');
    });
    const dispatcher = createDefaultDispatcher({ bodyTimeoutMs: 100 });
    const error = await failure(sendHttp(dispatcher, post(`${server.origin}/token`), context));
    expect(error).toBeInstanceOf(TransportError);
    expect((error.cause as { code?: string }).code).toBe('UND_ERR_BODY_TIMEOUT');
  });

  it('stops a hanging request with ERR_ABORTED when the signal aborts', async () => {
    server = await startLocalServer(() => undefined);
    const controller = new AbortController();
    const pending = sendHttp(
      createDefaultDispatcher(),
      post(`${server.origin}/token`, controller.signal),
      context,
    );
    while (server.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    const reason = new Error('host shutting down');
    controller.abort(reason);
    const error = await failure(pending);
    expect(error).not.toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: ErrorCode.Aborted, connectorId: 'acme' });
    expect(error.cause).toBe(reason);
  });

  it('does not send at all when the signal is already aborted', async () => {
    server = await startLocalServer((_, response) => response.end());
    const error = await failure(
      sendHttp(createDefaultDispatcher(), post(`${server.origin}/token`, AbortSignal.abort()), context),
    );
    expect(error.code).toBe(ErrorCode.Aborted);
    expect(server.requests).toEqual([]);
  });

  it('cuts a response over maxBodyBytes', async () => {
    server = await startLocalServer((_, response) => response.end('x'.repeat(2048)));
    const error = await failure(
      sendHttp(createDefaultDispatcher(), { ...post(`${server.origin}/token`), maxBodyBytes: 1024 }, context),
    );
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toBe(`The response from ${new URL(server.origin).host} exceeds 1024 bytes.`);
  });

  it('reports a refused connection', async () => {
    server = await startLocalServer(() => undefined);
    const origin = server.origin;
    await server.close();
    server = undefined;
    const error = await failure(sendHttp(createDefaultDispatcher(), post(`${origin}/token`), context));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toBe(`Could not reach ${new URL(origin).host} (ECONNREFUSED).`);
  });

  it('reports a reset (nock replyWithError) naming the code, never the URL or body', async () => {
    const scope = nock('https://auth.example.com')
      .post('/token', `client_secret=${SECRET}`)
      .query({ token: SECRET })
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const error = await failure(
      sendHttp(createDefaultDispatcher(), post(`https://auth.example.com/token?token=${SECRET}`), context),
    );
    scope.done();
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toBe('Could not reach auth.example.com (ECONNRESET).');
    for (const shown of [JSON.stringify(error), inspect(error), error.stack ?? ''])
      expect(shown).not.toContain(SECRET);
  });

  it('leaves unknown failure codes out of the message', async () => {
    const scope = nock('https://auth.example.com').post('/token').replyWithError(new Error('weird failure'));
    const error = await failure(
      sendHttp(createDefaultDispatcher(), post('https://auth.example.com/token'), context),
    );
    scope.done();
    expect(error.message).toBe('Could not reach auth.example.com.');
  });
});
