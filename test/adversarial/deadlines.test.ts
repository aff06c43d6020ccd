/**
 * Attack: a token endpoint (or an API) that drips its response one byte at a time holds a call —
 * and the refresh lock — far past any budget. Every call has a total deadline: it ends in
 * `ERR_TIMEOUT`, the lock is free at that moment, and the stored grant is intact.
 */
import { ErrorCode, HttpDispatcher, MemoryTokenStore, type Connector } from '@aic/connector-core';
import { registerSecret } from '../secrets.js';
import { SECRETS, credentialsFor, everyEndpointAt } from './support/credentials.js';
import { startHost, type Host } from './support/hosts.js';
import { json, providerServer, type ProviderServer } from './support/servers.js';

const DEADLINE_MS = 1_500;
const ACCESS = 'AT-hp-deadline-0123456789';
const REFRESH = 'RT-hp-deadline-9876543210';

let mode: 'fast' | 'drip' = 'fast';
const drips = new Set<NodeJS.Timeout>();
let provider: ProviderServer;
let hosts: Host[] = [];

beforeAll(async () => {
  for (const [label, value] of Object.entries({ ...SECRETS, ACCESS, REFRESH })) registerSecret(value, label);
  provider = await providerServer((request, response) => {
    const body =
      request.url === '/oauth/token'
        ? { access_token: ACCESS, token_type: 'Bearer', expires_in: 1_799_999, refresh_token: REFRESH }
        : { resources: [] };
    if (mode === 'fast') return json(response, 200, body);
    // Headers at once, then one byte every 100 ms: each chunk resets any idle-time limit.
    const text = JSON.stringify(body).padEnd(400, ' ');
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= text.length || response.destroyed) {
        clearInterval(timer);
        drips.delete(timer);
        if (!response.destroyed) response.end();
        return;
      }
      response.write(text[sent++]);
    }, 100);
    drips.add(timer);
  });
});

afterEach(async () => {
  mode = 'fast';
  await Promise.all(hosts.map((host) => host.container.get(HttpDispatcher).destroy()));
  hosts = [];
});

afterAll(async () => {
  for (const timer of drips) clearInterval(timer);
  await provider.close();
});

/** Two hosts ("processes") sharing one token store, both with short deadlines. */
async function twoHosts(): Promise<[Connector, Connector]> {
  const store = new MemoryTokenStore();
  const options = {
    endpoints: { development: true },
    deadlines: { tokenMs: DEADLINE_MS, apiMs: DEADLINE_MS },
  };
  for (let i = 0; i < 2; i++) hosts.push(await startHost(options, { tokenStore: store }));
  return [hosts[0]!.connector('hp-techpulse'), hosts[1]!.connector('hp-techpulse')];
}

const connection = () => ({
  id: 'tenant-slow',
  credentials: credentialsFor('hp-techpulse', everyEndpointAt(provider.origin)),
});

it('cuts a dripping refresh at its deadline and frees the lock then: a waiting process refreshes at once', async () => {
  const [first, second] = await twoHosts();
  const { state } = await first.startAuthorization(connection());
  await first.completeAuthorization(connection(), { code: 'code-slow', state });

  mode = 'drip';
  const started = performance.now();
  const dripping = first
    .getAccessToken(connection(), { forceRefresh: true })
    .catch((error: unknown) => error);
  await new Promise((resolve) => setTimeout(resolve, 300));
  mode = 'fast'; // the next request is answered at once — once it can take the lock
  const waiting = second.getAccessToken(connection(), { forceRefresh: true });

  const failure = await dripping;
  const cutAt = performance.now() - started;
  expect(failure).toMatchObject({ code: ErrorCode.Timeout, deadlineMs: DEADLINE_MS });
  expect(cutAt).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
  expect(cutAt).toBeLessThan(DEADLINE_MS + 1_000);

  expect((await waiting).accessToken).toBe(ACCESS);
  const doneAt = performance.now() - started;
  // Lock TTL is 2 × 1.5 s + 5 s: the waiter got it at the deadline, not at the TTL.
  expect(doneAt).toBeLessThan(DEADLINE_MS + 1_500);
  expect(await second.getStatus(connection())).toMatchObject({ state: 'active', hasRefreshToken: true });
});

it('cuts a dripping API response at the API deadline with ERR_TIMEOUT', async () => {
  const [hp] = await twoHosts();
  const { state } = await hp.startAuthorization(connection());
  await hp.completeAuthorization(connection(), { code: 'code-api', state });
  mode = 'drip';
  const started = performance.now();
  await expect(
    hp.request(connection(), { method: 'GET', path: '/analytics/v1/identity/tenants' }),
  ).rejects.toMatchObject({ code: ErrorCode.Timeout, deadlineMs: DEADLINE_MS });
  const elapsed = performance.now() - started;
  expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
  expect(elapsed).toBeLessThan(DEADLINE_MS + 1_000);
});
