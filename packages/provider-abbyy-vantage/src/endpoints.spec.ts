import type { AbbyyVantageCredentials } from './credentials.js';
import { vantageEndpoints, vantageRegions } from './endpoints.js';
import { authorizationScope, exchangeScope } from './scope.js';

const base: AbbyyVantageCredentials = {
  clientId: 'c',
  clientSecret: 's',
  redirectUri: 'https://aic.example.com/cb',
  region: 'eu',
};

describe('vantageRegions', () => {
  it('puts every endpoint of a region on vantage-{region}.abbyy.com', () => {
    expect(vantageRegions).toEqual({
      us: {
        authorization: 'https://vantage-us.abbyy.com/auth2/connect/authorize',
        token: 'https://vantage-us.abbyy.com/auth2/connect/token',
        apiBase: 'https://vantage-us.abbyy.com',
      },
      eu: {
        authorization: 'https://vantage-eu.abbyy.com/auth2/connect/authorize',
        token: 'https://vantage-eu.abbyy.com/auth2/connect/token',
        apiBase: 'https://vantage-eu.abbyy.com',
      },
      au: {
        authorization: 'https://vantage-au.abbyy.com/auth2/connect/authorize',
        token: 'https://vantage-au.abbyy.com/auth2/connect/token',
        apiBase: 'https://vantage-au.abbyy.com',
      },
    });
  });
});

describe('vantageEndpoints', () => {
  it('is the region’s defaults without tenant or overrides', () => {
    expect(vantageEndpoints(base, vantageRegions.eu)).toEqual(vantageRegions.eu);
  });

  it('swaps in the tenant-scoped token endpoint on the same host, and only that one', () => {
    expect(vantageEndpoints({ ...base, tenantId: 'TestTenant' }, vantageRegions.us)).toEqual({
      authorization: 'https://vantage-us.abbyy.com/auth2/connect/authorize',
      token: 'https://vantage-us.abbyy.com/auth2/TestTenant/connect/token',
      apiBase: 'https://vantage-us.abbyy.com',
    });
  });

  it('lets explicit overrides win over the tenant-scoped token endpoint', () => {
    const endpoints = {
      token: 'https://sso.example.com/token',
      apiBase: 'https://proxy.example.com/vantage',
    };
    expect(vantageEndpoints({ ...base, tenantId: 'TestTenant', endpoints }, vantageRegions.au)).toEqual({
      authorization: 'https://vantage-au.abbyy.com/auth2/connect/authorize',
      token: 'https://sso.example.com/token',
      apiBase: 'https://proxy.example.com/vantage',
    });
  });

  it('keeps a tenant id inside one path segment even if one got past the schema', () => {
    const token = vantageEndpoints({ ...base, tenantId: '../x/y?z' }, vantageRegions.eu).token;
    expect(token).toBe('https://vantage-eu.abbyy.com/auth2/..%2Fx%2Fy%3Fz/connect/token');
  });
});

describe('exchangeScope', () => {
  it('asks for the same scope in the authorization request (OIDC Core §11 decides there)', () => {
    expect(authorizationScope(base)).toBe('openid permissions global.wildcard offline_access');
    expect(authorizationScope({ ...base, scope: 'openid publicapi.all' })).toBe(
      'openid publicapi.all offline_access',
    );
  });

  it('adds offline_access to the default or configured scope, once', () => {
    expect(exchangeScope(base)).toBe('openid permissions global.wildcard offline_access');
    expect(exchangeScope({ ...base, scope: 'openid publicapi.all' })).toBe(
      'openid publicapi.all offline_access',
    );
    expect(exchangeScope({ ...base, scope: 'offline_access openid' })).toBe('offline_access openid');
  });
});
