/**
 * Attack: a connection authorized against its provider has its endpoints changed (by whoever can
 * write its credentials, on a host that allows other origins). Its refresh token must never go
 * to the new token origin nor its access token to the new API: the connection needs a person to
 * authorize it again, and nothing stored is lost.
 */
import { ErrorCode, HttpDispatcher, type Connector } from '@aic/connector-core';
import { registerSecret } from '../secrets.js';
import { SECRETS, credentialsFor, everyEndpointAt } from './support/credentials.js';
import { startHost, type Host } from './support/hosts.js';
import {
  attackerListener,
  json,
  providerServer,
  type AttackerListener,
  type ProviderServer,
} from './support/servers.js';

const ACCESS = 'AT-hp-grant-binding-0123456789';
const REFRESH = 'RT-hp-grant-binding-9876543210';

let attacker: AttackerListener;
let provider: ProviderServer;
let host: Host;
let hp: Connector;

beforeAll(async () => {
  for (const [label, value] of Object.entries({ ...SECRETS, ACCESS, REFRESH })) registerSecret(value, label);
  attacker = await attackerListener();
  provider = await providerServer((request, response) => {
    if (request.url === '/oauth/token') {
      json(response, 200, {
        access_token: ACCESS,
        token_type: 'Bearer',
        expires_in: 1_799_999,
        refresh_token: REFRESH,
      });
    } else {
      json(response, 200, { resources: [] });
    }
  });
  // A host in development mode: it allows any loopback origin — the attacker's included.
  host = await startHost({ endpoints: { development: true } });
  hp = host.connector('hp-techpulse');
});

afterAll(async () => {
  await host.container.get(HttpDispatcher).destroy();
  await provider.close();
  await attacker.close();
});

it('keeps a grant at the origins that issued it: reauthorization required, nothing sent, nothing lost', async () => {
  const connection = {
    id: 'tenant-1',
    credentials: credentialsFor('hp-techpulse', everyEndpointAt(provider.origin)),
  };
  const { state } = await hp.startAuthorization(connection);
  await hp.completeAuthorization(connection, { code: 'code-1', state });

  const moved = {
    id: 'tenant-1',
    credentials: credentialsFor('hp-techpulse', everyEndpointAt(attacker.origin)),
  };
  for (const call of [
    () => hp.getAccessToken(moved),
    () => hp.getAccessToken(moved, { forceRefresh: true }),
    () => hp.request(moved, { method: 'GET', path: '/analytics/v1/identity/tenants' }),
  ]) {
    await expect(call()).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'endpoints_changed',
    });
  }
  expect(await hp.validateConnection(moved)).toMatchObject({
    outcome: 'reauthorize',
    errorCode: ErrorCode.ReauthorizationRequired,
  });
  expect(await hp.getStatus(moved)).toMatchObject({
    state: 'reauthorization_required',
    reauthorizationReason: 'endpoints_changed',
  });
  expect(attacker.connections()).toBe(0);

  // Nothing lost: back on its own endpoints the grant still refreshes and calls the API.
  const before = provider.requests.length;
  expect((await hp.getAccessToken(connection, { forceRefresh: true })).accessToken).toBe(ACCESS);
  expect(
    (await hp.request(connection, { method: 'GET', path: '/analytics/v1/identity/tenants' })).status,
  ).toBe(200);
  const refresh = provider.requests[before];
  expect(refresh?.body).toBe(
    `grant_type=refresh_token&refresh_token=${REFRESH}&redirect_uri=${encodeURIComponent('https://aic.example.com/oauth/callback')}`,
  );
  expect(await hp.getStatus(connection)).toMatchObject({ state: 'active', hasRefreshToken: true });
});
