import { networkInterfaces } from 'node:os';
import { hashPassword } from '@aic/console';
import { BrowserClient, visibleText } from './support/browser-client.js';
import { OPERATOR, anaHash, startConsoleHost, type ConsoleHost } from './support/console-host.js';

const MIN = 60_000;
let host: ConsoleHost;

beforeEach(async () => {
  host = await startConsoleHost();
});
afterEach(async () => {
  await host.close();
});

const auditEntries = () => host.audit.entries.filter((e) => e.message === 'audit').map((e) => e.fields);

describe('every route but the callback needs a signed-in operator', () => {
  it.each([
    '/',
    '/connections/new',
    '/connections/hp-acme',
    '/connections/hp-acme/edit',
    '/connections/hp-acme/import',
  ])('GET %s without a session goes to the sign-in page, remembering where it was going', async (path) => {
    const page = await new BrowserClient(host.url).get(path);
    expect(page.status).toBe(303);
    expect(page.location).toBe(`/sign-in?next=${encodeURIComponent(path)}`);
  });

  it.each(['/connections', '/connections/hp-acme/authorize', '/connections/hp-acme/validate', '/sign-out'])(
    'POST %s without a session is refused (401) and does nothing',
    async (path) => {
      const page = await new BrowserClient(host.url).send('POST', path, { x: '1' });
      expect(page.status).toBe(401);
      expect(page.body).toContain('ERR_NOT_SIGNED_IN');
    },
  );

  it('leaves paths that are not the console to the host', async () => {
    const client = new BrowserClient(host.url);
    expect((await client.get('/host/health')).body).toBe('host route');
    const missing = await client.get('/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('ERR_NOT_FOUND');
  });
});

describe('sign-in', () => {
  it('gives the sign-in form an anonymous session whose cookie is HttpOnly and SameSite=Lax', async () => {
    const client = new BrowserClient(host.url);
    const form = await client.get('/sign-in?next=%2Fconnections%2Fnew');
    expect(form.status).toBe(200);
    expect(form.setCookies).toEqual([
      expect.stringMatching(/^aic_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/),
    ]);
    expect(form.body).toContain('name="next" value="/connections/new"');
    expect(client.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('signs in with the right password: a new session id, then the page asked for', async () => {
    const client = new BrowserClient(host.url);
    await client.get('/sign-in');
    const anonymous = client.cookies.get('aic_session');
    const done = await client.post('/sign-in', { ...OPERATOR, next: '/connections/new' });
    expect(done.status).toBe(303);
    expect(done.location).toBe('/connections/new');
    expect(client.cookies.get('aic_session')).not.toBe(anonymous);
    const home = await client.get('/');
    expect(home.status).toBe(200);
    expect(visibleText(home.body)).toContain('Operador: ana');
    expect(auditEntries()).toContainEqual(
      expect.objectContaining({ action: 'sign_in', outcome: 'ok', operator: 'ana', via: 'password' }),
    );
  });

  it('refuses a wrong password or an unknown name with the same message, logging only known names', async () => {
    const client = new BrowserClient(host.url);
    const wrong = await client.signIn('ana', 'not-the-password');
    const unknown = await client.signIn('someone-else', 'x');
    for (const page of [wrong, unknown]) {
      expect(page.status).toBe(401);
      expect(visibleText(page.body)).toContain('Usuario o contraseña incorrectos.');
    }
    expect(auditEntries()).toEqual([
      expect.objectContaining({ action: 'sign_in', outcome: 'failed', operator: 'ana' }),
      {
        action: 'sign_in',
        outcome: 'failed',
        known: false,
        operator: undefined,
        via: undefined,
        address: '127.0.0.1',
      },
    ]);
    expect(host.audit.lines().join('\n')).not.toContain('not-the-password');
  });

  it('never redirects off the console after sign-in', async () => {
    for (const next of [
      'https://evil.example/',
      '//evil.example/x',
      '/\\evil.example',
      'javascript:alert(1)',
    ]) {
      const client = new BrowserClient(host.url);
      expect((await client.signIn(OPERATOR.username, OPERATOR.password, next)).location).toBe('/');
    }
  });

  it('blocks an operator name after 5 failures in 15 min, even with the right password, then lets it in', async () => {
    const client = new BrowserClient(host.url);
    for (let i = 0; i < 5; i++) expect((await client.signIn('ana', `wrong-${i}`)).status).toBe(401);
    const blocked = await client.signIn();
    expect(blocked.status).toBe(429);
    expect(blocked.headers['retry-after']).toBe('900');
    expect(blocked.body).toContain('ERR_RATE_LIMITED');
    host.ports.clock.advance(15 * MIN);
    expect((await client.signIn()).status).toBe(303);
  });

  it('blocks an address after 20 attempts in 15 min, whatever the names', async () => {
    const client = new BrowserClient(host.url);
    for (let i = 0; i < 20; i++) expect((await client.signIn(`user${i}`, 'x')).status).toBe(401);
    expect((await client.signIn()).status).toBe(429);
    expect(auditEntries().at(-1)).toMatchObject({
      action: 'sign_in',
      outcome: 'rate_limited',
      limit: 'address',
    });
  });
});

describe('CSRF: a synchronizer token on every form, checked on every POST', () => {
  it('refuses a sign-in without the token, or with another session’s', async () => {
    const client = new BrowserClient(host.url);
    await client.get('/sign-in');
    const without = await client.post('/sign-in', { ...OPERATOR }, { csrf: false });
    expect(without.status).toBe(403);
    expect(without.body).toContain('ERR_CSRF');
    const other = new BrowserClient(host.url);
    await other.get('/sign-in');
    const foreign = await client.post('/sign-in', { ...OPERATOR, _csrf: other.csrf! });
    expect(foreign.status).toBe(403);
    expect(auditEntries().filter((e) => e?.['action'] === 'csrf_refused')).toHaveLength(2);
  });

  it('refuses a signed-in POST without its token and creates nothing', async () => {
    const client = new BrowserClient(host.url);
    await client.signIn();
    await client.get('/');
    const page = await client.post(
      '/connections?connector=hp-techpulse',
      { id: 'x', name: 'x', '/clientId': 'k', '/clientSecret': 's' },
      { csrf: false },
    );
    expect(page.status).toBe(403);
    expect(await host.repository.list()).toEqual([]);
  });
});

describe('sessions end', () => {
  it('after 30 minutes idle, and 12 hours after sign-in however active', async () => {
    const client = new BrowserClient(host.url);
    await client.signIn();
    host.ports.clock.advance(29 * MIN);
    expect((await client.get('/')).status).toBe(200);
    host.ports.clock.advance(30 * MIN);
    expect((await client.get('/')).status).toBe(303);

    await client.signIn();
    for (let hour = 0; hour < 12; hour++) {
      for (let step = 0; step < 3; step++) {
        host.ports.clock.advance(20 * MIN);
        expect((await client.get('/')).status).toBe(hour === 11 && step === 2 ? 303 : 200);
      }
    }
  });

  it('on sign-out: the cookie is cleared and the old session id no longer works', async () => {
    const client = new BrowserClient(host.url);
    await client.signIn();
    await client.get('/');
    const stolen = client.cookies.get('aic_session')!;
    const out = await client.post('/sign-out');
    expect(out.status).toBe(303);
    expect(out.location).toBe('/sign-in?bye=1');
    expect(out.setCookies).toContainEqual(
      expect.stringMatching(/^aic_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Lax$/),
    );
    const replay = await new BrowserClient(host.url).get('/', { cookie: `aic_session=${stolen}` });
    expect(replay.status).toBe(303);
    expect(visibleText((await client.get('/sign-in?bye=1')).body)).toContain('Sesión cerrada.');
  });
});

describe('cookies: __Host- and Secure by configuration, never by a client header', () => {
  it('uses __Host-aic_session with Secure when secureCookies is on, whatever X-Forwarded-Proto says', async () => {
    const secure = await startConsoleHost({ secureCookies: true });
    try {
      const page = await new BrowserClient(secure.url, { 'x-forwarded-proto': 'http' }).get('/sign-in');
      expect(page.setCookies).toEqual([
        expect.stringMatching(
          /^__Host-aic_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
        ),
      ]);
    } finally {
      await secure.close();
    }
  });

  it('never adds Secure because a client sends X-Forwarded-Proto: https', async () => {
    const page = await new BrowserClient(host.url, { 'x-forwarded-proto': 'https' }).get('/sign-in');
    expect(page.setCookies[0]).not.toContain('Secure');
    expect(page.setCookies[0]).toMatch(/^aic_session=/);
  });

  const external = Object.values(networkInterfaces())
    .flat()
    .find((i) => i !== undefined && !i.internal && i.family === 'IPv4')?.address;

  (external === undefined ? it.skip : it)(
    'refuses to serve insecure cookies on a non-loopback address',
    async () => {
      const exposed = await startConsoleHost({ listen: '0.0.0.0' });
      try {
        const port = new URL(exposed.url).port;
        const page = await new BrowserClient(`http://${external}:${port}`).get('/sign-in');
        expect(page.status).toBe(500);
        expect(page.body).toContain('ERR_CONSOLE_CONFIG');
        expect(page.setCookies).toEqual([]);
      } finally {
        await exposed.close();
      }
    },
  );
});

describe('operators from a trusted proxy header', () => {
  const proxied = (extra: Record<string, unknown> = {}) =>
    startConsoleHost({
      trustedProxy: { header: 'x-forwarded-user', addresses: ['127.0.0.1'], operators: ['carlos'], ...extra },
    });

  it('signs in the operator the proxy names, from the proxy address only', async () => {
    const proxy = await proxied();
    try {
      const page = await new BrowserClient(proxy.url, { 'x-forwarded-user': 'carlos' }).get('/');
      expect(page.status).toBe(200);
      expect(visibleText(page.body)).toContain('Operador: carlos');
      expect(proxy.audit.entries.map((e) => e.fields)).toContainEqual(
        expect.objectContaining({ action: 'sign_in', operator: 'carlos', via: 'proxy' }),
      );
      const refused = await new BrowserClient(proxy.url, { 'x-forwarded-user': 'mallory' }).get('/');
      expect(refused.status).toBe(403);
      expect(refused.body).toContain('ERR_NOT_AN_OPERATOR');
    } finally {
      await proxy.close();
    }
  });

  it('ignores the header from an address that is not the proxy', async () => {
    const proxy = await proxied({ addresses: ['10.9.8.7'] });
    try {
      const page = await new BrowserClient(proxy.url, { 'x-forwarded-user': 'carlos' }).get('/');
      expect(page.status).toBe(303);
      expect(page.location).toBe('/sign-in?next=%2F');
    } finally {
      await proxy.close();
    }
  });
});

describe('security headers', () => {
  it('sends a CSP without script, nosniff, no-referrer and no framing on every page', async () => {
    const page = await new BrowserClient(host.url).get('/sign-in');
    expect(page.headers).toMatchObject({
      'content-security-policy':
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cache-control': 'no-store',
    });
    expect(page.body).not.toMatch(/<script|\son[a-z]+=|style="/i);
  });

  it('answers 405 with Allow for a wrong method', async () => {
    const client = new BrowserClient(host.url);
    await client.signIn();
    const page = await client.get('/connections/hp-acme/validate');
    expect(page.status).toBe(405);
    expect(page.headers['allow']).toBe('POST');
  });
});

describe('password hashes', () => {
  it('accepts hashes of any allowed cost in the configuration', async () => {
    const strong = await hashPassword('otra-clave', { logN: 11 });
    const other = await startConsoleHost({
      operators: [
        { username: 'ana', passwordHash: await anaHash() },
        { username: 'luis', passwordHash: strong },
      ],
    });
    try {
      expect((await new BrowserClient(other.url).signIn('luis', 'otra-clave')).status).toBe(303);
    } finally {
      await other.close();
    }
  });
});
