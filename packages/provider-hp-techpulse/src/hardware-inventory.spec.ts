import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  ORIGIN,
  authorizedHarness,
  guardNetwork,
  hpHarness,
  hpToken,
  refreshScope,
  type HpHarness,
} from './__fixtures__/hp-harness.js';
import { hardwareInventory, type HardwareInventoryOptions } from './hardware-inventory.js';

const network = guardNetwork();

const GRID = '/analytics/v1/reports/hwinv/details/type/grid';
const ROWS = ['S0', 'S1', 'S2', 'S3', 'S4'].map((serialNumber) => ({ serialNumber, deviceType: 'Notebook' }));
const rows = (from: number, to: number): typeof ROWS => ROWS.slice(from, to);

/** One scripted grid page: exact query (`startIndex`, `count=2`), body `{}`, Bearer AT-1. */
function page(
  sent: number,
  resources: readonly unknown[],
  echo: number | undefined,
  totalResults = ROWS.length,
): nock.Scope {
  return nock(ORIGIN.us)
    .post(GRID, {})
    .query({ startIndex: String(sent), count: '2' })
    .matchHeader('authorization', 'Bearer AT-1')
    .matchHeader('content-type', 'application/json')
    .reply(200, {
      totalResults,
      ...(echo === undefined ? {} : { startIndex: echo }),
      itemsPerPage: 0,
      resources,
    });
}

async function collect(h: HpHarness, options: HardwareInventoryOptions = {}): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const row of hardwareInventory(h.connector, h.connection, { pageSize: 2, ...options })) {
    out.push(row);
  }
  return out;
}

describe('paging by totalResults, whatever startIndex means (auto)', () => {
  it('0-based offsets: 0, probe 1 (overlap skipped), 3', async () => {
    const h = await authorizedHarness();
    const scopes = [page(0, rows(0, 2), 0), page(1, rows(1, 3), 1), page(3, rows(3, 5), 3)];
    expect(await collect(h)).toEqual(ROWS);
    for (const scope of scopes) scope.done();
  });

  it('1-based offsets (0 clamped to 1 and echoed): 0, probe 2, 4', async () => {
    const h = await authorizedHarness();
    const scopes = [page(0, rows(0, 2), 1), page(2, rows(1, 3), 2), page(4, rows(3, 5), 4)];
    expect(await collect(h)).toEqual(ROWS);
    for (const scope of scopes) scope.done();
  });

  it('1-based offsets without an echo: 0, probe 1 repeats page one, probe 2, 4', async () => {
    const h = await authorizedHarness();
    const scopes = [
      page(0, rows(0, 2), undefined),
      page(1, rows(0, 2), undefined),
      page(2, rows(1, 3), undefined),
      page(4, rows(3, 5), undefined),
    ];
    expect(await collect(h)).toEqual(ROWS);
    for (const scope of scopes) scope.done();
  });

  it('page numbers from 1 (0 clamped to 1): 0, probe 2, 3', async () => {
    const h = await authorizedHarness();
    const scopes = [page(0, rows(0, 2), 1), page(2, rows(2, 4), 2), page(3, rows(4, 5), 3)];
    expect(await collect(h)).toEqual(ROWS);
    for (const scope of scopes) scope.done();
  });

  it('page numbers from 0: 0, probe 1, 2', async () => {
    const h = await authorizedHarness();
    const scopes = [page(0, rows(0, 2), 0), page(1, rows(2, 4), 1), page(2, rows(4, 5), 2)];
    expect(await collect(h)).toEqual(ROWS);
    for (const scope of scopes) scope.done();
  });

  it('one request when the first page holds everything (HP sample: itemsPerPage 0)', async () => {
    const h = await authorizedHarness();
    const scope = page(0, rows(0, 2), 0, 2);
    expect(await collect(h)).toEqual(rows(0, 2));
    scope.done();
  });
});

describe('explicit startIndex conventions (no probe)', () => {
  it.each([
    ['offset-0', [0, 2, 4]],
    ['offset-1', [1, 3, 5]],
    ['page-0', [0, 1, 2]],
    ['page-1', [1, 2, 3]],
  ] as const)('%s asks %j', async (convention, indexes) => {
    const h = await authorizedHarness();
    const scopes = indexes.map((sent, i) => page(sent, rows(i * 2, i * 2 + 2), sent));
    expect(await collect(h, { startIndex: convention })).toEqual(ROWS);
    for (const scope of scopes) scope.done();
  });
});

describe('guards', () => {
  it('stops at an empty page (the list shrank while paging)', async () => {
    const h = await authorizedHarness();
    const scopes = [page(0, rows(0, 2), 0), page(2, [], 2)];
    expect(await collect(h, { startIndex: 'offset-0' })).toEqual(rows(0, 2));
    for (const scope of scopes) scope.done();
  });

  it('throws ERR_INVALID_PROVIDER_RESPONSE when the server repeats the previous page', async () => {
    const h = await authorizedHarness();
    const scopes = [page(0, rows(0, 2), 0), page(2, rows(0, 2), 0)];
    await expect(collect(h, { startIndex: 'offset-0' })).rejects.toMatchObject({
      code: ErrorCode.InvalidProviderResponse,
    });
    for (const scope of scopes) scope.done();
  });

  it('auto: a server that ignores startIndex is caught after two probes', async () => {
    const h = await authorizedHarness();
    const scopes = [page(0, rows(0, 2), 0), page(1, rows(0, 2), 0), page(2, rows(0, 2), 0)];
    await expect(collect(h)).rejects.toMatchObject({ code: ErrorCode.InvalidProviderResponse });
    for (const scope of scopes) scope.done();
  });

  it.each([
    ['without totalResults', { resources: [] }],
    ['with a negative totalResults', { totalResults: -1, resources: [] }],
    ['whose resources is not a list', { totalResults: 1, resources: 'S0' }],
    ['that is not an object', [{ serialNumber: 'S0' }]],
  ])('refuses a page %s (ERR_INVALID_PROVIDER_RESPONSE)', async (_title, body) => {
    const h = await authorizedHarness();
    nock(ORIGIN.us).post(GRID).query(true).reply(200, body);
    await expect(collect(h)).rejects.toMatchObject({ code: ErrorCode.InvalidProviderResponse, status: 200 });
  });

  it('accepts RFC 7644 `Resources` and explains a 403', async () => {
    const h = await authorizedHarness();
    nock(ORIGIN.us)
      .post(GRID)
      .query(true)
      .reply(200, { totalResults: 1, Resources: rows(0, 1) });
    expect(await collect(h)).toEqual(rows(0, 1));
    nock(ORIGIN.us).post(GRID).query(true).reply(403, { message: 'Forbidden' });
    const error: unknown = await collect(h).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.InvalidProviderResponse, status: 403 });
    expect((error as Error).message).toContain('Report Admin');
  });

  it('refuses a page size below 1 before any request', async () => {
    const h = hpHarness();
    await expect(collect(h, { pageSize: 0 })).rejects.toMatchObject({ code: ErrorCode.Configuration });
  });
});

describe('requests', () => {
  it('is lazy, sends filter and body as given, and refreshes once on a 401 mid-way', async () => {
    const h = await authorizedHarness();
    const iterator = hardwareInventory(h.connector, h.connection, {
      pageSize: 2,
      startIndex: 'offset-0',
      filter: 'deviceType eq "Notebook"',
      body: { tenantIds: ['tenant-uuid-1'] },
    });
    // Nothing is sent before the first item is read (no scope exists yet: a request would be recorded).
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(network.unmatched).toEqual([]);
    const query = (startIndex: string) => ({ startIndex, count: '2', filter: 'deviceType eq "Notebook"' });
    const body = { tenantIds: ['tenant-uuid-1'] };
    const api = nock(ORIGIN.us)
      .post(GRID, body)
      .query(query('0'))
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, { totalResults: 3, startIndex: 0, resources: rows(0, 2) })
      .post(GRID, body)
      .query(query('2'))
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(401)
      .post(GRID, body)
      .query(query('2'))
      .matchHeader('authorization', 'Bearer AT-2')
      .reply(200, { totalResults: 3, startIndex: 2, resources: rows(2, 3) });
    const refresh = refreshScope('us', 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    const out: unknown[] = [];
    for await (const row of iterator) out.push(row);
    expect(out).toEqual(rows(0, 3));
    api.done();
    refresh.done();
  });

  it('honours an AbortSignal between pages: ERR_ABORTED and no further request', async () => {
    const h = await authorizedHarness();
    const first = page(0, rows(0, 2), 0);
    const controller = new AbortController();
    const seen: unknown[] = [];
    const error: unknown = await (async () => {
      for await (const row of hardwareInventory(h.connector, h.connection, {
        pageSize: 2,
        signal: controller.signal,
      })) {
        seen.push(row);
        controller.abort();
      }
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: ErrorCode.Aborted });
    expect(seen).toEqual(rows(0, 2));
    first.done();
  });

  it('an already aborted signal sends nothing', async () => {
    const h = await authorizedHarness();
    await expect(collect(h, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: ErrorCode.Aborted,
    });
  });
});
