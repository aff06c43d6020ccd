import nock from 'nock';
import { ErrorCode } from '../errors/codes.js';
import { startLocalServer, type LocalServer } from '../__fixtures__/local-server.js';
import { API_HOST, authorize, harness, tokenBody, tokenScope } from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';
import { apiUrl } from './api-request.js';
import { endpointPolicy } from '../oauth/endpoint-policy.js';

let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});
guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll }, { allowHost: '127.0.0.1' });

const KEY = 'fixture\u001fconn-1';

async function authorized() {
  const h = harness();
  await authorize(h);
  return h;
}

describe('request(): authorized calls on the connection API base (RFC 6750 §2.1)', () => {
  it('sends the Bearer token in the Authorization header only, with query and JSON body', async () => {
    const h = await authorized();
    const scope = nock(API_HOST)
      .post('/v1/reports/grid', { filter: 'x' })
      .query({ startIndex: '0', count: '50', active: 'true' })
      .matchHeader('authorization', 'Bearer AT-1')
      .matchHeader('accept', 'application/json')
      .matchHeader('content-type', 'application/json')
      .matchHeader('x-trace', 't-1')
      .reply(200, { totalResults: 0 }, { 'Content-Type': 'application/json' });
    const response = await h.connector.request(h.connection, {
      method: 'post',
      path: '/reports/grid',
      query: { startIndex: 0, count: 50, active: true, skipped: undefined },
      headers: { 'X-Trace': 't-1', Authorization: 'Bearer forged' },
      body: { filter: 'x' },
    });
    scope.done();
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ totalResults: 0 });
    expect(response.text()).toBe('{"totalResults":0}');
    expect(response.headers['content-type']).toBe('application/json');
  });

  it('sends string bodies as they are', async () => {
    const h = await authorized();
    const scope = nock(API_HOST)
      .put('/v1/raw', 'a=1&b=2')
      .matchHeader('content-type', 'application/x-www-form-urlencoded')
      .reply(204);
    const response = await h.connector.request(h.connection, {
      method: 'PUT',
      path: '/raw',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'a=1&b=2',
    });
    scope.done();
    expect(response.status).toBe(204);
  });

  it.each([
    ['an absolute URL', 'https://evil.test/steal'],
    ['a protocol-relative URL', '//evil.test/steal'],
    ['a relative path', 'things'],
    ['a path escaping the base', '/../admin'],
    ['an encoded escape', '/%2e%2e/admin'],
    ['an escape with an encoded slash', '/..%2Fadmin'],
    ['an escape with encoded dots and slash', '/x/%2E%2E%2f%2e%2e%2Fadmin'],
    ['an escape with an encoded backslash', '/..%5cadmin'],
    ['a sibling of the base path', '/../v1x/things'],
    ['a backslash', '/\\evil.test'],
  ])('refuses %s with ERR_FOREIGN_ORIGIN before any call', async (_, path) => {
    const h = await authorized();
    const evil = nock('https://evil.test').get(/.*/).reply(200);
    await expect(h.connector.request(h.connection, { method: 'GET', path })).rejects.toMatchObject({
      code: ErrorCode.ForeignOrigin,
      connectionId: 'conn-1',
    });
    expect(evil.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('does not follow a redirect away from the API base (the token stays home)', async () => {
    const h = await authorized();
    const api = nock(API_HOST).get('/v1/moved').reply(302, '', { Location: 'https://evil.test/collect' });
    const evil = nock('https://evil.test').get('/collect').reply(200);
    const response = await h.connector.request(h.connection, { method: 'GET', path: '/moved' });
    api.done();
    expect(response.status).toBe(302);
    expect(evil.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('retries GET on 503 with backoff, but not POST unless asked', async () => {
    const h = await authorized();
    const get = nock(API_HOST).get('/v1/things').reply(503).get('/v1/things').reply(200, []);
    expect((await h.connector.request(h.connection, { method: 'GET', path: '/things' })).status).toBe(200);
    get.done();
    expect(h.clock.sleeps).toEqual([50]);

    const post = nock(API_HOST).post('/v1/things').reply(503);
    expect(
      (await h.connector.request(h.connection, { method: 'POST', path: '/things', body: {} })).status,
    ).toBe(503);
    post.done();

    const retried = nock(API_HOST).post('/v1/things').reply(503).post('/v1/things').reply(201);
    expect(
      (await h.connector.request(h.connection, { method: 'POST', path: '/things', body: {}, retry: true }))
        .status,
    ).toBe(201);
    retried.done();
  });

  it('gives ERR_RATE_LIMITED with retryAfterMs when the API keeps answering 429', async () => {
    const h = await authorized();
    const scope = nock(API_HOST).get('/v1/things').times(3).reply(429, '', { 'Retry-After': '1' });
    await expect(h.connector.request(h.connection, { method: 'GET', path: '/things' })).rejects.toMatchObject(
      {
        code: ErrorCode.RateLimited,
        retryAfterMs: 1000,
      },
    );
    scope.done();
    expect(h.clock.sleeps).toEqual([1000, 1000]);
  });

  it('gives up at once when Retry-After is longer than the backoff cap', async () => {
    const h = await authorized();
    const scope = nock(API_HOST).get('/v1/things').reply(429, '', { 'Retry-After': '120' });
    await expect(h.connector.request(h.connection, { method: 'GET', path: '/things' })).rejects.toMatchObject(
      {
        code: ErrorCode.RateLimited,
        retryAfterMs: 120_000,
      },
    );
    scope.done();
    expect(h.clock.sleeps).toEqual([]);
  });

  it('json() on a body that is not JSON gives ERR_INVALID_PROVIDER_RESPONSE with status and type', async () => {
    const h = await authorized();
    nock(API_HOST).get('/v1/page').reply(200, '<html>secret page</html>', { 'Content-Type': 'text/html' });
    const response = await h.connector.request(h.connection, { method: 'GET', path: '/page' });
    expect(() => response.json()).toThrow(
      expect.objectContaining({
        code: ErrorCode.InvalidProviderResponse,
        status: 200,
        contentType: 'text/html',
      }),
    );
  });
});

describe('request(): 401 handling', () => {
  it('refreshes once and retries once on a 401 before local expiry', async () => {
    const h = await authorized();
    const api = nock(API_HOST)
      .get('/v1/things')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(401)
      .get('/v1/things')
      .matchHeader('authorization', 'Bearer AT-2')
      .reply(200, { ok: true });
    const token = tokenScope()
      .post('/token', 'grant_type=refresh_token&refresh_token=RT-1')
      .reply(200, tokenBody({ access_token: 'AT-2', refresh_token: 'RT-2' }));
    expect((await h.connector.request(h.connection, { method: 'GET', path: '/things' })).json()).toEqual({
      ok: true,
    });
    api.done();
    token.done();
    expect((await h.tokenStore.get(KEY))?.tokens?.refreshToken).toBe('RT-2');
  });

  it('raises ERR_REAUTHORIZATION_REQUIRED (reason api_401) after the second 401, with no further call', async () => {
    const h = await authorized();
    const api = nock(API_HOST).get('/v1/things').times(2).reply(401);
    const token = tokenScope()
      .post('/token')
      .reply(200, tokenBody({ access_token: 'AT-2' }));
    await expect(h.connector.request(h.connection, { method: 'GET', path: '/things' })).rejects.toMatchObject(
      {
        code: ErrorCode.ReauthorizationRequired,
        reason: 'api_401',
      },
    );
    api.done();
    token.done();
  });

  it('raises the refresh failure when the forced refresh is refused (invalid_grant), persisting it', async () => {
    const h = await authorized();
    const api = nock(API_HOST).get('/v1/things').reply(401);
    const token = tokenScope().post('/token').reply(400, { error: 'invalid_grant' });
    await expect(h.connector.request(h.connection, { method: 'GET', path: '/things' })).rejects.toMatchObject(
      {
        code: ErrorCode.ReauthorizationRequired,
        reason: 'invalid_grant',
      },
    );
    api.done();
    token.done();
    expect((await h.tokenStore.get(KEY))?.status).toBe('reauthorization_required');
  });

  it('uses a token another instance already refreshed instead of refreshing again', async () => {
    const h = await authorized();
    const record = await h.tokenStore.get(KEY);
    await h.tokenStore.set(KEY, {
      ...record!,
      tokens: { ...record!.tokens!, accessToken: 'AT-from-peer', refreshToken: 'RT-peer' },
    });
    const api = nock(API_HOST)
      .get('/v1/things')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(401)
      .get('/v1/things')
      .matchHeader('authorization', 'Bearer AT-from-peer')
      .reply(200, {});
    expect((await h.connector.request(h.connection, { method: 'GET', path: '/things' })).status).toBe(200);
    api.done();
  });
});

const development = endpointPolicy({ development: true });

describe('request(): cancellation and timeouts', () => {
  async function onLocalApi() {
    server = await startLocalServer(() => undefined); // accepts, never answers
    // A loopback API: this test host opts in to the endpoint policy's development mode.
    const h = harness({}, { endpoints: { apiBase: `${server.origin}/v1` } }, { endpointPolicy: development });
    await authorize(h);
    return h;
  }

  it('does not call at all with an aborted signal', async () => {
    const h = await onLocalApi();
    await expect(
      h.connector.request(h.connection, { method: 'GET', path: '/x', signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({ code: ErrorCode.Aborted });
    expect(server?.requests).toEqual([]);
  });

  it('stops a hanging call when the caller aborts', async () => {
    const h = await onLocalApi();
    const controller = new AbortController();
    const pending = h.connector.request(h.connection, {
      method: 'GET',
      path: '/x',
      signal: controller.signal,
    });
    while (server?.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(server?.requests[0]).toMatchObject({
      url: '/v1/x',
      headers: expect.objectContaining({ authorization: 'Bearer AT-1' }),
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.Aborted });
  });

  it('honours AbortSignal.timeout (the cause says TimeoutError)', async () => {
    const h = await onLocalApi();
    const error: unknown = await h.connector
      .request(h.connection, { method: 'GET', path: '/x', signal: AbortSignal.timeout(50) })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.Aborted,
      cause: expect.objectContaining({ name: 'TimeoutError' }),
    });
  });

  it('rejects (never throws synchronously) for invalid credentials', async () => {
    const h = harness({}, { clientId: '' });
    const pending = h.connector.request(h.connection, { method: 'GET', path: '/x' });
    await expect(pending).rejects.toMatchObject({ code: ErrorCode.InvalidCredentials });
  });
});

describe('apiUrl: resolved query-less paths are reused', () => {
  const context = { connectorId: 'fixture', connectionId: 'c-1' };
  const get = (path: string, query?: Record<string, string>) =>
    apiUrl(base, { method: 'GET', path, ...(query === undefined ? {} : { query }) }, context);
  const base = new URL('https://api.fixture.test/v1');

  it('returns the same resolved URL for the same path, a new one when a query is given', () => {
    const first = get('/things');
    expect(first.href).toBe('https://api.fixture.test/v1/things');
    expect(get('/things')).toBe(first);
    const withQuery = get('/things', { page: '2' });
    expect(withQuery.href).toBe('https://api.fixture.test/v1/things?page=2');
    expect(withQuery).not.toBe(get('/things', { page: '2' }));
  });

  it('never caches a refused path and keeps at most 256 paths, oldest out first', () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => get('/../other')).toThrow(expect.objectContaining({ code: ErrorCode.ForeignOrigin }));
    }
    const oldest = get('/p-0');
    for (let i = 1; i <= 256; i++) get(`/p-${i}`);
    expect(get('/p-0')).not.toBe(oldest);
    expect(get('/p-0').href).toBe(oldest.href);
  });
});

describe('apiUrl: the cache is shared by equal API bases and bounded in bases', () => {
  const context = { connectorId: 'fixture', connectionId: 'c-1' };

  it('serves two connections of the same base from one cache, and keeps at most 64 bases', () => {
    const a = apiUrl(new URL('https://shared.fixture.test/v1'), { method: 'GET', path: '/x' }, context);
    expect(apiUrl(new URL('https://shared.fixture.test/v1'), { method: 'GET', path: '/x' }, context)).toBe(a);
    for (let i = 0; i < 64; i++) {
      apiUrl(new URL(`https://base-${i}.fixture.test`), { method: 'GET', path: '/x' }, context);
    }
    const again = apiUrl(new URL('https://shared.fixture.test/v1'), { method: 'GET', path: '/x' }, context);
    expect(again).not.toBe(a);
    expect(again.href).toBe('https://shared.fixture.test/v1/x');
  });
});
