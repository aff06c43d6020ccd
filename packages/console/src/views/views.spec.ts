import { TimeFormatter, text, type ConnectionStatus } from '@aic/connector-core';
import type { StoredConnection } from '../repository.js';
import type { PageContext } from './page-context.js';
import { callbackPage, verdictPage, type VerdictLike } from './result-pages.js';
import { accessTokenPhrase, deadlinePhrase, nextDeadline, reasonText, warningPhrase } from './status-text.js';

const NOW = Date.UTC(2026, 11, 18, 19, 5);
const MIN = 60_000;
const DAY = 86_400_000;

const context = (lang: 'es' | 'en'): PageContext => ({
  lang,
  base: '',
  here: '/',
  operator: { username: 'ana', via: 'password' },
  csrfToken: 'csrf-token',
  time: new TimeFormatter({ lang, now: NOW, timeZone: 'America/Bogota' }),
  flash: undefined,
  proxyOnly: false,
});
const es = context('es');
const en = context('en');

const status = (overrides: Partial<ConnectionStatus> = {}): ConnectionStatus => ({
  connectorId: 'hp-techpulse',
  connectionId: 'hp-acme',
  state: 'active',
  hasRefreshToken: true,
  warnings: [],
  ...overrides,
});

const connection: StoredConnection = {
  id: 'hp-acme',
  connectorId: 'hp-techpulse',
  name: 'HP <Acme>',
  credentials: {},
  createdAt: 0,
  updatedAt: 0,
};

const visible = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('status phrases', () => {
  it('says when the access token expires and whether it renews itself', () => {
    expect(accessTokenPhrase(status({ accessTokenExpiresAt: NOW + 25 * MIN }), es.time)).toBe(
      'vence en 25 min (14:30 GMT-5); se renueva sola: la conexión usa su token de actualización.',
    );
    expect(accessTokenPhrase(status({ accessTokenExpiresAt: NOW - 3 * 60 * MIN }), en.time)).toBe(
      'expired 3 hr ago (11:05 AM GMT-5); it renews itself on the next call (refresh token).',
    );
    expect(
      accessTokenPhrase(status({ accessTokenExpiresAt: NOW + 25 * MIN, hasRefreshToken: false }), es.time),
    ).toBe(
      'vence en 25 min (14:30 GMT-5); después habrá que autorizar de nuevo (no hay token de actualización).',
    );
    expect(
      accessTokenPhrase(status({ accessTokenExpiresAt: NOW - MIN, hasRefreshToken: false }), en.time),
    ).toBe('expired 1 min ago (2:04 PM GMT-5); authorize again (no refresh token).');
    expect(accessTokenPhrase(status({ state: 'not_authorized' }), es.time)).toBeUndefined();
    expect(
      accessTokenPhrase(
        status({ state: 'reauthorization_required', accessTokenExpiresAt: NOW - DAY }),
        es.time,
      ),
    ).toBe('venció hace 1 día (17 de diciembre de 2026 a las 14:05 GMT-5)');
  });

  it('phrases known warnings with local dates and keeps core text for unknown ones', () => {
    const deadline = Date.UTC(2026, 11, 30, 19, 5);
    expect(
      warningPhrase({ code: 'reauthorization_soon', at: deadline, message: text('x', 'x') }, es.time),
    ).toBe(
      'Autorice de nuevo antes del 30 de diciembre de 2026 (en 12 días): el token de actualización no se puede extender.',
    );
    expect(
      warningPhrase(
        { code: 'client_secret_expiring', at: Date.UTC(2027, 0, 1), message: text('x', 'x') },
        en.time,
      ),
    ).toBe('The client secret expires on January 1, 2027 (in 13 days). Rotate it soon.');
    expect(warningPhrase({ code: 'no_refresh_token', message: text('sin token', 'no token') }, en.time)).toBe(
      'no token',
    );
  });

  it('phrases the deadline core picked (core’s status-report spec covers the picking)', () => {
    const reauthorize = nextDeadline(
      status({ nextDeadline: { kind: 'reauthorization', at: NOW + 12 * DAY } }),
    )!;
    expect(deadlinePhrase(reauthorize, es.time)).toBe(
      'Autorizar de nuevo: 30 de diciembre de 2026 (en 12 días)',
    );
    expect(nextDeadline(status({ accessTokenExpiresAt: NOW + MIN }))).toBeUndefined(); // renews itself
    expect(
      deadlinePhrase(
        nextDeadline(status({ nextDeadline: { kind: 'access_token', at: NOW + MIN } }))!,
        en.time,
      ),
    ).toBe('Authorize again: December 18, 2026 (in 1 min)');
    expect(
      deadlinePhrase(
        nextDeadline(status({ nextDeadline: { kind: 'client_secret', at: Date.UTC(2027, 0, 1) } }))!,
        en.time,
      ),
    ).toBe('Rotate the secret: January 1, 2027 (in 13 days)');
  });

  it('explains reauthorization reasons, known or not', () => {
    expect(reasonText('endpoints_changed').es).toContain('cambiaron los endpoints');
    expect(reasonText('something_new')).toEqual({ es: 'something_new', en: 'something_new' });
  });
});

describe('verdict page', () => {
  const verdict = (outcome: string, ok = false): VerdictLike => ({
    outcome,
    ok,
    message: text(`mensaje ${outcome} <b>`, `message ${outcome} <b>`),
    errorCode: ok ? undefined : 'ERR_SOMETHING',
    status: status(),
  });

  it.each([
    ['ok', 'Conexión válida', 'No hay nada que hacer.', undefined],
    [
      'reauthorize',
      'Hay que autorizar de nuevo',
      'Pulse «Autorizar de nuevo»',
      'action="/connections/hp-acme/authorize"',
    ],
    [
      'bad_credentials',
      'Revise la configuración de la conexión',
      'Corrija los datos',
      'href="/connections/hp-acme/edit"',
    ],
    [
      'provider_down',
      'El proveedor no responde',
      'Vuelva a validar en unos minutos.',
      'action="/connections/hp-acme/validate"',
    ],
    [
      'misconfigured',
      'Configuración del host o del proveedor',
      'URI de redirección',
      'href="/connections/hp-acme/edit"',
    ],
    ['brand_new_outcome', 'Resultado: brand_new_outcome', 'Lea el mensaje del conector.', undefined],
  ])('explains %s and what to do', (outcome, title, todo, action) => {
    const page = verdictPage(es, connection, verdict(outcome, outcome === 'ok')).toString();
    const shown = visible(page);
    expect(shown).toContain(title);
    expect(shown).toContain(todo);
    expect(shown).toContain(`mensaje ${outcome} <b>`); // the connector's message, as text
    expect(page).not.toContain(`mensaje ${outcome} <b>`);
    if (action !== undefined) expect(page).toContain(action);
    expect(shown).toContain('HP <Acme>');
  });

  it('is in English for English readers', () => {
    expect(visible(verdictPage(en, connection, verdict('misconfigured')).toString())).toContain(
      'Host or provider configuration',
    );
  });
});

describe('callback page', () => {
  it('offers a way back and a retry after a failure', () => {
    const page = callbackPage(es, {
      connection,
      failure: { code: 'ERR_AUTHORIZATION_DENIED', message: text('<i>denegado</i>', 'denied') },
    }).toString();
    expect(page).toContain('&lt;i&gt;denegado&lt;/i&gt;');
    expect(page).toContain('href="/connections/hp-acme"');
    expect(page).toContain('action="/connections/hp-acme/authorize"');
  });

  it('without a connection, links to the list', () => {
    const page = callbackPage(en, {
      connection: undefined,
      failure: { code: 'X', message: text('x', 'x') },
    }).toString();
    expect(page).toContain('href="/"');
    expect(page).not.toContain('/authorize');
  });
});
