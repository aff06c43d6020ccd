import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { SECRET, ccDefinition, fixtureDefinition } from '../__fixtures__/fixture-provider.js';
import { endpointPolicy, strictEndpointPolicy } from '../oauth/endpoint-policy.js';
import { ConnectionOpener } from './connection.js';

const strict = strictEndpointPolicy;
const development = endpointPolicy({ development: true });

const input = (credentials: Record<string, unknown> = {}) => ({
  id: 'conn-1',
  credentials: { ...fixtureDefinition.sampleCredentials, refreshToken: 'RT-IMPORTED-SECRET', ...credentials },
});

describe('ConnectionOpener', () => {
  it('validates, resolves the region endpoints and the client, once per distinct input', () => {
    const opener = new ConnectionOpener(fixtureDefinition, strict);
    const connection = input();
    const opened = opener.open(connection);
    expect(opener.open(connection)).toBe(opened);
    // A new object with the same id and credentials (a host reading its database per call).
    expect(opener.open(input())).toBe(opened);
    expect(opener.open({ ...input(), id: 'conn-2' })).not.toBe(opened);
    expect(opener.open(input({ region: 'other' }))).not.toBe(opened);
    expect(opened).toMatchObject({
      id: 'conn-1',
      key: 'fixture\u001fconn-1',
      region: 'main',
      redirectUri: 'https://aic.test/callback',
      client: { clientId: 'client-1', clientSecret: SECRET },
      clientFields: { id: '/clientId', secret: '/clientSecret' },
      secrets: [SECRET, 'RT-IMPORTED-SECRET'],
      context: { connectorId: 'fixture', connectionId: 'conn-1' },
    });
    expect(opened.endpoints.authorization?.href).toBe('https://auth.fixture.test/authorize');
    expect(opened.endpoints.token.href).toBe('https://auth.fixture.test/token');
    expect(opened.endpoints.apiBase.href).toBe('https://api.fixture.test/v1');
    expect(Object.isFrozen(opened)).toBe(true);
  });

  it('serves a new object with equal credentials (any key order) and reopens one whose values differ', () => {
    const opener = new ConnectionOpener(fixtureDefinition, strict);
    const opened = opener.open(input({ region: 'main' }));
    const reordered = Object.fromEntries(Object.entries(input({ region: 'main' }).credentials).reverse());
    expect(opener.open({ id: 'conn-1', credentials: reordered })).toBe(opened);
    expect(() => opener.open(input({ clientSecret: '' }))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidCredentials }),
    );
  });

  it('compares credentials as plain JSON: a changed nested value, an extra key or a class instance reopens', () => {
    const opener = new ConnectionOpener(fixtureDefinition, development);
    const base = input({ endpoints: { token: 'http://127.0.0.1:9000/token' } });
    const opened = opener.open(base);
    expect(opener.open(input({ endpoints: { token: 'http://127.0.0.1:9000/token' } }))).toBe(opened);
    const moved = opener.open(input({ endpoints: { token: 'http://127.0.0.1:9001/token' } }));
    expect(moved).not.toBe(opened);
    expect(moved.endpoints.token.href).toBe('http://127.0.0.1:9001/token');
    expect(() =>
      opener.open(input({ endpoints: { token: 'http://127.0.0.1:9001/token' }, extra: 1 })),
    ).toThrow(expect.objectContaining({ code: ErrorCode.InvalidCredentials }));
    class Credentials {
      constructor(values: Record<string, unknown>) {
        Object.assign(this, values);
      }

      describe(): string {
        return 'credentials as a class instance';
      }
    }
    // Equal fields, but not plain JSON: opened again (validated on its own), never matched.
    const plain = opener.open(input());
    const fromInstance = opener.open({ id: 'conn-1', credentials: new Credentials(input().credentials) });
    expect(fromInstance).not.toBe(plain);
    expect(fromInstance.region).toBe('main');
    // The cached copy is frozen: the host's object may change without reaching the cache.
    expect(Object.isFrozen(moved.credentials)).toBe(true);
  });

  it('keeps at most cacheSize connections opened from new objects (oldest out)', () => {
    const opener = new ConnectionOpener(fixtureDefinition, strict, 2);
    const first = opener.open({ ...input(), id: 'a' });
    opener.open({ ...input(), id: 'b' });
    expect(opener.open({ ...input(), id: 'a' })).toBe(first);
    opener.open({ ...input(), id: 'c' });
    expect(opener.open({ ...input(), id: 'a' })).not.toBe(first);
  });

  it('applies per-connection endpoint overrides only where the host policy allows them', () => {
    const override = input({ region: 'other', endpoints: { token: 'http://localhost:9000/token' } });
    expect(() => new ConnectionOpener(fixtureDefinition, strict).open(override)).toThrow(
      expect.objectContaining({
        code: ErrorCode.EndpointNotAllowed,
        endpoint: 'token',
        origin: 'http://localhost:9000',
      }),
    );
    const opened = new ConnectionOpener(fixtureDefinition, development).open(override);
    expect(opened.region).toBe('other');
    expect(opened.endpoints.authorization?.href).toBe('https://other.fixture.test/authorize');
    expect(opened.endpoints.token.href).toBe('http://localhost:9000/token');
  });

  it('lets a provider choose the region and compute endpoints', () => {
    const opener = new ConnectionOpener(
      {
        ...fixtureDefinition,
        regionOf: () => 'other',
        endpointsOf: (_, defaults) => ({ ...defaults, token: 'https://other.fixture.test/t/42/token' }),
      },
      strict,
    );
    const opened = opener.open(input());
    expect(opened.region).toBe('other');
    expect(opened.endpoints.token.href).toBe('https://other.fixture.test/t/42/token');
    expect(opened.origins).toEqual({
      token: 'https://other.fixture.test',
      apiBase: 'https://other-api.fixture.test',
    });
  });

  it('uses the configured client fields and no authorization endpoint for client credentials', () => {
    const opened = new ConnectionOpener(
      { ...ccDefinition, clientFields: { id: 'clientId', secret: 'clientSecret' } },
      strict,
    ).open({ id: 'c', credentials: ccDefinition.sampleCredentials });
    expect(opened.endpoints.authorization).toBeUndefined();
    expect(opened.redirectUri).toBeUndefined();
  });

  it('refuses credentials that fail the schema, and insecure or missing endpoints', () => {
    const opener = new ConnectionOpener(fixtureDefinition, strict);
    expect(() => opener.open(input({ clientId: 42 }))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidCredentials, connectionId: 'conn-1' }),
    );
    const insecure = new ConnectionOpener(
      {
        ...fixtureDefinition,
        regions: { main: { ...fixtureDefinition.regions.main, apiBase: 'http://api.fixture.test' } },
      },
      strict,
    );
    expect(() => insecure.open(input())).toThrow(
      expect.objectContaining({ code: ErrorCode.InsecureEndpoint }),
    );
    const unknownRegion = new ConnectionOpener({ ...fixtureDefinition, regionOf: () => 'mars' }, strict);
    expect(() => unknownRegion.open(input())).toThrow(
      expect.objectContaining({ code: ErrorCode.InsecureEndpoint }),
    );
  });

  it('shows only id, connector, region and endpoints in inspect and JSON', () => {
    const opened = new ConnectionOpener(fixtureDefinition, strict).open(input());
    for (const shown of [
      inspect(opened),
      inspect(opened, { showHidden: true, depth: 10 }),
      JSON.stringify(opened),
      `${JSON.stringify({ opened })}`,
    ]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain('RT-IMPORTED-SECRET');
      expect(shown).toContain('conn-1');
      expect(shown).toContain('https://auth.fixture.test/token');
    }
    expect(JSON.parse(JSON.stringify(opened))).toEqual({
      id: 'conn-1',
      connector: 'fixture',
      region: 'main',
      endpoints: fixtureDefinition.regions.main,
    });
  });
});
