import type { ConnectionInput, Connector } from '@aic/connector-core';
import { readListPage } from './responses.js';
import { pageThrough, type PagingOptions } from './scim-pages.js';

/** One row of HP's hardware inventory grid (`companyId`, `deviceType`, `serialNumber`…). */
export type HardwareInventoryRecord = Readonly<Record<string, unknown>>;

export const HARDWARE_INVENTORY_PATH = '/analytics/v1/reports/hwinv/details/type/grid';

export interface HardwareInventoryOptions extends PagingOptions {
  /** HP's `filter` query parameter, sent as is. */
  readonly filter?: string | undefined;
  /** JSON body of each POST (report criteria). Default `{}`. */
  readonly body?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Every row of the hardware inventory grid:
 * `POST /analytics/v1/reports/hwinv/details/type/grid?startIndex=…&count=…[&filter=…]`, one
 * page per request, lazily (nothing is sent until the first item is read; stopping the loop
 * stops the requests). The POST only reads, so 500/503 and resets are retried with backoff like
 * a GET; a 401 gets one refresh and one retry. Honours `signal` between and during requests.
 *
 * ```ts
 * for await (const device of hardwareInventory(connector, connection, { signal })) sync(device);
 * ```
 */
export function hardwareInventory(
  connector: Connector,
  connection: ConnectionInput,
  options: HardwareInventoryOptions = {},
): AsyncGenerator<HardwareInventoryRecord, void, undefined> {
  const context = { connectorId: connector.manifest.id, connectionId: connection.id };
  const body = options.body ?? {};
  return pageThrough<HardwareInventoryRecord>(
    async (startIndex, count) =>
      readListPage<HardwareInventoryRecord>(
        await connector.request(connection, {
          method: 'POST',
          path: HARDWARE_INVENTORY_PATH,
          query: { startIndex, count, filter: options.filter },
          body,
          retry: true,
          signal: options.signal,
        }),
        'POST /reports/hwinv/details/type/grid',
        context,
      ),
    options,
    context,
  );
}
