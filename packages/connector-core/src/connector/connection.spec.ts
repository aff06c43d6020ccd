import { inspect } from 'node:util';
import { ErrorCode } from '../errors/codes.js';
import { SECRET, ccDefinition, fixtureDefinition } from '../__fixtures__/fixture-provider.js';
import { ConnectionOpener } from './connection.js';

const input = (credentials: Record<string, unknown> = {}) => ({
  id: 'conn-1',
  credentials: { ...fixtureDefinition.sampleCredentials, refreshToken: 'RT-IMPORTED-SECRET', ...credentials },
});

describe('ConnectionOpener', () => {
  it('validates, resolves the region endpoints and the client, once per input object', () => {
    const opener = new ConnectionOpener(fixtureDefinition);
    const connection = input();
    const opened = opener.open(connection);
    expect(opener.open(connection)).toBe(opened);
    expect(opener.open(input())).not.toBe(opened);
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

  it('applies per-connection endpoint overrides over the region defaults', () => {
    const opened = new ConnectionOpener(fixtureDefinition).open(
      input({ region: 'other', endpoints: { token: 'http://localhost:9000/token' } }),
    );
    expect(opened.region).toBe('other');
    expect(opened.endpoints.authorization?.href).toBe('https://other.fixture.test/authorize');
    expect(opened.endpoints.token.href).toBe('http://localhost:9000/token');
  });

  it('lets a provider choose the region and compute endpoints', () => {
    const opener = new ConnectionOpener({
      ...fixtureDefinition,
      regionOf: () => 'other',
      endpointsOf: (_, defaults) => ({ ...defaults, token: 'https://tenant.fixture.test/t/42/token' }),
    });
    const opened = opener.open(input());
    expect(opened.region).toBe('other');
    expect(opened.endpoints.token.href).toBe('https://tenant.fixture.test/t/42/token');
  });

  it('uses the configured client fields and no authorization endpoint for client credentials', () => {
    const opened = new ConnectionOpener({
      ...ccDefinition,
      clientFields: { id: 'clientId', secret: 'clientSecret' },
    }).open({ id: 'c', credentials: ccDefinition.sampleCredentials });
    expect(opened.endpoints.authorization).toBeUndefined();
    expect(opened.redirectUri).toBeUndefined();
  });

  it('refuses credentials that fail the schema, and insecure or missing endpoints', () => {
    const opener = new ConnectionOpener(fixtureDefinition);
    expect(() => opener.open(input({ clientId: 42 }))).toThrow(
      expect.objectContaining({ code: ErrorCode.InvalidCredentials, connectionId: 'conn-1' }),
    );
    const insecure = new ConnectionOpener({
      ...fixtureDefinition,
      regions: { main: { ...fixtureDefinition.regions.main, apiBase: 'http://api.fixture.test' } },
    });
    expect(() => insecure.open(input())).toThrow(
      expect.objectContaining({ code: ErrorCode.InsecureEndpoint }),
    );
    const unknownRegion = new ConnectionOpener({ ...fixtureDefinition, regionOf: () => 'mars' });
    expect(() => unknownRegion.open(input())).toThrow(
      expect.objectContaining({ code: ErrorCode.InsecureEndpoint }),
    );
  });

  it('shows only id, connector, region and endpoints in inspect and JSON', () => {
    const opened = new ConnectionOpener(fixtureDefinition).open(input());
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
