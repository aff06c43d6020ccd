import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import { ORIGIN, authorizedHarness, guardNetwork } from './__fixtures__/hp-harness.js';
import { listChildTenants, listTenants } from './tenants.js';

guardNetwork();

/** `GET /identity/tenants` as AIC's documentation shows HP answering it: one SCIM Tenant. */
const own = {
  schemas: ['urn:scim:schemas:core:2.0:Tenant'],
  id: 'tenant-uuid-1',
  displayName: 'Customer Name',
  description: '',
  tenantType: 'CUSTOMER',
  subTypes: [],
  phoneNumber: { value: '555-5555', type: 'work' },
  ownerId: 'owner@example.com',
};
const child = (n: number) => ({
  id: `tenant-uuid-children-${n}`,
  displayName: `Children ${n}`,
  type: 'CUSTOMER',
});
const CHILDREN = Array.from({ length: 7 }, (_, n) => child(n));

describe('listTenants', () => {
  it('GETs /analytics/v1/identity/tenants and returns the one tenant HP answers', async () => {
    const h = await authorizedHarness('eu');
    const scope = nock(ORIGIN.eu)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, own);
    expect(await listTenants(h.connector, h.connection)).toEqual([own]);
    scope.done();
  });

  it('accepts a list page too', async () => {
    const h = await authorizedHarness();
    nock(ORIGIN.us)
      .get('/analytics/v1/identity/tenants')
      .reply(200, { totalResults: 2, startIndex: 0, itemsPerPage: 2, resources: [child(1), child(2)] });
    expect(await listTenants(h.connector, h.connection)).toEqual([child(1), child(2)]);
  });

  it.each([
    ['a JSON array', [1, 2]],
    ['an object without id', { name: 'x' }],
  ])('refuses %s as ERR_INVALID_PROVIDER_RESPONSE', async (_title, body) => {
    const h = await authorizedHarness();
    nock(ORIGIN.us).get('/analytics/v1/identity/tenants').reply(200, body);
    await expect(listTenants(h.connector, h.connection)).rejects.toMatchObject({
      code: ErrorCode.InvalidProviderResponse,
      status: 200,
    });
  });

  it('an HTML error page is ERR_INVALID_PROVIDER_RESPONSE with status and content type, not the body', async () => {
    const h = await authorizedHarness();
    nock(ORIGIN.us)
      .get('/analytics/v1/identity/tenants')
      .reply(404, '<html>secret-ish body</html>', { 'content-type': 'text/html' });
    const error: unknown = await listTenants(h.connector, h.connection).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.InvalidProviderResponse,
      status: 404,
      contentType: 'text/html',
    });
    expect(JSON.stringify(error)).not.toContain('secret-ish');
  });

  it('honours an aborted signal before sending', async () => {
    const h = await authorizedHarness();
    await expect(
      listTenants(h.connector, h.connection, { signal: AbortSignal.abort() }),
    ).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
  });
});

describe('listChildTenants (MSP / partner)', () => {
  it('pages /analytics/v1/identity/tenants/children until totalResults', async () => {
    const h = await authorizedHarness();
    const children = '/analytics/v1/identity/tenants/children';
    const list = (startIndex: number, resources: unknown[]) => ({
      schemas: ['urn:scim:schemas:core:2.0:ListResponse'],
      totalResults: 7,
      startIndex,
      itemsPerPage: resources.length,
      resources,
    });
    const scope = nock(ORIGIN.us)
      .get(children)
      .query({ startIndex: '0', count: '5' })
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, list(0, CHILDREN.slice(0, 5)))
      .get(children)
      .query({ startIndex: '1', count: '5' })
      .reply(200, list(1, CHILDREN.slice(1, 6)))
      .get(children)
      .query({ startIndex: '6', count: '5' })
      .reply(200, list(6, CHILDREN.slice(6)));
    expect(await listChildTenants(h.connector, h.connection, { pageSize: 5 })).toEqual(CHILDREN);
    scope.done();
  });

  it('returns an empty list for a customer without children', async () => {
    const h = await authorizedHarness();
    nock(ORIGIN.us)
      .get('/analytics/v1/identity/tenants/children')
      .query({ startIndex: '0', count: '100' })
      .reply(200, { totalResults: 0, startIndex: 0, itemsPerPage: 0, resources: [] });
    expect(await listChildTenants(h.connector, h.connection)).toEqual([]);
  });
});
