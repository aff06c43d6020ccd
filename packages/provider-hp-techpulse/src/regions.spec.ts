import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  CODE,
  ORIGIN,
  TOKEN_PATH,
  exchangeScope,
  guardNetwork,
  hpHarness,
  hpToken,
  refreshScope,
  startAuthorization,
  type Region,
} from './__fixtures__/hp-harness.js';
import { hardwareInventory } from './hardware-inventory.js';
import { listChildTenants, listTenants } from './tenants.js';

const network = guardNetwork();

const tenant = { schemas: ['urn:scim:schemas:core:2.0:Tenant'], id: 'tenant-uuid-1', displayName: 'ACME' };

/**
 * Every test scripts nock ONLY on the region's own origin; real network is disabled and any
 * request nock cannot match (the other region's host, another path) fails the test.
 */
describe.each<Region>(['us', 'eu'])('%s connection: every endpoint on its own host', (region) => {
  const origin = ORIGIN[region];

  it('authorize → callback → exchange → API 401 → refresh → retry', async () => {
    const h = hpHarness(region);
    const { url, callback } = await startAuthorization(h);
    expect(url.origin).toBe(origin);
    expect(url.pathname).toBe('/oauth/v1/authorize');

    const exchange = exchangeScope(region, CODE, hpToken('AT-1', 'RT-1'));
    await h.connector.completeAuthorization(h.connection, callback);
    exchange.done();

    // Another OAuth flow invalidated AT-1 long before its local expiry.
    h.clock.advance(60_000);
    const api = nock(origin)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(401)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-2')
      .reply(200, tenant);
    const refresh = refreshScope(region, 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    expect(await listTenants(h.connector, h.connection)).toEqual([tenant]);
    api.done();
    refresh.done();
    expect((await h.tokenStore.get(h.key))?.tokens?.refreshToken).toBe('RT-2');

    // A second 401 right after the refresh: one refresh, one retry, then a person must act.
    const again = nock(origin)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-2')
      .reply(401)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-3')
      .reply(401);
    const refreshAgain = refreshScope(region, 'RT-2', 200, hpToken('AT-3', 'RT-3'));
    await expect(listTenants(h.connector, h.connection)).rejects.toMatchObject({
      code: ErrorCode.ReauthorizationRequired,
      reason: 'api_401',
    });
    again.done();
    refreshAgain.done();
    network.verify();
  });

  it('validation, tenants, child tenants, inventory and a scheduled refresh', async () => {
    const h = hpHarness(region, { refreshToken: 'RT-IMPORTED' });
    const imported = refreshScope(region, 'RT-IMPORTED', 200, hpToken('AT-1', 'RT-1'));
    const scope = nock(origin)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, tenant)
      .get('/analytics/v1/identity/tenants/children')
      .query({ startIndex: '0', count: '100' })
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, { totalResults: 1, startIndex: 0, itemsPerPage: 1, resources: [tenant] })
      .post('/analytics/v1/reports/hwinv/details/type/grid', {})
      .query({ startIndex: '0', count: '100' })
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, { totalResults: 1, startIndex: 0, itemsPerPage: 0, resources: [{ serialNumber: 'S1' }] });
    const verdict = await h.connector.validateConnection(h.connection);
    expect(verdict).toMatchObject({ outcome: 'ok', ok: true, probeStatus: 200 });
    expect(await listChildTenants(h.connector, h.connection)).toEqual([tenant]);
    const rows = [];
    for await (const row of hardwareInventory(h.connector, h.connection)) rows.push(row);
    expect(rows).toEqual([{ serialNumber: 'S1' }]);
    imported.done();
    scope.done();

    h.clock.advance(1_799_999);
    const refresh = refreshScope(region, 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('AT-2');
    refresh.done();
    network.verify();
  });

  it('a request to the other region’s host would be caught', async () => {
    const other: Region = region === 'us' ? 'eu' : 'us';
    const h = hpHarness(region, {
      endpoints: { token: `${ORIGIN[other]}${TOKEN_PATH}` },
      refreshToken: 'RT-IMPORTED',
    });
    // An override is the only way to reach another host; with no scope there, it fails and is recorded.
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ProviderUnavailable,
    });
    expect(network.unmatched.length).toBeGreaterThan(0);
    network.unmatched.length = 0;
  });
});
