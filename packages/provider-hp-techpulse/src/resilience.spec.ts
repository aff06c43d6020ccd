import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  BASIC,
  CODE,
  ORIGIN,
  TOKEN_PATH,
  authorizedHarness,
  exchangeBody,
  guardNetwork,
  hpHarness,
  hpToken,
  refreshBody,
  startAuthorization,
} from './__fixtures__/hp-harness.js';
import { hardwareInventory } from './hardware-inventory.js';
import { listTenants } from './tenants.js';

guardNetwork();

const tenant = { id: 'tenant-uuid-1', displayName: 'ACME' };

/** HP: "In case of downstream failures in verification of the access token, you will receive either a 500 or 503". */
describe('500/503 from token verification are transient', () => {
  it('retries a GET with backoff, then succeeds', async () => {
    const h = await authorizedHarness();
    const api = nock(ORIGIN.us)
      .get('/analytics/v1/identity/tenants')
      .times(2)
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(503)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(500)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, tenant);
    expect(await listTenants(h.connector, h.connection)).toEqual([tenant]);
    api.done();
    expect(h.clock.sleeps).toHaveLength(3);
  });

  it('retries the read-only inventory POST with the same body, then succeeds', async () => {
    const h = await authorizedHarness();
    const grid = '/analytics/v1/reports/hwinv/details/type/grid';
    const page = { totalResults: 1, startIndex: 0, itemsPerPage: 1, resources: [{ serialNumber: 'S1' }] };
    const api = nock(ORIGIN.us)
      .post(grid, { deviceType: 'Notebook' })
      .query({ startIndex: '0', count: '50' })
      .reply(500)
      .post(grid, { deviceType: 'Notebook' })
      .query({ startIndex: '0', count: '50' })
      .matchHeader('content-type', 'application/json')
      .reply(200, page);
    const rows = [];
    for await (const row of hardwareInventory(h.connector, h.connection, {
      pageSize: 50,
      body: { deviceType: 'Notebook' },
    })) {
      rows.push(row);
    }
    expect(rows).toEqual([{ serialNumber: 'S1' }]);
    api.done();
  });

  it('gives up after the retry budget with ERR_PROVIDER_UNAVAILABLE, keeping the connection active', async () => {
    const h = await authorizedHarness();
    nock(ORIGIN.us).get('/analytics/v1/identity/tenants').times(4).reply(503);
    await expect(listTenants(h.connector, h.connection)).rejects.toMatchObject({
      code: ErrorCode.ProviderUnavailable,
      status: 503,
    });
    expect((await h.connector.getStatus(h.connection)).state).toBe('active');
  });
});

describe('token endpoint 500/503', () => {
  it('retries a refresh (same exact request), then stores the new tokens', async () => {
    const h = await authorizedHarness();
    const token = nock(ORIGIN.us)
      .post(TOKEN_PATH, refreshBody('RT-1'))
      .matchHeader('authorization', BASIC)
      .reply(503)
      .post(TOKEN_PATH, refreshBody('RT-1'))
      .matchHeader('authorization', BASIC)
      .reply(500)
      .post(TOKEN_PATH, refreshBody('RT-1'))
      .matchHeader('authorization', BASIC)
      .reply(200, hpToken('AT-2', 'RT-2'));
    expect((await h.connector.getAccessToken(h.connection, { forceRefresh: true })).accessToken).toBe('AT-2');
    token.done();
  });

  it('retries a code exchange on 503', async () => {
    const h = hpHarness('eu');
    const { callback } = await startAuthorization(h);
    const token = nock(ORIGIN.eu)
      .post(TOKEN_PATH, exchangeBody(CODE))
      .reply(503)
      .post(TOKEN_PATH, exchangeBody(CODE))
      .reply(200, hpToken('AT-1', 'RT-1'));
    const result = await h.connector.completeAuthorization(h.connection, callback);
    expect(result.hasRefreshToken).toBe(true);
    token.done();
  });

  it('an outage of the token endpoint is ERR_PROVIDER_UNAVAILABLE, not a reauthorization', async () => {
    const h = await authorizedHarness();
    nock(ORIGIN.us).post(TOKEN_PATH, refreshBody('RT-1')).times(4).reply(503);
    await expect(h.connector.getAccessToken(h.connection, { forceRefresh: true })).rejects.toMatchObject({
      code: ErrorCode.ProviderUnavailable,
    });
    const status = await h.connector.getStatus(h.connection);
    expect(status).toMatchObject({ state: 'active', hasRefreshToken: true });
  });
});
