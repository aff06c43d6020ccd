import { ErrorCode, MemoryTokenStore, StoreFailureError } from '@aic/connector-core';
import { registerSecret } from '../../../test/secrets.js';
import { BrowserClient, visibleText } from './support/browser-client.js';
import { HP_SECRET, hpConnection, startConsoleHost, type ConsoleHost } from './support/console-host.js';
import { FakeHp, hpTokenResponse } from './support/fake-hp.js';

const NEW_SECRET = 'hp-new-secret-Ü-9876543210';
const IMPORTED = 'RT-imported-by-hand-0123456789';
const ACCESS = 'AT-from-import-0123456789';
registerSecret(HP_SECRET, 'console HP client secret');
registerSecret(NEW_SECRET, 'console HP new client secret');
registerSecret(IMPORTED, 'imported refresh token');
registerSecret(ACCESS, 'console access token (import)');

const SCRIPT_NAME = '<script>alert("name")</script>';

let hp: FakeHp;
let host: ConsoleHost;
let client: BrowserClient;

beforeEach(async () => {
  hp = await new FakeHp().start();
  host = await startConsoleHost();
  client = new BrowserClient(host.url);
  expect((await client.signIn()).status).toBe(303);
  await client.get('/');
});
afterEach(async () => {
  await host.close();
  await hp.stop();
});

const audit = () => host.audit.entries.filter((e) => e.message === 'audit').map((e) => e.fields ?? {});

const hpForm = (overrides: Record<string, string> = {}) => ({
  id: 'hp-acme',
  name: 'HP – Acme',
  '/clientId': 'acme-api-key',
  '/clientSecret': HP_SECRET,
  '/clientSecretCreatedAt': '2026-11-01',
  '/redirectUri': `${host.url}/oauth/callback`,
  '/region': 'us',
  '/endpoints/authorization': `${hp.origin}/oauth/v1/authorize`,
  '/endpoints/token': `${hp.origin}/oauth/v1/token`,
  '/endpoints/apiBase': hp.origin,
  ...overrides,
});

describe('new connection (form from the credential schema)', () => {
  it('lists the connectors, then renders the HP form from its schema', async () => {
    const choose = await client.get('/connections/new');
    expect(choose.body).toContain('href="/connections/new?connector=hp-techpulse"');
    const form = await client.get('/connections/new?connector=hp-techpulse');
    const text = visibleText(form.body);
    for (const label of [
      'API Key (ID de cliente)',
      'API Secret (secreto de cliente)',
      'Fecha de creación del API Secret',
      'URI de redirección',
      'Región',
      'Endpoints personalizados (opcional)',
    ]) {
      expect(text).toContain(label);
    }
    expect(form.body).toContain(
      'name="/clientSecretCreatedAt" aria-describedby="f-clientSecretCreatedAt-help" type="date"',
    );
    expect(form.body).not.toContain('name="/refreshToken"'); // imported on its own page
    const english = await client.get('/connections/new?connector=hp-techpulse', { 'accept-language': 'en' });
    expect(visibleText(english.body)).toContain('API Secret (client secret)');
  });

  it('creates the connection with its secret stored, never shown again', async () => {
    const created = await client.post('/connections?connector=hp-techpulse', hpForm());
    expect(created.status).toBe(303);
    expect(created.location).toBe('/connections/hp-acme');
    const stored = await host.repository.get('hp-acme');
    expect(stored).toMatchObject({
      connectorId: 'hp-techpulse',
      name: 'HP – Acme',
      credentials: { clientSecret: HP_SECRET, region: 'us' },
    });
    const page = await client.get('/connections/hp-acme');
    expect(visibleText(page.body)).toContain('Conexión creada. Ahora pulse «Autorizar».');
    expect(visibleText(page.body)).toContain('API Secret (secreto de cliente) guardado (nunca se muestra)');
    const edit = await client.get('/connections/hp-acme/edit');
    for (const shown of [page.body, edit.body, ...host.audit.lines()]) expect(shown).not.toContain(HP_SECRET);
    expect(visibleText(edit.body)).toContain('Guardado. Déjelo en blanco para conservarlo');
    expect(audit().at(-1)).toMatchObject({
      action: 'connection.create',
      connectionId: 'hp-acme',
      connectorId: 'hp-techpulse',
      operator: 'ana',
    });
  });

  it("shows the connector's validation errors by field (JSON pointer), without echoing the secret", async () => {
    const page = await client.post(
      '/connections?connector=hp-techpulse',
      hpForm({
        id: 'bad id',
        '/redirectUri': 'http://aic.example.com/callback',
        '/clientSecretCreatedAt': '',
        '/endpoints/token': 'ftp://x',
      }),
    );
    expect(page.status).toBe(422);
    expect(page.body).toContain('<div class="field invalid">');
    expect(page.body).toContain('id="f-redirectUri-error"');
    expect(page.body).toContain('id="f-clientSecretCreatedAt-error"');
    expect(page.body).toContain('id="f-endpoints-token-error"');
    expect(page.body).toContain('href="#f-redirectUri"');
    const text = visibleText(page.body);
    expect(text).toContain('Hay 4 problemas en el formulario:');
    expect(text).toContain('«URI de redirección» debe usar https');
    expect(text).toContain('El identificador admite letras, números');
    expect(page.body).not.toContain(HP_SECRET);
    expect(page.body).toContain(
      `value="${host.url}/oauth/callback"`
        .replace(host.url, 'http://aic.example.com')
        .replace('/oauth/callback', '/callback'),
    );
    expect(await host.repository.list()).toEqual([]);
  });

  it('refuses an id already taken', async () => {
    await host.repository.save(hpConnection(host, hp.endpoints()));
    const page = await client.post('/connections?connector=hp-techpulse', hpForm());
    expect(page.status).toBe(409);
    expect(visibleText(page.body)).toContain('Ya existe una conexión con el id «hp-acme»');
  });

  it('shows a script in a connection name as text everywhere', async () => {
    await client.post('/connections?connector=hp-techpulse', hpForm({ name: SCRIPT_NAME }));
    for (const path of [
      '/',
      '/connections/hp-acme',
      '/connections/hp-acme/edit',
      '/connections/hp-acme/disconnect',
    ]) {
      const page = await client.get(path);
      expect(page.body).not.toContain('<script>');
      expect(visibleText(page.body)).toContain(SCRIPT_NAME);
    }
  });
});

describe('edit', () => {
  beforeEach(async () => {
    await host.repository.save(hpConnection(host, hp.endpoints()));
    await client.get('/connections/hp-acme/edit');
  });

  it('keeps the stored secret when its field is left blank, and audits field names only', async () => {
    const saved = await client.post(
      '/connections/hp-acme/edit',
      hpForm({ name: 'HP – Acme EU', '/clientSecret': '', '/region': 'eu' }),
    );
    expect(saved.status).toBe(303);
    expect((await host.repository.get('hp-acme'))?.credentials).toMatchObject({
      clientSecret: HP_SECRET,
      region: 'eu',
    });
    expect(audit().at(-1)).toMatchObject({
      action: 'connection.update',
      changed: ['/region'],
      renamed: true,
    });
  });

  it('replaces the secret when a new one is typed (audited by name, never by value)', async () => {
    await client.post('/connections/hp-acme/edit', hpForm({ '/clientSecret': NEW_SECRET }));
    expect((await host.repository.get('hp-acme'))?.credentials['clientSecret']).toBe(NEW_SECRET);
    expect(audit().at(-1)).toMatchObject({ changed: ['/clientSecret'] });
    expect(host.audit.lines().join('\n')).not.toContain(NEW_SECRET);
  });

  it('cannot change the id, and re-shows errors with the stored secret still kept', async () => {
    const page = await client.post(
      '/connections/hp-acme/edit',
      hpForm({ id: 'other', '/clientSecret': '', '/region': 'asia' }),
    );
    expect(page.status).toBe(422);
    expect(visibleText(page.body)).toContain('«Región» debe ser uno de: us, eu');
    expect(page.body).not.toContain(HP_SECRET);
    expect(await host.repository.get('other')).toBeUndefined();
    expect((await host.repository.get('hp-acme'))?.credentials['region']).toBe('us');
  });
});

describe('import of a refresh token obtained by hand', () => {
  beforeEach(async () => {
    await host.repository.save(hpConnection(host, hp.endpoints()));
    await client.get('/connections/hp-acme/import');
  });

  it('tries the token at once, stores the grant, and drops it from the credentials', async () => {
    hp.tokenResponses.push({ status: 200, body: hpTokenResponse(ACCESS, IMPORTED) });
    const page = await client.post('/connections/hp-acme/import', { refreshToken: IMPORTED });
    expect(page.status).toBe(200);
    expect(visibleText(page.body)).toContain('Token importado.');
    expect(visibleText(page.body)).toContain('Conexión válida');
    expect(hp.tokenRequests()).toEqual([
      expect.objectContaining({
        form: expect.objectContaining({ grant_type: 'refresh_token', refresh_token: IMPORTED }) as unknown,
      }),
    ]);
    expect((await host.repository.get('hp-acme'))?.credentials).not.toHaveProperty('refreshToken');
    expect(page.body).not.toContain(IMPORTED);
    expect(audit().at(-1)).toMatchObject({ action: 'import', outcome: 'ok', connectionId: 'hp-acme' });
  });

  it('refuses to replace an active grant (nothing is lost)', async () => {
    hp.tokenResponses.push({ status: 200, body: hpTokenResponse(ACCESS, IMPORTED) });
    await client.post('/connections/hp-acme/import', { refreshToken: IMPORTED });
    await client.get('/connections/hp-acme/import');
    const again = await client.post('/connections/hp-acme/import', {
      refreshToken: 'RT-another-one-0123456789',
    });
    expect(again.status).toBe(409);
    expect(visibleText(again.body)).toContain('ya tiene una autorización activa');
    expect(hp.tokenRequests()).toHaveLength(1);
    expect(audit().at(-1)).toMatchObject({ action: 'import', outcome: 'refused', reason: 'active_grant' });
  });

  it('keeps the imported token for another try while the provider is down', async () => {
    for (let i = 0; i < 4; i++)
      hp.tokenResponses.push({ status: 503, body: { error: 'temporarily_unavailable' } });
    const page = await client.post('/connections/hp-acme/import', { refreshToken: IMPORTED });
    expect(visibleText(page.body)).toContain('El proveedor no responde');
    expect((await host.repository.get('hp-acme'))?.credentials['refreshToken']).toBe(IMPORTED);
  });
});

describe('disconnect and delete (with a confirmation step)', () => {
  beforeEach(async () => {
    await host.repository.save(hpConnection(host, hp.endpoints()));
    hp.tokenResponses.push({ status: 200, body: hpTokenResponse(ACCESS, IMPORTED) });
    await client.get('/connections/hp-acme/import');
    await client.post('/connections/hp-acme/import', { refreshToken: IMPORTED });
  });

  it('asks first, then forgets the tokens and keeps the settings', async () => {
    const confirm = await client.get('/connections/hp-acme/disconnect');
    expect(visibleText(confirm.body)).toContain('¿Desconectar?');
    expect(confirm.body).toContain('action="/connections/hp-acme/disconnect"');
    const done = await client.post('/connections/hp-acme/disconnect');
    expect(done.status).toBe(303);
    const page = await client.get('/connections/hp-acme');
    expect(visibleText(page.body)).toContain('Desconectada: se olvidaron sus tokens.');
    expect(visibleText(page.body)).toContain('Estado Sin autorizar');
    expect(await host.repository.get('hp-acme')).toBeDefined();
    expect(audit().at(-1)).toMatchObject({ action: 'disconnect', outcome: 'ok' });
  });

  it('deletes the connection and its tokens after confirmation', async () => {
    expect(visibleText((await client.get('/connections/hp-acme/delete')).body)).toContain(
      '¿Eliminar la conexión?',
    );
    const done = await client.post('/connections/hp-acme/delete');
    expect(done.location).toBe('/');
    expect(await host.repository.get('hp-acme')).toBeUndefined();
    expect(visibleText((await client.get('/')).body)).toContain('Se eliminó «HP – Acme».');
    expect(await host.ports.tokenStore.get('hp-techpulse\u001fhp-acme')).toBeUndefined();
    expect(audit().at(-1)).toMatchObject({ action: 'connection.delete', outcome: 'ok' });
  });

  it('deletes a connection whose settings no longer validate, forgetting its tokens all the same', async () => {
    const stored = await host.repository.get('hp-acme');
    await host.repository.save({ ...stored!, credentials: { ...stored!.credentials, region: 'mars' } });
    await client.get('/connections/hp-acme/delete');
    expect((await client.post('/connections/hp-acme/delete')).location).toBe('/');
    expect(await host.repository.get('hp-acme')).toBeUndefined();
    expect(await host.ports.tokenStore.get('hp-techpulse\u001fhp-acme')).toBeUndefined();
  });
});

describe('delete when the token store fails', () => {
  /** A token store whose deletes fail, as a store that lost its disk or its server would. */
  class FailingDeletes extends MemoryTokenStore {
    override delete(): Promise<void> {
      return Promise.reject(new StoreFailureError('unavailable', 'test store'));
    }
  }

  it('keeps the connection (nothing orphaned in the store) and says why', async () => {
    await host.close();
    host = await startConsoleHost({ tokenStore: new FailingDeletes() });
    client = new BrowserClient(host.url);
    await client.signIn();
    await host.repository.save(hpConnection(host, hp.endpoints()));
    await client.get('/connections/hp-acme/delete');
    const refused = await client.post('/connections/hp-acme/delete');
    expect(refused.status).toBe(409);
    expect(await host.repository.get('hp-acme')).toBeDefined();
    expect(audit().at(-1)).toMatchObject({
      action: 'connection.delete',
      outcome: 'failed',
      code: ErrorCode.StoreFailure,
    });
  });
});

describe('connection list', () => {
  it('shows connector, state, next deadline and warnings per connection', async () => {
    await host.repository.save(hpConnection(host, hp.endpoints()));
    await host.repository.save(
      hpConnection(host, hp.endpoints(), {
        id: 'hp-old',
        name: 'HP – secreto viejo',
        credentials: {
          ...hpConnection(host, hp.endpoints()).credentials,
          clientSecretCreatedAt: '2025-12-01',
        },
      }),
    );
    const list = visibleText((await client.get('/')).body);
    expect(list).toContain(
      'HP – Acme hp-acme HP TechPulse Sin autorizar Renovar el secreto: 1 de noviembre de 2027 (en 10 meses)',
    );
    expect(list).toContain(
      'HP – secreto viejo hp-old HP TechPulse Sin autorizar Renovar el secreto: 1 de diciembre de 2026 (hace 18 días)',
    );
    expect(list).toContain(
      'El secreto de cliente venció el 1 de diciembre de 2026 (hace 18 días): genere uno nuevo',
    );
    const english = visibleText((await client.get('/', { 'accept-language': 'en' })).body);
    expect(english).toContain('Rotate the secret: December 1, 2026 (18 days ago)');
  });
});

describe('language', () => {
  it('switches with a visible link, remembered in a cookie, and never redirects off the console', async () => {
    const page = await client.get('/connections/new');
    expect(page.body).toContain('href="/language?set=en&amp;next=%2Fconnections%2Fnew"');
    const switched = await client.get('/language?set=en&next=%2Fconnections%2Fnew');
    expect(switched.location).toBe('/connections/new');
    expect(switched.setCookies).toEqual(['aic_lang=en; Path=/; Max-Age=31536000; HttpOnly; SameSite=Lax']);
    expect(visibleText((await client.get('/')).body)).toContain('Connections');
    expect((await client.get('/language?set=es&next=https%3A%2F%2Fevil.example')).location).toBe('/');
  });
});

describe('mounted under a base path', () => {
  it('serves only under it, keeps the callback path given, and leaves the rest to the host', async () => {
    const mounted = await startConsoleHost({ basePath: '/console', callbackPath: '/oauth/callback' });
    try {
      const browser = new BrowserClient(mounted.url);
      expect((await browser.get('/console')).location).toBe('/console/');
      expect((await browser.get('/console/')).location).toBe('/console/sign-in?next=%2Fconsole%2F');
      expect((await browser.get('/host/health')).body).toBe('host route');
      expect((await browser.get('/oauth/callback?state=x&code=y')).status).toBe(403);
      expect(mounted.console.callbackPath).toBe('/oauth/callback');
    } finally {
      await mounted.close();
    }
  });
});
