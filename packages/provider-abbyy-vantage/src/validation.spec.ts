import nock from 'nock';
import { ErrorCode, endpointPolicy } from '@aic/connector-core';
import {
  DAY_MS,
  START,
  authorize,
  guardNetwork,
  host,
  recordAndReply,
  tokenResponse,
  vantageHarness,
  type RecordedRequest,
} from './__fixtures__/vantage-harness.js';

guardNetwork();

const SKILLS = '/api/publicapi/v1/skills';
const skills = [{ id: 'b1e2c3d4', name: 'Invoice US', type: 'Document' }];

describe('validateConnection ("Validar conexión")', () => {
  it('ok: one authorized GET of the skills list on the region host', async () => {
    const h = vantageHarness({ region: 'au' });
    await authorize(h);
    const sink: RecordedRequest[] = [];
    const api = nock(host('au'))
      .get(SKILLS)
      .reply(recordAndReply(sink, 200, skills));
    const verdict = await h.connector.validateConnection(h.connection);
    api.done();
    expect(sink).toHaveLength(1);
    expect(sink[0]?.method).toBe('GET');
    expect(sink[0]?.url).toBe('https://vantage-au.abbyy.com/api/publicapi/v1/skills');
    expect(sink[0]?.headers.get('authorization')).toBe('Bearer AT-1');
    expect(sink[0]?.headers.get('accept')).toBe('application/json');
    expect(verdict).toMatchObject({
      outcome: 'ok',
      ok: true,
      probeStatus: 200,
      message: { es: 'Conexión válida.', en: 'Connection is valid.' },
      status: { state: 'active', reauthorizationRequiredAt: START + 30 * DAY_MS },
    });
  });

  it('ok after an expired access token: refreshes first, then probes with the new token', async () => {
    const h = vantageHarness();
    await authorize(h);
    h.clock.advance(DAY_MS);
    const token = nock(host('eu'))
      .post('/auth2/connect/token')
      .reply(200, tokenResponse({ access_token: 'AT-2' }));
    const api = nock(host('eu')).get(SKILLS).matchHeader('authorization', 'Bearer AT-2').reply(200, skills);
    expect((await h.connector.validateConnection(h.connection)).outcome).toBe('ok');
    token.done();
    api.done();
  });

  it('probes the overridden API base when endpoints.apiBase is set and the host allows it', async () => {
    const proxy = { endpoints: { apiBase: 'https://vantage-proxy.example.com' } };
    const refused = await vantageHarness(proxy).connector.validateConnection(
      vantageHarness(proxy).connection,
    );
    expect(refused).toMatchObject({ ok: false, errorCode: ErrorCode.EndpointNotAllowed });
    const h = vantageHarness(proxy, {
      endpointPolicy: endpointPolicy({ allowedOrigins: ['https://vantage-proxy.example.com'] }),
    });
    await authorize(h);
    const api = nock('https://vantage-proxy.example.com').get(SKILLS).reply(200, skills);
    expect((await h.connector.validateConnection(h.connection)).outcome).toBe('ok');
    api.done();
  });

  it('reauthorize: a connection never authorized, without any network call', async () => {
    const h = vantageHarness();
    const verdict = await h.connector.validateConnection(h.connection);
    expect(verdict).toMatchObject({
      outcome: 'reauthorize',
      ok: false,
      errorCode: ErrorCode.ReauthorizationRequired,
      status: { state: 'not_authorized' },
    });
  });

  it('reauthorize: past the 30-day deadline, without a token request', async () => {
    const h = vantageHarness();
    await authorize(h);
    h.clock.set(START + 31 * DAY_MS);
    const trap = nock(host('eu')).post('/auth2/connect/token').reply(200, tokenResponse());
    const verdict = await h.connector.validateConnection(h.connection);
    expect(trap.isDone()).toBe(false);
    nock.cleanAll();
    expect(verdict).toMatchObject({
      outcome: 'reauthorize',
      errorCode: ErrorCode.ReauthorizationRequired,
      status: { state: 'reauthorization_required', reauthorizationReason: 'refresh_token_expired' },
    });
  });

  it('bad_credentials: the token endpoint rejects the client (invalid_client)', async () => {
    const h = vantageHarness();
    await authorize(h);
    h.clock.advance(DAY_MS);
    const token = nock(host('eu')).post('/auth2/connect/token').reply(401, { error: 'invalid_client' });
    const verdict = await h.connector.validateConnection(h.connection);
    token.done();
    expect(verdict).toMatchObject({ outcome: 'bad_credentials', errorCode: ErrorCode.InvalidClient });
  });

  it('bad_credentials: the user has no role that may list skills (403)', async () => {
    const h = vantageHarness();
    await authorize(h);
    const api = nock(host('eu')).get(SKILLS).reply(403);
    const verdict = await h.connector.validateConnection(h.connection);
    api.done();
    expect(verdict).toMatchObject({ outcome: 'bad_credentials', ok: false, probeStatus: 403 });
  });

  it('bad_credentials: credentials that fail the schema, naming the field', async () => {
    const h = vantageHarness({ tenantId: '../other' });
    const verdict = await h.connector.validateConnection(h.connection);
    expect(verdict).toMatchObject({ outcome: 'bad_credentials', errorCode: ErrorCode.InvalidCredentials });
    expect(verdict.message.en).toContain('/tenantId');
  });

  it('bad_credentials: an expired client secret, without any network call', async () => {
    const h = vantageHarness({ clientSecretExpiresAt: '2026-03-01' });
    await authorize(h);
    const verdict = await h.connector.validateConnection(h.connection);
    expect(verdict).toMatchObject({
      outcome: 'bad_credentials',
      errorCode: ErrorCode.ClientSecretExpired,
      status: { clientSecretExpiresAt: Date.UTC(2026, 2, 1) },
    });
  });

  it('provider_down: the skills call keeps answering 503', async () => {
    const h = vantageHarness();
    await authorize(h);
    const api = nock(host('eu')).get(SKILLS).times(4).reply(503);
    const verdict = await h.connector.validateConnection(h.connection);
    api.done();
    expect(verdict).toMatchObject({ outcome: 'provider_down', errorCode: ErrorCode.ProviderUnavailable });
  });
});

describe('client secret expiry', () => {
  it('from a creation date alone assumes Vantage’s default 6 months (181 days) and warns 30 days ahead', async () => {
    // START is 2026-03-02 09:00: a secret created 2025-10-01 expires 2026-03-31, 28 whole days later.
    const h = vantageHarness({ clientSecretCreatedAt: '2025-10-01' });
    const status = await h.connector.getStatus(h.connection);
    expect(status.clientSecretExpiresAt).toBe(Date.UTC(2026, 2, 31));
    expect(status.clientSecretDaysLeft).toBe(28);
    expect(status.warnings.map((w) => w.code)).toEqual(['client_secret_expiring']);
  });

  it('prefers the explicit expiry date over the creation date', async () => {
    const h = vantageHarness({ clientSecretCreatedAt: '2025-10-01', clientSecretExpiresAt: '2027-10-01' });
    const status = await h.connector.getStatus(h.connection);
    expect(status.clientSecretExpiresAt).toBe(Date.UTC(2027, 9, 1));
    expect(status.warnings).toEqual([]);
  });
});
