/**
 * The operator console in a real browser: headless Chromium (Debian's, through puppeteer-core)
 * against the reference host, with a real authorization server on loopback (oidc-provider, set
 * up like HP TechPulse) and a resource server answering HP's probe path. Walked in Spanish and
 * in English: sign-in → new HP TechPulse connection (form from its schema) → authorize → provider
 * login and consent → callback → status → Validar conexión → disconnect. Then what is refused:
 * a route without a session, a form without its CSRF token, another session's callback, and
 * script payloads (a connection name, a provider's error_description) rendered inert.
 *
 * Screenshots: test-results/console/*.png (git-ignored); a few are copied to docs/console.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { EncryptedFileTokenStore, MemoryLogger, generateStoreKey } from '@aic/connector-core';
import { hashPassword } from '@aic/console';
import { registerSecret } from '../../../test/secrets.js';
import { SealedFileConnectionRepository, createReferenceHost, type ReferenceHost } from '../src/index.js';
import { HpLikeAuthorizationServer } from './support/authorization-server.js';
import { launchChromium } from './support/chromium.js';

const OPERATOR = { username: 'ana', password: 'clave-de-operadora-Ñ-1' };
const HP_ACCOUNT = { username: 'tecnico@acme.example', password: 'clave-hp-tecnico-7' };
const CLIENT = { id: 'aic-console-client', secret: 'hp-like-client-secret-0123456789' };
const NAME_PAYLOAD = 'HP Acme <script>window.__pwned = "name"</script><img src=x onerror="window.__pwned=1">';
const DESCRIPTION_PAYLOAD = '<script>window.__pwned = "description"</script><b>denied</b>';
registerSecret(OPERATOR.password, 'walk operator password');
registerSecret(HP_ACCOUNT.password, 'walk provider account password');
registerSecret(CLIENT.secret, 'walk client secret');

const RESULTS = join(process.cwd(), 'test-results', 'console');

let dir: string;
let host: ReferenceHost;
let base: string;
let server: HpLikeAuthorizationServer;
let browser: Browser;
let logger: MemoryLogger;
const timings: Record<string, number> = {};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aic-walk-'));
  await mkdir(RESULTS, { recursive: true });
  const key = generateStoreKey();
  logger = new MemoryLogger();
  const tokens = new EncryptedFileTokenStore({ path: join(dir, 'tokens.enc'), keys: { current: key } });
  host = await createReferenceHost({
    connectorPackages: ['@aic/provider-hp-techpulse'],
    connectionRepository: new SealedFileConnectionRepository({
      path: join(dir, 'connections.enc'),
      keys: { current: key },
    }),
    console: {
      operators: [
        { username: OPERATOR.username, passwordHash: await hashPassword(OPERATOR.password, { logN: 12 }) },
      ],
      secureCookies: false, // plain http on loopback: cookies without the __Host- prefix
      timeZone: 'America/Bogota',
    },
    // The authorization and resource servers listen on loopback: development endpoints only.
    endpoints: { development: true },
    tokenStore: tokens,
    pendingStore: tokens.pending,
    logger,
  });
  base = (await host.listen(0)).href.replace(/\/$/, '');
  server = await HpLikeAuthorizationServer.start({
    redirectUri: `${base}/oauth/callback`,
    clientId: CLIENT.id,
    clientSecret: CLIENT.secret,
    accounts: { [HP_ACCOUNT.username]: HP_ACCOUNT.password },
  });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await host?.close();
  await rm(dir, { recursive: true, force: true });
  await writeFile(join(RESULTS, 'walk.json'), `${JSON.stringify({ durationsMs: timings }, null, 2)}\n`);
});

/** A fresh browser profile (its own cookies) whose pages record any dialog a script opens. */
async function session(
  acceptLanguage: string,
): Promise<{ context: BrowserContext; page: Page; dialogs: string[]; errors: string[] }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  await page.setExtraHTTPHeaders({ 'accept-language': acceptLanguage });
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // Content-Security-Policy violations the pages report (blocked script, style, form target…).
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      errors.push(message.text());
    }
  });
  return { context, page, dialogs, errors };
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
const heading = (page: Page) => page.$eval('h1', (h) => h.textContent?.trim() ?? '');
const mainText = (page: Page) =>
  page.$eval('main', (m) => (m as unknown as { innerText: string }).innerText.replace(/\s+/g, ' '));

/** Clicks and waits for the navigation it causes. */
async function clickAndWait(page: Page, selector: string): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)]);
}

async function signIn(page: Page): Promise<void> {
  await page.goto(`${base}/`, { waitUntil: 'load' });
  await page.type('#username', OPERATOR.username);
  await page.type('#password', OPERATOR.password);
  await clickAndWait(page, 'main form button[type=submit]');
}

async function loginAtProvider(page: Page): Promise<void> {
  await page.waitForSelector('#hp-username');
  await page.type('#hp-username', HP_ACCOUNT.username);
  await page.type('#hp-password', HP_ACCOUNT.password);
  await clickAndWait(page, '#hp-login');
}

const WORDS = {
  es: {
    signIn: 'Iniciar sesión',
    connections: 'Conexiones',
    newConnection: 'Nueva conexión',
    clientIdLabel: 'API Key (ID de cliente)',
    created: 'Conexión creada. Ahora pulse «Autorizar».',
    authorized: 'Conexión autorizada',
    expires: 'vence en 30 min',
    renews: 'se renueva sola',
    valid: 'Conexión válida',
    disconnected: 'Desconectada: se olvidaron sus tokens.',
    notAuthorized: 'Sin autorizar',
    redirectError: '«URI de redirección» debe usar https',
  },
  en: {
    signIn: 'Sign in',
    connections: 'Connections',
    newConnection: 'New connection',
    clientIdLabel: 'API Key (client ID)',
    created: 'Connection created. Now press “Authorize”.',
    authorized: 'Connection authorized',
    expires: 'expires in 30 min',
    renews: 'it renews itself',
    valid: 'The connection is valid',
    disconnected: 'Disconnected: its tokens were forgotten.',
    notAuthorized: 'Not authorized',
    redirectError: '“Redirect URI” must use https',
  },
} as const;

describe.each(['es', 'en'] as const)('the operator walk in %s', (lang) => {
  const words = WORDS[lang];
  const id = `hp-acme-${lang}`;
  // The English walk names its connection with a script payload; the Spanish one plainly.
  const name = lang === 'en' ? NAME_PAYLOAD : 'HP – Acme Colombia';

  it('sign-in → new HP connection → authorize at the provider → status → Validar conexión → disconnect', async () => {
    const started = Date.now();
    // The Spanish walk gets Spanish from Accept-Language; the English one uses the visible switch.
    const { context, page, dialogs, errors } = await session('es-CO,es;q=0.9');
    try {
      await page.goto(`${base}/`, { waitUntil: 'load' });
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      if (lang === 'en') await clickAndWait(page, 'nav.lang a[hreflang=en]');
      expect(await heading(page)).toBe(words.signIn);
      expect(await page.$eval('html', (h) => h.lang)).toBe(lang);
      await shot(page, `${lang}-1-sign-in`);
      await page.type('#username', OPERATOR.username);
      await page.type('#password', OPERATOR.password);
      await clickAndWait(page, 'main form button[type=submit]');
      expect(await heading(page)).toBe(words.connections);

      // New connection: the form comes from HP's credential schema.
      await clickAndWait(page, `a[href="/connections/new"]`);
      await clickAndWait(page, `a[href="/connections/new?connector=hp-techpulse"]`);
      expect(await page.$eval('label[for="f-clientId"]', (l) => l.textContent)).toBe(words.clientIdLabel);
      expect(await page.$eval('#f-clientSecret', (i) => (i as unknown as { type: string }).type)).toBe(
        'password',
      );
      expect(
        await page.$eval('#f-clientSecretCreatedAt', (i) => (i as unknown as { type: string }).type),
      ).toBe('date');
      expect(
        await page.$$eval('#f-region option', (o) => o.map((x) => (x as unknown as { value: string }).value)),
      ).toEqual(['us', 'eu']);
      const endpoints = server.endpoints();
      await page.type('#connection-name', name);
      await page.type('#connection-id', id);
      await page.type('#f-clientId', CLIENT.id);
      await page.type('#f-clientSecret', CLIENT.secret);
      await page.$eval(
        '#f-clientSecretCreatedAt',
        (i) => ((i as unknown as { value: string }).value = '2026-11-01'),
      );
      await page.type('#f-redirectUri', 'http://aic.example.com/oauth/callback'); // refused: not https
      await page.select('#f-region', 'us');
      await page.type('#f-endpoints-authorization', endpoints.authorization);
      await page.type('#f-endpoints-token', endpoints.token);
      await page.type('#f-endpoints-apiBase', endpoints.apiBase);
      await shot(page, `${lang}-2-new-connection`);
      await clickAndWait(page, 'form.card button[type=submit]');
      // The connector's InvalidCredentialsError, shown at its field; the secret is not sent back.
      expect(await page.$eval('#f-redirectUri-error', (p) => p.textContent)).toContain(words.redirectError);
      expect(await page.$eval('#f-clientSecret', (i) => (i as unknown as { value: string }).value)).toBe('');
      await shot(page, `${lang}-3-field-error`);
      await page.$eval('#f-redirectUri', (i) => ((i as unknown as { value: string }).value = ''));
      await page.type('#f-redirectUri', `${base}/oauth/callback`);
      await page.type('#f-clientSecret', CLIENT.secret);
      await clickAndWait(page, 'form.card button[type=submit]');
      expect(new URL(page.url()).pathname).toBe(`/connections/${id}`);
      expect(await page.$eval('.flash', (f) => f.textContent?.trim())).toBe(words.created);
      expect(await heading(page)).toBe(name); // the name, as text
      expect(await page.$$('main script, main img')).toHaveLength(0);

      // Authorize: to the provider, sign in there, consent, back to the callback.
      await clickAndWait(page, `form[action="/connections/${id}/authorize"] button`);
      expect(new URL(page.url()).origin).toBe(server.issuer);
      await shot(page, `${lang}-4-provider-login`);
      await loginAtProvider(page);
      await clickAndWait(page, '#hp-allow');
      expect(new URL(page.url()).pathname).toBe('/oauth/callback');
      expect(await heading(page)).toBe(words.authorized);
      await shot(page, `${lang}-5-callback`);

      // Status with local and relative times.
      await clickAndWait(page, `a[href="/connections/${id}"]`);
      const status = await mainText(page);
      expect(status).toContain(words.expires);
      expect(status).toContain(words.renews);
      expect(status).toMatch(lang === 'es' ? /\(\d{1,2}:\d{2} GMT-5\)/ : /\(\d{1,2}:\d{2} [AP]M GMT-5\)/);
      await shot(page, `${lang}-6-status`);

      // Validar conexión: the probe against the resource server, with the provider's token.
      const accepted = server.probes.accepted;
      await clickAndWait(page, `form[action="/connections/${id}/validate"] button`);
      expect(await mainText(page)).toContain(words.valid);
      expect(await mainText(page)).toContain('HTTP 200');
      expect(server.probes.accepted).toBe(accepted + 1);
      await shot(page, `${lang}-7-validate`);

      // Disconnect, with its confirmation step.
      await clickAndWait(page, `main .actions a[href="/connections/${id}"]`);
      await clickAndWait(page, `a[href="/connections/${id}/disconnect"]`);
      await shot(page, `${lang}-8-disconnect-confirm`);
      await clickAndWait(page, `form[action="/connections/${id}/disconnect"] button.danger`);
      expect(await page.$eval('.flash', (f) => f.textContent?.trim())).toBe(words.disconnected);
      expect(await mainText(page)).toContain(words.notAuthorized);

      await clickAndWait(page, 'a.brand');
      expect(await mainText(page)).toContain(name);
      await shot(page, `${lang}-9-connections`);

      // Never a script run, a policy violation, a raw JSON page or an epoch time on the way.
      expect(dialogs).toEqual([]);
      expect(errors).toEqual([]);
      expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await mainText(page)).not.toMatch(/\b1\d{12}\b/);
    } finally {
      await context.close();
      timings[lang] = Date.now() - started;
    }
  }, 90_000);
});

describe('what the browser is refused', () => {
  let id: string;

  beforeAll(async () => {
    id = 'hp-refusals';
    const now = Date.now();
    await host.connections.save({
      id,
      connectorId: 'hp-techpulse',
      name: 'HP refusals',
      credentials: {
        clientId: CLIENT.id,
        clientSecret: CLIENT.secret,
        clientSecretCreatedAt: '2026-11-01',
        redirectUri: `${base}/oauth/callback`,
        region: 'us',
        endpoints: server.endpoints(),
      },
      createdAt: now,
      updatedAt: now,
    });
  });

  it('a route without a session goes to the sign-in page', async () => {
    const { context, page } = await session('es');
    try {
      const response = await page.goto(`${base}/connections/${id}`, { waitUntil: 'load' });
      expect(response?.status()).toBe(200);
      expect(page.url()).toBe(`${base}/sign-in?next=%2Fconnections%2F${id}`);
      expect(await page.$$('form[action$="/validate"]')).toHaveLength(0);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('a form without its CSRF token does nothing', async () => {
    const { context, page } = await session('es');
    try {
      await signIn(page);
      await page.goto(`${base}/connections/${id}`, { waitUntil: 'load' });
      const probes = server.probes.accepted + server.probes.refused;
      await page.$eval(`form[action="/connections/${id}/validate"] input[name=_csrf]`, (input) =>
        input.remove(),
      );
      await clickAndWait(page, `form[action="/connections/${id}/validate"] button`);
      expect(await heading(page)).toBe('Formulario rechazado');
      expect(await mainText(page)).toContain('ERR_CSRF');
      expect(server.probes.accepted + server.probes.refused).toBe(probes);
      await shot(page, 'refused-csrf');
    } finally {
      await context.close();
    }
  }, 60_000);

  it("another session's callback is refused and consumes nothing; the right session completes it", async () => {
    const owner = await session('es');
    const other = await session('en');
    try {
      await signIn(owner.page);
      await owner.page.goto(`${base}/connections/${id}`, { waitUntil: 'load' });
      // Stop the owner's browser at the callback and keep its URL (code and state).
      await owner.page.setRequestInterception(true);
      let callback: string | undefined;
      owner.page.on('request', (request) => {
        if (request.url().startsWith(`${base}/oauth/callback`)) {
          callback = request.url();
          void request.abort();
        } else void request.continue();
      });
      await clickAndWait(owner.page, `form[action="/connections/${id}/authorize"] button`);
      await loginAtProvider(owner.page);
      await owner.page.click('#hp-allow');
      await owner.page.waitForFunction(() => true);
      for (let i = 0; i < 100 && callback === undefined; i++) await new Promise((r) => setTimeout(r, 50));
      expect(callback).toBeDefined();

      await signIn(other.page);
      await other.page.goto(callback!, { waitUntil: 'load' });
      expect(await heading(other.page)).toBe('Authorization response refused');
      expect(await mainText(other.page)).toContain('ERR_CALLBACK_SESSION');
      await shot(other.page, 'refused-other-session-callback');

      await owner.page.setRequestInterception(false);
      owner.page.removeAllListeners('request');
      await owner.page.goto(callback!, { waitUntil: 'load' });
      expect(await heading(owner.page)).toBe('Conexión autorizada');
    } finally {
      await owner.context.close();
      await other.context.close();
    }
  }, 90_000);

  it("a script in the provider's error_description is shown as text and never runs", async () => {
    const { context, page, dialogs } = await session('es');
    server.denyDescription = DESCRIPTION_PAYLOAD;
    try {
      await signIn(page);
      await page.goto(`${base}/connections/${id}`, { waitUntil: 'load' });
      await clickAndWait(page, `form[action="/connections/${id}/authorize"] button`);
      await loginAtProvider(page);
      await clickAndWait(page, '#hp-deny');
      expect(new URL(page.url()).pathname).toBe('/oauth/callback');
      expect(await heading(page)).toBe('La autorización no se completó');
      expect(await page.$eval('#failure-message', (p) => p.textContent)).toBe(
        `El usuario o el proveedor negó la autorización (access_denied): ${DESCRIPTION_PAYLOAD}.`,
      );
      expect(await page.$$('main script, main b')).toHaveLength(0);
      expect(dialogs).toEqual([]);
      expect(await page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).toBeUndefined();
      await shot(page, 'refused-error-description');
    } finally {
      await context.close();
    }
  }, 90_000);

  it('logged who did what, and never a secret', () => {
    const lines = logger.lines().join('\n');
    for (const secret of [OPERATOR.password, HP_ACCOUNT.password, CLIENT.secret])
      expect(lines).not.toContain(secret);
    const actions = logger.entries.filter((e) => e.message === 'audit').map((e) => e.fields?.['action']);
    for (const action of [
      'sign_in',
      'connection.create',
      'authorize.start',
      'authorize.complete',
      'validate',
      'disconnect',
      'csrf_refused',
      'authorize.callback',
    ]) {
      expect(actions).toContain(action);
    }
  });
});
