import type { IncomingMessage, ServerResponse } from 'node:http';
import { TimeFormatter, type LocalizedText } from '@aic/connector-core';
import type { PendingAuthorizations } from '../auth/pending.js';
import type { RateLimiter } from '../auth/rate-limiter.js';
import type { Flash, Operator, Session, SessionStore } from '../auth/sessions.js';
import { serializeCookie } from '../http/cookies.js';
import { redirect, sendHtml, type PageSecurity } from '../http/respond.js';
import type { SafeHtml } from '../html/html.js';
import type { Lang } from '../i18n/lang.js';
import type { ResolvedOptions } from '../options.js';
import type { PageContext } from '../views/page-context.js';

/** The console's state shared by every request. */
export interface ConsoleState {
  readonly options: ResolvedOptions;
  readonly sessions: SessionStore;
  readonly pending: PendingAuthorizations;
  readonly limiters: {
    readonly signInPerOperator: RateLimiter;
    readonly signInPerAddress: RateLimiter;
    readonly authorizePerOperator: RateLimiter;
    readonly authorizePerAddress: RateLimiter;
  };
  readonly cookieNames: { readonly session: string; readonly lang: string };
}

/** One request as the handlers see it. */
export interface RequestContext {
  readonly state: ConsoleState;
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: URL;
  /** Path parameters of the matched route (decoded); the callback sets the connection's. */
  params: readonly string[];
  /** The form of a POST (set once its CSRF token was checked; empty for a GET). */
  form: URLSearchParams;
  /** Client address (the trusted proxy's `X-Forwarded-For` when behind it). */
  readonly address: string;
  readonly signal: AbortSignal;
  readonly lang: Lang;
  /** The session; a handler that signs in or out replaces it. */
  session: Session | undefined;
  /** `Set-Cookie` values to send with the response. */
  readonly cookies: string[];
}

/** The signed-in operator (routes that need one run only when there is one). */
export const operatorOf = (context: RequestContext): Operator => context.session!.operator!;

/** The session cookie for `session` (or one that clears it). */
export function sessionCookie(context: RequestContext, session: Session | undefined): string {
  const { options } = context.state;
  return serializeCookie(context.state.cookieNames.session, session?.id ?? '', {
    path: '/',
    httpOnly: true,
    secure: options.secureCookies,
    sameSite: 'Lax',
    ...(session === undefined ? { maxAgeSeconds: 0 } : {}),
  });
}

/** Starts a fresh session (e.g. for the sign-in form's CSRF token) and sets its cookie. */
export function startSession(context: RequestContext, operator?: Operator): Session {
  const session =
    operator === undefined
      ? context.state.sessions.create()
      : context.state.sessions.signIn(context.session, operator);
  context.session = session;
  context.cookies.push(sessionCookie(context, session));
  return session;
}

/**
 * What views need; reading it takes the session's one-time notice. `here` is where the language
 * switch returns to (default: this URL; a page answering a POST names a GET page instead).
 */
export function pageContext(context: RequestContext, here?: string): PageContext {
  const { options } = context.state;
  const session = context.session;
  const flash = session?.flash;
  if (session !== undefined) session.flash = undefined;
  return {
    lang: context.lang,
    base: options.base,
    here:
      here ??
      (context.request.method === 'GET'
        ? `${context.url.pathname}${context.url.search}`
        : `${options.base}/`),
    operator: session?.operator,
    csrfToken: session?.csrfToken,
    time: new TimeFormatter({ lang: context.lang, now: options.clock.now(), timeZone: options.timeZone }),
    flash,
    proxyOnly: options.trustedProxy !== undefined && options.passwords.size === 0,
  };
}

/** Sends a page (with the cookies the request collected). */
export function render(
  context: RequestContext,
  status: number,
  page: SafeHtml,
  options: { readonly security?: PageSecurity; readonly headers?: Record<string, string> } = {},
): void {
  sendHtml(context.response, status, page, {
    ...(options.security === undefined ? {} : { security: options.security }),
    headers: {
      ...options.headers,
      ...(context.cookies.length === 0 ? {} : { 'set-cookie': context.cookies }),
    } as Record<string, string | string[]>,
  });
}

/** 303 to a console path, leaving a one-time notice for the next page. */
export function redirectWith(context: RequestContext, location: string, flash?: Flash): void {
  if (flash !== undefined && context.session !== undefined) context.session.flash = flash;
  redirect(context.response, location, context.cookies.length === 0 ? {} : { 'set-cookie': context.cookies });
}

/** A one-time notice. */
export const notice = (kind: Flash['kind'], message: LocalizedText): Flash => ({ kind, message });

/**
 * One audit entry through the host's logger: who did what to which connection, from where, and
 * how it ended. Never a secret: only ids, names, outcomes and error codes go in.
 */
export function audit(
  context: RequestContext,
  action: string,
  fields: Readonly<Record<string, string | number | boolean | readonly string[] | undefined>>,
): void {
  context.state.options.logger?.log('info', 'audit', {
    action,
    operator: context.session?.operator?.username,
    via: context.session?.operator?.via,
    address: context.address,
    ...fields,
  });
}
