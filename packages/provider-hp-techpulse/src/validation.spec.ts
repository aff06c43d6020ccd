import nock from 'nock';
import { ErrorCode } from '@aic/connector-core';
import {
  ORIGIN,
  authorizedHarness,
  guardNetwork,
  hpHarness,
  hpToken,
  refreshScope,
} from './__fixtures__/hp-harness.js';

guardNetwork();

const DAY = 86_400_000;
const tenant = { id: 'tenant-uuid-1', displayName: 'ACME' };

/** The harness clock starts at 2026-11-23T12:00Z; HP secrets live 365 days from creation. */
describe('client secret lifetime (365 days from its creation date)', () => {
  it.each([
    // created        expires (00:00Z)  days left  warning
    ['2026-06-01', '2027-06-01', 189, []],
    ['2025-12-25', '2026-12-25', 31, []],
    ['2025-12-24', '2026-12-24', 30, ['client_secret_expiring']],
    ['2025-11-24', '2026-11-24', 0, ['client_secret_expiring']],
    ['2025-11-23', '2026-11-23', -1, ['client_secret_expired']],
  ])('created %s → expires %s, %i days left, warnings %j', async (created, expires, daysLeft, warnings) => {
    const h = hpHarness('us', { clientSecretCreatedAt: created });
    const status = await h.connector.getStatus(h.connection);
    expect(status.clientSecretExpiresAt).toBe(Date.parse(`${expires}T00:00:00Z`));
    expect(status.clientSecretDaysLeft).toBe(daysLeft);
    expect(status.warnings.map((w) => w.code)).toEqual(warnings);
  });

  it('warns in Spanish and English with the expiry date', async () => {
    const h = hpHarness('us', { clientSecretCreatedAt: '2025-12-24' });
    const [warning] = (await h.connector.getStatus(h.connection)).warnings;
    expect(warning?.message).toEqual({
      es: 'El secreto de cliente vence en 30 días (2026-12-24): renuévelo pronto.',
      en: 'The client secret expires in 30 days (2026-12-24): rotate it soon.',
    });
    expect(warning?.at).toBe(Date.UTC(2026, 11, 24));
  });

  it('an expired secret fails "Validar conexión" clearly, without any network call', async () => {
    const h = hpHarness('us', { clientSecretCreatedAt: '2025-11-01' });
    const verdict = await h.connector.validateConnection(h.connection);
    expect(verdict).toMatchObject({
      outcome: 'bad_credentials',
      ok: false,
      errorCode: ErrorCode.ClientSecretExpired,
      probeStatus: undefined,
    });
    expect(verdict.message.en).toContain('expired on 2026-11-01');
    expect(verdict.message.es).toContain('venció el 2026-11-01');
    expect(verdict.status.clientSecretDaysLeft).toBe(-23);
  });
});

describe('validateConnection ("Validar conexión")', () => {
  it('gets a token and GETs /analytics/v1/identity/tenants with the Bearer token', async () => {
    const h = await authorizedHarness('us', { clientSecretCreatedAt: '2025-12-24' });
    const probe = nock(ORIGIN.us)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-1')
      .matchHeader('accept', 'application/json')
      .reply(200, tenant);
    const verdict = await h.connector.validateConnection(h.connection);
    probe.done();
    expect(verdict).toMatchObject({ outcome: 'ok', ok: true, probeStatus: 200 });
    expect(verdict.status).toMatchObject({
      state: 'active',
      hasRefreshToken: true,
      clientSecretDaysLeft: 30,
      accessTokenExpiresAt: h.clock.now() + 1_799_999,
    });
    expect(verdict.status.warnings.map((w) => w.code)).toEqual(['client_secret_expiring']);
  });

  it('uses the imported refresh token of a connection migrated from the manual procedure', async () => {
    const h = hpHarness('eu', { refreshToken: 'RT-POSTMAN' });
    const refresh = refreshScope('eu', 'RT-POSTMAN', 200, hpToken('AT-1', 'RT-1'));
    const probe = nock(ORIGIN.eu)
      .get('/analytics/v1/identity/tenants')
      .matchHeader('authorization', 'Bearer AT-1')
      .reply(200, tenant);
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({ outcome: 'ok' });
    refresh.done();
    probe.done();
  });

  it('asks for an authorization when the connection has none, without a request', async () => {
    const h = hpHarness();
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'reauthorize',
      errorCode: ErrorCode.ReauthorizationRequired,
    });
  });

  it('explains a 403: the authorizing user lacks an allowed role', async () => {
    const h = await authorizedHarness();
    nock(ORIGIN.us).get('/analytics/v1/identity/tenants').reply(403);
    const verdict = await h.connector.validateConnection(h.connection);
    expect(verdict).toMatchObject({ outcome: 'bad_credentials', ok: false, probeStatus: 403 });
    expect(verdict.message.en).toContain('allowed role');
  });

  it('reports HP down (503 after retries) as provider_down', async () => {
    const h = await authorizedHarness();
    h.clock.advance(DAY);
    refreshScope('us', 'RT-1', 200, hpToken('AT-2', 'RT-2'));
    nock(ORIGIN.us).get('/analytics/v1/identity/tenants').times(4).reply(503);
    expect(await h.connector.validateConnection(h.connection)).toMatchObject({
      outcome: 'provider_down',
      errorCode: ErrorCode.ProviderUnavailable,
    });
  });
});
