import type { CallOptions, ConnectionInput, Connector, ErrorContext } from '@aic/connector-core';
import { readListPage, readOneOrMany } from './responses.js';
import { pageThrough, type PagingOptions } from './scim-pages.js';

/** An HP TechPulse tenant (SCIM `urn:scim:schemas:core:2.0:Tenant`); HP's other members are kept. */
export interface HpTenant {
  /** The tenant GUID every other TechPulse API expects. */
  readonly id: string;
  readonly displayName?: string;
  /** `CUSTOMER`, `PARTNER`… (`tenantType` on `/tenants`, `type` on `/tenants/children`). */
  readonly tenantType?: string;
  readonly type?: string;
  readonly [member: string]: unknown;
}

export const TENANTS_PATH = '/analytics/v1/identity/tenants';
export const CHILD_TENANTS_PATH = '/analytics/v1/identity/tenants/children';

const contextOf = (connector: Connector, connection: ConnectionInput): ErrorContext => ({
  connectorId: connector.manifest.id,
  connectionId: connection.id,
});

/**
 * The tenants the authorizing user belongs to: `GET /analytics/v1/identity/tenants`. HP answers
 * one tenant object for a customer; a list page is accepted too (its first page).
 */
export async function listTenants(
  connector: Connector,
  connection: ConnectionInput,
  options: CallOptions = {},
): Promise<HpTenant[]> {
  const response = await connector.request(connection, {
    method: 'GET',
    path: TENANTS_PATH,
    signal: options.signal,
  });
  return readOneOrMany<HpTenant>(response, 'GET /identity/tenants', contextOf(connector, connection));
}

/**
 * The tenants an MSP or partner manages: `GET /analytics/v1/identity/tenants/children`, every
 * page (see {@link pageThrough} for how `startIndex` is interpreted).
 */
export async function listChildTenants(
  connector: Connector,
  connection: ConnectionInput,
  options: PagingOptions = {},
): Promise<HpTenant[]> {
  const context = contextOf(connector, connection);
  const pages = pageThrough<HpTenant>(
    async (startIndex, count) =>
      readListPage<HpTenant>(
        await connector.request(connection, {
          method: 'GET',
          path: CHILD_TENANTS_PATH,
          query: { startIndex, count },
          signal: options.signal,
        }),
        'GET /identity/tenants/children',
        context,
      ),
    options,
    context,
  );
  const tenants: HpTenant[] = [];
  for await (const tenant of pages) tenants.push(tenant);
  return tenants;
}
