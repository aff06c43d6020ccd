import { randomBytes } from 'node:crypto';
import { text } from '@aic/connector-core';
import { hashPassword, verifyPassword } from '../auth/password.js';
import { serializeCookie } from '../http/cookies.js';
import { isLang } from '../i18n/lang.js';
import { OPERATOR_NAME } from '../options.js';
import { messagePage, signInPage } from '../views/auth-pages.js';
import { consolePath } from '../views/page-context.js';
import {
  audit,
  notice,
  pageContext,
  redirectWith,
  render,
  sessionCookie,
  startSession,
  type RequestContext,
} from './context.js';

/**
 * Where to go after signing in or switching language: a path of this console only (never
 * another site, never `//host`), else the console's home.
 */
export function safeNext(next: string | null | undefined, base: string): string {
  const home = `${base}/`;
  // eslint-disable-next-line no-control-regex
  const unsafe = /[\\\u0000-\u001f]/;
  if (typeof next !== 'string' || !next.startsWith(home) || next.startsWith('//') || unsafe.test(next)) {
    return home;
  }
  return next.startsWith(`${base}/sign-in`) ? home : next;
}

/** A hash no password matches, verified for unknown names so their timing matches known ones'. */
let decoy: Promise<string> | undefined;
const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomBytes(24).toString('base64url')));

const minutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));

function tooManyAttempts(context: RequestContext, retryAfterMs: number): void {
  const wait = minutes(retryAfterMs);
  render(
    context,
    429,
    messagePage(pageContext(context), {
      title: text('Demasiados intentos', 'Too many attempts'),
      message: text(
        `Se bloquearon los inicios de sesión por un tiempo. Espere ${wait} min y vuelva a intentarlo.`,
        `Sign-ins are blocked for a while. Wait ${wait} min and try again.`,
      ),
      code: 'ERR_RATE_LIMITED',
      links: [{ href: consolePath(context.state.options.base, '/sign-in'), label: text('Volver', 'Back') }],
    }),
    { headers: { 'retry-after': String(Math.ceil(retryAfterMs / 1000)) } },
  );
}

/** GET sign-in: the form (an anonymous session carries its CSRF token). */
export function showSignIn(context: RequestContext): void {
  const { base } = context.state.options;
  if (context.session?.operator !== undefined) {
    redirectWith(context, safeNext(context.url.searchParams.get('next'), base));
    return;
  }
  if (context.session === undefined) startSession(context);
  const page = pageContext(context);
  const signedOut = context.url.searchParams.get('bye') === '1';
  render(
    context,
    200,
    signInPage(signedOut ? { ...page, flash: notice('ok', text('Sesión cerrada.', 'Signed out.')) } : page, {
      next: safeNext(context.url.searchParams.get('next'), base),
    }),
  );
}

/** POST sign-in: rate-limited per address and per operator name, then the password. */
export async function signIn(context: RequestContext): Promise<void> {
  const { options } = context.state;
  const { limiters } = context.state;
  const username = (context.form.get('username') ?? '').trim();
  const password = context.form.get('password') ?? '';
  const next = safeNext(context.form.get('next'), options.base);
  const byAddress = limiters.signInPerAddress.take(context.address);
  if (!byAddress.allowed) {
    audit(context, 'sign_in', { outcome: 'rate_limited', limit: 'address' });
    tooManyAttempts(context, byAddress.retryAfterMs);
    return;
  }
  const nameKey = username.toLowerCase();
  const byOperator = limiters.signInPerOperator.check(nameKey);
  if (!byOperator.allowed) {
    audit(context, 'sign_in', {
      outcome: 'rate_limited',
      limit: 'operator',
      known: options.passwords.has(username),
    });
    tooManyAttempts(context, byOperator.retryAfterMs);
    return;
  }
  const stored = OPERATOR_NAME.test(username) ? options.passwords.get(username) : undefined;
  const valid = (await verifyPassword(password, stored ?? (await decoyHash()))) && stored !== undefined;
  if (!valid) {
    limiters.signInPerOperator.record(nameKey);
    // A mistyped name may be a password typed in the wrong box: only known names are logged.
    audit(
      context,
      'sign_in',
      stored === undefined ? { outcome: 'failed', known: false } : { outcome: 'failed', operator: username },
    );
    render(
      context,
      401,
      signInPage(pageContext(context), {
        next,
        username: OPERATOR_NAME.test(username) ? username : '',
        problem: text('Usuario o contraseña incorrectos.', 'Wrong username or password.'),
      }),
    );
    return;
  }
  limiters.signInPerOperator.reset(nameKey);
  startSession(context, { username, via: 'password' });
  audit(context, 'sign_in', { outcome: 'ok' });
  redirectWith(context, next);
}

/** POST sign-out: the session ends here (server side), the cookie is cleared. */
export function signOut(context: RequestContext): void {
  audit(context, 'sign_out', { outcome: 'ok' });
  if (context.session !== undefined) context.state.sessions.destroy(context.session);
  context.session = undefined;
  context.cookies.push(sessionCookie(context, undefined));
  redirectWith(context, consolePath(context.state.options.base, '/sign-in', { bye: '1' }));
}

/** GET language: remembers the choice in a cookie and goes back to the page. */
export function switchLanguage(context: RequestContext): void {
  const { options } = context.state;
  const lang = context.url.searchParams.get('set');
  if (isLang(lang)) {
    context.cookies.push(
      serializeCookie(context.state.cookieNames.lang, lang, {
        path: '/',
        maxAgeSeconds: 365 * 86_400,
        httpOnly: true,
        secure: options.secureCookies,
        sameSite: 'Lax',
      }),
    );
  }
  redirectWith(context, safeNext(context.url.searchParams.get('next'), options.base));
}
