import type { Endpoints } from '@aic/connector-core';
import type { AbbyyVantageCredentials } from './credentials.js';

/** The Vantage regions: each is one host, `vantage-{region}.abbyy.com`, for every endpoint. */
export type VantageRegion = AbbyyVantageCredentials['region'];

const regionEndpoints = (region: VantageRegion): Endpoints => {
  const host = `https://vantage-${region}.abbyy.com`;
  return Object.freeze({
    authorization: `${host}/auth2/connect/authorize`,
    token: `${host}/auth2/connect/token`,
    // ABBYY's API paths (`/api/publicapi/v1/…`, `/api/adminapi2/…`) hang off the host root.
    apiBase: host,
  });
};

/** Default endpoints per region (ABBYY Vantage developer guide, "Authentication"). */
export const vantageRegions: Readonly<Record<VantageRegion, Endpoints>> = Object.freeze({
  us: regionEndpoints('us'),
  eu: regionEndpoints('eu'),
  au: regionEndpoints('au'),
});

/**
 * The endpoints of one connection:
 *
 * 1. the region's defaults;
 * 2. with `tenantId`, the tenant-scoped token endpoint `/auth2/{tenantId}/connect/token` on the
 *    same host (for accounts that belong to several tenants). The schema's pattern keeps the
 *    tenant id one safe path segment; it is still percent-encoded here as defence in depth.
 *    The authorization endpoint stays the region's: ABBYY documents only the token endpoint as
 *    tenant-scoped;
 * 3. explicit `endpoints` overrides win over both.
 */
export function vantageEndpoints(credentials: AbbyyVantageCredentials, regionDefaults: Endpoints): Endpoints {
  const tenantId = credentials.tenantId;
  const token =
    tenantId === undefined
      ? regionDefaults.token
      : new URL(`/auth2/${encodeURIComponent(tenantId)}/connect/token`, regionDefaults.token).href;
  return { ...regionDefaults, token, ...credentials.endpoints };
}
