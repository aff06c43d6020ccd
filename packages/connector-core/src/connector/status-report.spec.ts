import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import type { ConnectionRecord } from '../stores/connection-record.js';
import type { ExpiryPolicy } from '../tokens/expiry-policy.js';
import { clientSecretExpiry, connectionStatus, verdictFrom } from './status-report.js';
import type { ConnectionStatus } from './status.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 5, 1);
const expiry: ExpiryPolicy = {
  expiresInUnit: 'seconds',
  defaultLifetimeSeconds: 3600,
  refreshMarginSeconds: 60,
};
const active: ConnectionRecord = {
  status: 'active',
  tokens: {
    accessToken: 'AT',
    tokenType: 'Bearer',
    issuedAt: NOW,
    expiresAt: NOW + 3_600_000,
    refreshToken: 'RT',
  },
  updatedAt: NOW,
};
const status = (
  record: ConnectionRecord | undefined,
  credentials: Record<string, unknown> = {},
  extra = {},
) =>
  connectionStatus({
    connectorId: 'acme',
    connectionId: 'c-1',
    record,
    credentials,
    clientSecret: { lifetimeDays: 365, warnDays: 30 },
    expiry,
    now: NOW,
    ...extra,
  });

describe('connection status', () => {
  it('knows when the client secret expires: stated date, else creation + lifetime', () => {
    expect(clientSecretExpiry({ clientSecretExpiresAt: '2026-12-31' }, undefined)).toBe(
      Date.UTC(2026, 11, 31),
    );
    expect(clientSecretExpiry({ clientSecretCreatedAt: '2026-01-01' }, { lifetimeDays: 365 })).toBe(
      Date.UTC(2026, 0, 1) + 365 * DAY,
    );
    expect(clientSecretExpiry({ clientSecretCreatedAt: '2026-01-01' }, undefined)).toBeUndefined();
    expect(clientSecretExpiry({}, { lifetimeDays: 365 })).toBeUndefined();
  });

  it('reports a fresh, healthy connection without warnings', () => {
    expect(status(active, { clientSecretCreatedAt: '2026-05-01' })).toEqual({
      connectorId: 'acme',
      connectionId: 'c-1',
      state: 'active',
      reauthorizationReason: undefined,
      accessTokenExpiresAt: NOW + 3_600_000,
      hasRefreshToken: true,
      reauthorizationRequiredAt: undefined,
      clientSecretExpiresAt: Date.UTC(2026, 4, 1) + 365 * DAY,
      clientSecretDaysLeft: 334,
      nextDeadline: { kind: 'client_secret', at: Date.UTC(2026, 4, 1) + 365 * DAY },
      warnings: [],
    });
    expect(status(undefined).state).toBe('not_authorized');
    expect(status({ status: 'active', updatedAt: NOW }).state).toBe('not_authorized');
  });

  it('picks the earliest date a person must act by', () => {
    const deadline = NOW + 12 * DAY;
    const limited = { ...active, refreshTokenDeadline: deadline };
    // A refresh token deadline before the secret's expiry.
    expect(status(limited, { clientSecretCreatedAt: '2026-05-01' }).nextDeadline).toEqual({
      kind: 'reauthorization',
      at: deadline,
    });
    // A secret expiring first, a deadline already past (the most urgent of all).
    expect(status(limited, { clientSecretExpiresAt: '2026-06-05' }).nextDeadline).toEqual({
      kind: 'client_secret',
      at: Date.UTC(2026, 5, 5),
    });
    expect(status({ ...active, refreshTokenDeadline: NOW - DAY }).nextDeadline).toEqual({
      kind: 'reauthorization',
      at: NOW - DAY,
    });
    // An access token nothing can renew is a deadline; one that renews itself is not.
    const noRefresh = { ...active, tokens: { ...active.tokens!, refreshToken: undefined } };
    expect(status(noRefresh).nextDeadline).toEqual({ kind: 'access_token', at: NOW + 3_600_000 });
    expect(status(noRefresh, {}, { renewsWithoutRefreshToken: true }).nextDeadline).toBeUndefined();
    expect(status(active).nextDeadline).toBeUndefined();
    // A connection that needs authorizing has no deadline left but its secret's.
    expect(status({ ...limited, status: 'reauthorization_required' }).nextDeadline).toBeUndefined();
  });

  it('warns 30 days before the client secret expires (HP: 365 days from creation), and once it has', () => {
    const expiring = status(active, { clientSecretCreatedAt: '2025-07-01' });
    expect(expiring.clientSecretDaysLeft).toBe(30);
    expect(expiring.warnings).toEqual([
      {
        code: 'client_secret_expiring',
        at: Date.UTC(2026, 6, 1),
        message: {
          es: 'El secreto de cliente vence en 30 días (2026-07-01): renuévelo pronto.',
          en: 'The client secret expires in 30 days (2026-07-01): rotate it soon.',
        },
      },
    ]);
    // One day left reads in the singular (Intl.PluralRules), in both languages.
    expect(status(active, { clientSecretCreatedAt: '2025-06-02' }).warnings[0]?.message).toEqual({
      es: 'El secreto de cliente vence en 1 día (2026-06-02): renuévelo pronto.',
      en: 'The client secret expires in 1 day (2026-06-02): rotate it soon.',
    });
    expect(status(active, { clientSecretCreatedAt: '2025-07-02' }).clientSecretDaysLeft).toBe(31);
    expect(status(active, { clientSecretCreatedAt: '2025-07-02' }).warnings).toEqual([]);
    const expired = status(active, { clientSecretCreatedAt: '2025-06-01' });
    expect(expired.clientSecretDaysLeft).toBe(0);
    expect(expired.warnings).toEqual([
      {
        code: 'client_secret_expired',
        at: NOW,
        message: {
          es: 'El secreto de cliente venció el 2026-06-01: genere uno nuevo en el portal del proveedor y actualice la conexión.',
          en: "The client secret expired on 2026-06-01: create a new one in the provider's portal and update the connection.",
        },
      },
    ]);
  });

  it('warns before the refresh token deadline (default 3 days) and once it has passed', () => {
    const soon = status({ ...active, refreshTokenDeadline: NOW + 3 * DAY });
    expect(soon.reauthorizationRequiredAt).toBe(NOW + 3 * DAY);
    expect(soon.warnings).toEqual([
      {
        code: 'reauthorization_soon',
        at: NOW + 3 * DAY,
        message: {
          es: 'La conexión deberá autorizarse de nuevo antes del 2026-06-04T00:00:00.000Z (el token de actualización no se puede extender).',
          en: 'The connection must be authorized again before 2026-06-04T00:00:00.000Z (the refresh token cannot be extended).',
        },
      },
    ]);
    expect(status({ ...active, refreshTokenDeadline: NOW + 3 * DAY + 1 }).warnings).toEqual([]);
    expect(
      status(
        { ...active, refreshTokenDeadline: NOW + 5 * DAY },
        {},
        { expiry: { ...expiry, reauthorizationWarningSeconds: 7 * 86_400 } },
      ).warnings.map((w) => w.code),
    ).toEqual(['reauthorization_soon']);
    expect(status({ ...active, refreshTokenDeadline: NOW }).warnings.map((w) => w.code)).toEqual([
      'reauthorization_required',
    ]);
  });

  it('warns when there is no refresh token, and reports the reauthorization state', () => {
    const noRefresh = status({ ...active, tokens: { ...active.tokens!, refreshToken: undefined } });
    expect(noRefresh.hasRefreshToken).toBe(false);
    expect(noRefresh.warnings.map((w) => w.code)).toEqual(['no_refresh_token']);
    expect(
      status({ ...active, status: 'reauthorization_required', reauthorizationReason: 'invalid_grant' }),
    ).toMatchObject({
      state: 'reauthorization_required',
      reauthorizationReason: 'invalid_grant',
      warnings: [],
    });
  });
});

describe('validation verdicts', () => {
  const base: ConnectionStatus = status(active);
  const error = (code: (typeof ErrorCode)[keyof typeof ErrorCode]) =>
    new ConnectorError(code, text('es', 'en'));

  it.each([
    [undefined, 'ok', true],
    [200, 'ok', true],
    [204, 'ok', true],
    [401, 'bad_credentials', false],
    [403, 'bad_credentials', false],
    [404, 'misconfigured', false],
    [405, 'misconfigured', false],
    [400, 'misconfigured', false],
    [410, 'misconfigured', false],
    [408, 'provider_down', false],
    [429, 'provider_down', false],
    [500, 'provider_down', false],
  ])('probe status %p → %s', (probeStatus, outcome, ok) => {
    expect(verdictFrom(base, { probeStatus })).toMatchObject({ outcome, ok, probeStatus, status: base });
  });

  it('a misconfigured probe names the URL (origin and path) and what to check, in es and en', () => {
    const url = 'https://api.example.test/v1/me';
    expect(verdictFrom(base, { probeStatus: 404, probeUrl: url })).toEqual({
      outcome: 'misconfigured',
      ok: false,
      probeStatus: 404,
      probeUrl: url,
      status: base,
      message: {
        es: `El token es válido, pero la llamada de prueba a ${url} respondió HTTP 404: la ruta no existe en esa API: revise la URL base de la API (región, «endpoints.apiBase») y la ruta de validación del conector.`,
        en: `The token was issued, but the probe call to ${url} answered HTTP 404: the path does not exist on that API: check the API base URL (region, “endpoints.apiBase”) and the connector's validation path.`,
      },
    });
    expect(verdictFrom(base, { probeStatus: 405, probeUrl: url }).message.en).toContain(
      "that URL does not accept the probe's method",
    );
    expect(verdictFrom(base, { probeStatus: 422, probeUrl: url }).message.en).toBe(
      `The token was issued, but the probe call to ${url} answered HTTP 422: check the API base URL (region, “endpoints.apiBase”) and the connection settings.`,
    );
  });

  it('explains a 403 (role not allowed)', () => {
    expect(verdictFrom(base, { probeStatus: 403 }).message.en).toBe(
      'The provider denied access (403): the authorizing user does not have an allowed role.',
    );
  });

  it.each([
    [ErrorCode.ReauthorizationRequired, 'reauthorize'],
    [ErrorCode.InvalidCredentials, 'bad_credentials'],
    [ErrorCode.InvalidClient, 'bad_credentials'],
    [ErrorCode.ClientSecretExpired, 'bad_credentials'],
    [ErrorCode.InsecureEndpoint, 'misconfigured'],
    [ErrorCode.OAuthError, 'bad_credentials'],
    [ErrorCode.Configuration, 'bad_credentials'],
    [ErrorCode.ForeignOrigin, 'misconfigured'],
    [ErrorCode.Unsupported, 'bad_credentials'],
    [ErrorCode.ProviderUnavailable, 'provider_down'],
    [ErrorCode.RateLimited, 'provider_down'],
    [ErrorCode.InvalidProviderResponse, 'provider_down'],
  ])('%s → %s, with the error message', (code, outcome) => {
    expect(verdictFrom(base, { error: error(code) })).toEqual({
      outcome,
      ok: false,
      errorCode: code,
      message: { es: 'es', en: 'en' },
      status: base,
      probeStatus: undefined,
      probeUrl: undefined,
    });
  });

  it('rethrows what is not a connector error (a bug, not a verdict)', () => {
    const bug = new TypeError('bug');
    expect(() => verdictFrom(base, { error: bug })).toThrow(bug);
  });
});
