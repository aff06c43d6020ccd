import { registerSecret } from '../../../test/secrets.js';
import { BrowserClient, visibleText } from './support/browser-client.js';
import { HP_SECRET, hpConnection, startConsoleHost, type ConsoleHost } from './support/console-host.js';
import { FakeHp, hpTokenResponse } from './support/fake-hp.js';

const MIN = 60_000;
const CODE = 'code-Zx81-console';
const ACCESS = 'AT-console-0123456789abcdef';
const REFRESH = 'RT-console-0123456789abcdef';
registerSecret(HP_SECRET, 'console HP client secret');
registerSecret(CODE, 'console authorization code');
registerSecret(ACCESS, 'console access token');
registerSecret(REFRESH, 'console refresh token');

let hp: FakeHp;
let host: ConsoleHost;

beforeEach(async () => {
  hp = await new FakeHp().start();
  host = await startConsoleHost();
  await host.repository.save(hpConnection(host, hp.endpoints()));
});
afterEach(async () => {
  await host.close();
  await hp.stop();
});

const audit = () => host.audit.entries.filter((e) => e.message === 'audit').map((e) => e.fields ?? {});

async function signedIn(headers: Record<string, string> = {}): Promise<BrowserClient> {
  const client = new BrowserClient(host.url, headers);
  expect((await client.signIn()).status).toBe(303);
  await client.get('/connections/hp-acme'); // the page whose forms carry the new session's token
  return client;
}

/** Presses "Autorizar": resolves with the provider URL the browser is sent to. */
async function authorize(client: BrowserClient): Promise<URL> {
  const page = await client.post('/connections/hp-acme/authorize');
  expect(page.status).toBe(303);
  return new URL(page.location!);
}

/** What the provider does after login and consent: back to the redirect URI with code and state. */
const callbackFor = (start: URL, params: Record<string, string>) =>
  `/oauth/callback?${new URLSearchParams({ ...params, state: start.searchParams.get('state')! }).toString()}`;

describe('authorize → provider → callback', () => {
  it('sends the browser to the provider, exchanges the code, and shows the result with a way back', async () => {
    const client = await signedIn();
    const start = await authorize(client);
    expect(`${start.origin}${start.pathname}`).toBe(`${hp.origin}/oauth/v1/authorize`);
    expect(Object.fromEntries(start.searchParams)).toEqual({
      client_id: 'acme-api-key',
      redirect_uri: `${host.url}/oauth/callback`,
      response_type: 'code',
      scope: 'Read',
      state: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) as unknown,
    });
    hp.tokenResponses.push({ status: 200, body: hpTokenResponse(ACCESS, REFRESH) });
    const result = await client.get(callbackFor(start, { code: CODE }));
    expect(result.status).toBe(200);
    const text = visibleText(result.body);
    expect(text).toContain('Conexión autorizada');
    expect(text).toContain('La conexión «HP – Acme» quedó autorizada.');
    expect(text).toContain('vence en 30 min');
    expect(result.body).toContain('href="/connections/hp-acme"');
    // HP's exchange: client credentials in the body.
    expect(hp.tokenRequests()).toEqual([
      expect.objectContaining({
        authorization: undefined,
        form: {
          grant_type: 'authorization_code',
          code: CODE,
          redirect_uri: `${host.url}/oauth/callback`,
          client_id: 'acme-api-key',
          client_secret: HP_SECRET,
        },
      }),
    ]);
    for (const shown of [result.body, ...host.audit.lines()]) {
      for (const secret of [HP_SECRET, CODE, ACCESS, REFRESH]) expect(shown).not.toContain(secret);
    }
    expect(audit().map((e) => [e['action'], e['outcome']])).toEqual([
      ['sign_in', 'ok'],
      ['authorize.start', 'ok'],
      ['authorize.complete', 'ok'],
    ]);
  });

  it('refuses another session’s callback without consuming it; the right session completes it afterwards', async () => {
    const owner = await signedIn();
    const start = await authorize(owner);
    const attacker = await signedIn();
    hp.tokenResponses.push({ status: 200, body: hpTokenResponse(ACCESS, REFRESH) });
    const stolen = await attacker.get(callbackFor(start, { code: CODE }));
    expect(stolen.status).toBe(403);
    expect(stolen.body).toContain('ERR_CALLBACK_SESSION');
    const anonymous = await new BrowserClient(host.url).get(callbackFor(start, { code: CODE }));
    expect(anonymous.status).toBe(403);
    expect(hp.tokenRequests()).toEqual([]); // refused before the connector saw it
    expect(audit().filter((e) => e['action'] === 'authorize.callback')).toEqual([
      expect.objectContaining({ outcome: 'refused', reason: 'not_this_session', operator: 'ana' }),
      expect.objectContaining({ outcome: 'refused', reason: 'no_session' }),
    ]);
    const done = await owner.get(callbackFor(start, { code: CODE }));
    expect(done.status).toBe(200);
    expect(hp.tokenRequests()).toHaveLength(1);
    // …and single use.
    expect((await owner.get(callbackFor(start, { code: CODE }))).status).toBe(403);
  });

  it('shows a provider error_description as text, never as markup', async () => {
    const client = await signedIn();
    const start = await authorize(client);
    const payload = '<script>document.title="pwned"</script><img src=x onerror=alert(1)>';
    const page = await client.get(callbackFor(start, { error: 'access_denied', error_description: payload }));
    expect(page.status).toBe(403);
    expect(page.body).not.toContain('<script>document');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).toContain('&lt;script&gt;');
    expect(page.body).toContain('ERR_AUTHORIZATION_DENIED');
    expect(hp.tokenRequests()).toEqual([]);
    expect(audit().at(-1)).toMatchObject({
      action: 'authorize.complete',
      outcome: 'failed',
      code: 'ERR_AUTHORIZATION_DENIED',
      oauthError: 'access_denied',
    });
  });

  it('lets the page with the Authorize form redirect to the provider origin only (CSP form-action)', async () => {
    const client = await signedIn();
    const page = await client.get('/connections/hp-acme');
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' https://daas.api.hp.com https://eu.daas.api.hp.com ${hp.origin}; frame-ancestors 'none'; base-uri 'none'`,
    );
  });
});

describe('limits on authorization starts', () => {
  it('caps pending authorizations per session (3), saying when a slot frees up', async () => {
    const client = await signedIn();
    for (let i = 0; i < 3; i++) await authorize(client);
    const fourth = await client.post('/connections/hp-acme/authorize');
    expect(fourth.status).toBe(429);
    expect(fourth.body).toContain('ERR_PENDING_LIMIT');
    expect(fourth.headers['retry-after']).toBe('600');
    expect(audit().at(-1)).toMatchObject({
      action: 'authorize.start',
      outcome: 'pending_cap',
      cap: 'session',
    });
    host.ports.clock.advance(10 * MIN); // the pending ones expire
    expect((await client.post('/connections/hp-acme/authorize')).status).toBe(303);
  });

  it('caps pending authorizations per connection (5) across sessions', async () => {
    for (let i = 0; i < 2; i++) {
      const client = await signedIn();
      for (let j = 0; j < (i === 0 ? 3 : 2); j++) await authorize(client);
    }
    const client = await signedIn();
    const sixth = await client.post('/connections/hp-acme/authorize');
    expect(sixth.status).toBe(429);
    expect(audit().at(-1)).toMatchObject({ cap: 'connection' });
  });

  it('rate-limits starts per operator (10 per 10 min), counting finished ones too', async () => {
    const client = await signedIn();
    for (let i = 0; i < 10; i++) {
      const start = await authorize(client);
      // The operator cancels at the provider: the pending authorization ends, the start still counts.
      expect((await client.get(callbackFor(start, { error: 'access_denied' }))).status).toBe(403);
    }
    await client.get('/connections/hp-acme');
    const limited = await client.post('/connections/hp-acme/authorize');
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('600');
    expect(audit().at(-1)).toMatchObject({ action: 'authorize.start', outcome: 'rate_limited' });
    host.ports.clock.advance(10 * MIN);
    expect((await client.post('/connections/hp-acme/authorize')).status).toBe(303);
  });
});

describe('Validar conexión', () => {
  async function authorized(): Promise<BrowserClient> {
    const client = await signedIn();
    const start = await authorize(client);
    hp.tokenResponses.push({ status: 200, body: hpTokenResponse(ACCESS, REFRESH) });
    expect((await client.get(callbackFor(start, { code: CODE }))).status).toBe(200);
    await client.get('/connections/hp-acme');
    return client;
  }

  it('calls the probe and says the connection is valid', async () => {
    const client = await authorized();
    const verdict = await client.post('/connections/hp-acme/validate');
    expect(verdict.status).toBe(200);
    const text = visibleText(verdict.body);
    expect(text).toContain('Conexión válida');
    expect(text).toContain('Llamada de prueba: HTTP 200');
    expect(text).toContain('No hay nada que hacer.');
    expect(hp.requests.at(-1)).toMatchObject({
      method: 'GET',
      path: '/analytics/v1/identity/tenants',
      authorization: `Bearer ${ACCESS}`,
    });
    expect(audit().at(-1)).toMatchObject({ action: 'validate', outcome: 'ok', connectionId: 'hp-acme' });
  });

  it('tells the operator to authorize when the refresh token is refused', async () => {
    const client = await authorized();
    host.ports.clock.advance(26 * MIN); // within HP's 5-minute margin: a refresh is due
    hp.tokenResponses.push({ status: 400, body: { error: 'invalid_grant' } });
    const verdict = await client.post('/connections/hp-acme/validate');
    const text = visibleText(verdict.body);
    expect(text).toContain('Hay que autorizar de nuevo');
    expect(text).toContain('ERR_REAUTHORIZATION_REQUIRED');
    expect(verdict.body).toContain('action="/connections/hp-acme/authorize"');
    // HP's refresh: HTTP Basic (plain), redirect_uri included.
    expect(hp.tokenRequests().at(-1)).toMatchObject({
      authorization: `Basic ${Buffer.from(`acme-api-key:${HP_SECRET}`).toString('base64')}`,
      form: {
        grant_type: 'refresh_token',
        refresh_token: REFRESH,
        redirect_uri: `${host.url}/oauth/callback`,
      },
    });
  });

  it('says the provider is down and to try later when the probe gets 5xx', async () => {
    const client = await authorized();
    hp.validAccessTokens.clear();
    hp.validAccessTokens.add('never-matches');
    // 401 → one forced refresh → the provider's token endpoint answers 503 every time.
    for (let i = 0; i < 6; i++)
      hp.tokenResponses.push({ status: 503, body: { error: 'temporarily_unavailable' } });
    const verdict = await client.post('/connections/hp-acme/validate');
    expect(visibleText(verdict.body)).toContain('El proveedor no responde');
  });
});

describe('status page times', () => {
  it('shows local and relative times, and "se renueva sola" once the access token lapsed', async () => {
    const client = await signedIn();
    const start = await authorize(client);
    hp.tokenResponses.push({ status: 200, body: hpTokenResponse(ACCESS, REFRESH) });
    await client.get(callbackFor(start, { code: CODE }));
    let text = visibleText((await client.get('/connections/hp-acme')).body);
    expect(text).toContain('Token de acceso vence en 30 min (14:34 GMT-5); se renueva sola');
    expect(text).toContain('El secreto de cliente vence el 1 de noviembre de 2027 (en 10 meses)');
    for (let i = 0; i < 3; i++) {
      host.ports.clock.advance(25 * MIN); // (the session stays alive: it is used every 25 min)
      text = visibleText((await client.get('/connections/hp-acme')).body);
    }
    expect(text).toContain('venció hace 45 min');
    expect(text).toContain('se renueva sola en la próxima llamada');
    const english = visibleText(
      (await client.get('/connections/hp-acme', { 'accept-language': 'en-US,en;q=0.9' })).body,
    );
    expect(english).toContain('expired 45 min ago (2:34 PM GMT-5); it renews itself on the next call');
    expect(english).not.toMatch(/\b1\d{12}\b/); // no epoch milliseconds anywhere
  });
});

describe('a host that does not allow the endpoints', () => {
  it('says so on the connection page and in the verdict, without calling anything', async () => {
    const strict = await startConsoleHost({ strictEndpoints: true });
    try {
      await strict.repository.save(hpConnection(strict, hp.endpoints()));
      const browser = new BrowserClient(strict.url);
      await browser.signIn();
      const page = await browser.get('/connections/hp-acme');
      expect(page.status).toBe(200);
      expect(visibleText(page.body)).toContain(
        'solo se permite cuando el host activa el modo de desarrollo de su política de endpoints',
      );
      const verdict = await browser.post('/connections/hp-acme/validate');
      expect(visibleText(verdict.body)).toContain('ERR_ENDPOINT_NOT_ALLOWED');
      expect(hp.requests).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
