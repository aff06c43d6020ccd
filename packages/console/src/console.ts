import type { IncomingMessage, ServerResponse } from 'node:http';
import { text } from '@aic/connector-core';
import { PendingAuthorizations } from './auth/pending.js';
import { RateLimiter } from './auth/rate-limiter.js';
import { SessionStore, type Operator } from './auth/sessions.js';
import { RequestBodyError, readForm } from './http/body.js';
import { clientAddress, isLoopbackAddress, normalizeAddress } from './http/client-address.js';
import { parseCookies } from './http/cookies.js';
import { SECURITY_HEADERS } from './http/respond.js';
import { negotiateLang } from './i18n/lang.js';
import { OPERATOR_NAME, resolveOptions, type ConsoleOptions, type ResolvedOptions } from './options.js';
import { showSignIn, signIn, signOut, switchLanguage } from './routes/auth-routes.js';
import {
  confirmAction,
  createConnection,
  deleteConnection,
  disconnectConnection,
  editConnectionForm,
  listConnections,
  newConnectionForm,
  showConnection,
  updateConnection,
} from './routes/connection-routes.js';
import { notFoundPage } from './routes/connection-support.js';
import {
  audit,
  pageContext,
  redirectWith,
  render,
  startSession,
  type ConsoleState,
  type RequestContext,
} from './routes/context.js';
import {
  completeAuthorization,
  importForm,
  importRefreshToken,
  startAuthorization,
  validateConnection,
} from './routes/oauth-routes.js';
import { messagePage } from './views/auth-pages.js';
import { consolePath } from './views/page-context.js';
import { STYLESHEET } from './views/stylesheet.js';

/** The console as a host mounts it. */
export interface OperatorConsole {
  /**
   * Serves a request if it is one of the console's routes (resolves `true`), else leaves it to
   * the host (resolves `false`, nothing written).
   */
  handle(request: IncomingMessage, response: ServerResponse): Promise<boolean>;
  /** The operator signed in on this request, for host routes that share the console's sign-in. */
  operatorOf(request: IncomingMessage): Operator | undefined;
  /** A "not found" page in the console's look, for the host's unmatched paths. */
  notFound(request: IncomingMessage, response: ServerResponse): void;
  /** The OAuth callback path (every connection's `redirectUri` ends with it). */
  readonly callbackPath: string;
  readonly basePath: string;
}

type Access = 'operator' | 'public' | 'callback';

interface Route {
  readonly method: 'GET' | 'POST';
  readonly pattern: RegExp;
  readonly access: Access;
  readonly run: (context: RequestContext) => Promise<void> | void;
}

const ID = '([^/]+)';
const path = (source: string): RegExp => new RegExp(`^${source}$`);

const ROUTES: readonly Route[] = [
  { method: 'GET', pattern: path('/'), access: 'operator', run: listConnections },
  { method: 'GET', pattern: path('/sign-in'), access: 'public', run: showSignIn },
  { method: 'POST', pattern: path('/sign-in'), access: 'public', run: signIn },
  { method: 'POST', pattern: path('/sign-out'), access: 'operator', run: signOut },
  { method: 'GET', pattern: path('/language'), access: 'public', run: switchLanguage },
  { method: 'GET', pattern: path('/connections/new'), access: 'operator', run: newConnectionForm },
  { method: 'POST', pattern: path('/connections'), access: 'operator', run: createConnection },
  { method: 'GET', pattern: path(`/connections/${ID}`), access: 'operator', run: showConnection },
  { method: 'GET', pattern: path(`/connections/${ID}/edit`), access: 'operator', run: editConnectionForm },
  { method: 'POST', pattern: path(`/connections/${ID}/edit`), access: 'operator', run: updateConnection },
  {
    method: 'POST',
    pattern: path(`/connections/${ID}/authorize`),
    access: 'operator',
    run: startAuthorization,
  },
  {
    method: 'POST',
    pattern: path(`/connections/${ID}/validate`),
    access: 'operator',
    run: validateConnection,
  },
  { method: 'GET', pattern: path(`/connections/${ID}/import`), access: 'operator', run: importForm },
  { method: 'POST', pattern: path(`/connections/${ID}/import`), access: 'operator', run: importRefreshToken },
  {
    method: 'GET',
    pattern: path(`/connections/${ID}/disconnect`),
    access: 'operator',
    run: (c) => confirmAction(c, 'disconnect'),
  },
  {
    method: 'POST',
    pattern: path(`/connections/${ID}/disconnect`),
    access: 'operator',
    run: disconnectConnection,
  },
  {
    method: 'GET',
    pattern: path(`/connections/${ID}/delete`),
    access: 'operator',
    run: (c) => confirmAction(c, 'delete'),
  },
  { method: 'POST', pattern: path(`/connections/${ID}/delete`), access: 'operator', run: deleteConnection },
];

const CALLBACK_ROUTE: Route = { method: 'GET', pattern: /^/, access: 'callback', run: completeAuthorization };

/**
 * The operator console: request handlers a `node:http` host mounts in a few lines.
 *
 * ```ts
 * const console = createConsole({ connectors: registry, connections, operators });
 * createServer(async (req, res) => {
 *   if (await console.handle(req, res)) return;
 *   // …the host's own routes
 * });
 * ```
 *
 * Every route but the OAuth callback needs a signed-in operator; the callback needs the session
 * that started the authorization. Throws {@link ConsoleConfigError} for unusable options.
 */
export function createConsole(options: ConsoleOptions): OperatorConsole {
  const resolved = resolveOptions(options);
  const pending = new PendingAuthorizations(resolved.pendingLimits, resolved.clock);
  const sessions = new SessionStore(resolved.sessions, resolved.clock, (session) =>
    pending.endSession(session.id),
  );
  const limiter = (limit: keyof ResolvedOptions['rateLimits']) =>
    new RateLimiter(resolved.rateLimits[limit], resolved.clock);
  const state: ConsoleState = {
    options: resolved,
    sessions,
    pending,
    limiters: {
      signInPerOperator: limiter('signInPerOperator'),
      signInPerAddress: limiter('signInPerAddress'),
      authorizePerOperator: limiter('authorizePerOperator'),
      authorizePerAddress: limiter('authorizePerAddress'),
    },
    cookieNames: resolved.secureCookies
      ? { session: '__Host-aic_session', lang: '__Host-aic_lang' }
      : // Browsers refuse `__Host-` cookies without `Secure`, and `Secure` ones over http.
        { session: 'aic_session', lang: 'aic_lang' },
  };

  return {
    callbackPath: resolved.callbackPath,
    basePath: resolved.base,
    handle: (request, response) => handle(state, request, response),
    operatorOf: (request) => {
      const proxied = proxyOperator(request, resolved);
      if (proxied !== undefined) return proxied === 'refused' ? undefined : proxied;
      return sessions.get(parseCookies(request.headers.cookie).get(state.cookieNames.session))?.operator;
    },
    notFound: (request, response) => {
      const context = contextFor(
        state,
        request,
        response,
        new URL(request.url ?? '/', 'http://console.invalid'),
        [],
      );
      notFoundPage(context);
    },
  };
}

/** The operator a trusted proxy vouches for, `'refused'` for a name not allowed, else undefined. */
function proxyOperator(request: IncomingMessage, options: ResolvedOptions): Operator | 'refused' | undefined {
  const proxy = options.trustedProxy;
  if (proxy === undefined || !proxy.addresses.has(normalizeAddress(request.socket.remoteAddress)))
    return undefined;
  const value = request.headers[proxy.header];
  if (typeof value !== 'string' || value === '') return undefined;
  if (!OPERATOR_NAME.test(value) || (proxy.operators !== undefined && !proxy.operators.has(value)))
    return 'refused';
  return { username: value, via: 'proxy' };
}

function contextFor(
  state: ConsoleState,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  params: readonly string[],
): RequestContext {
  const cookies = parseCookies(request.headers.cookie);
  const controller = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) controller.abort(new Error('the browser went away'));
  });
  return {
    state,
    request,
    response,
    url,
    params,
    form: new URLSearchParams(),
    address: clientAddress(request, state.options.trustedProxy?.addresses ?? new Set()),
    signal: controller.signal,
    lang: negotiateLang(request.headers['accept-language'], cookies.get(state.cookieNames.lang)),
    session: state.sessions.get(cookies.get(state.cookieNames.session)),
    cookies: [],
  };
}

function findRoute(
  state: ConsoleState,
  method: string,
  pathname: string,
): { route: Route; params: string[] } | { allow: string } | 'redirect-base' | undefined {
  const { base, callbackPath } = state.options;
  if (pathname === callbackPath) {
    return method === 'GET' ? { route: CALLBACK_ROUTE, params: [] } : { allow: 'GET' };
  }
  if (base !== '' && pathname === base) return 'redirect-base';
  if (base !== '' && !pathname.startsWith(`${base}/`)) return undefined;
  const relative = pathname.slice(base.length);
  const matches = ROUTES.map((route) => ({ route, found: route.pattern.exec(relative) })).filter(
    (m) => m.found !== null,
  );
  if (matches.length === 0) return undefined;
  const chosen = matches.find((m) => m.route.method === method);
  if (chosen === undefined) return { allow: [...new Set(matches.map((m) => m.route.method))].join(', ') };
  try {
    return { route: chosen.route, params: chosen.found!.slice(1).map((p) => decodeURIComponent(p)) };
  } catch {
    return undefined; // malformed percent-encoding: not a path of ours
  }
}

async function handle(
  state: ConsoleState,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  const url = new URL(request.url ?? '/', 'http://console.invalid');
  const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
  const { options } = state;
  if (url.pathname === `${options.base}/assets/console.css` && method === 'GET') {
    response.writeHead(200, {
      ...SECURITY_HEADERS,
      'cache-control': 'public, max-age=3600',
      'content-type': 'text/css; charset=utf-8',
    });
    response.end(request.method === 'HEAD' ? undefined : STYLESHEET);
    return true;
  }
  const found = findRoute(state, method, url.pathname);
  if (found === undefined) return false;
  const params = typeof found === 'object' && 'params' in found ? found.params : [];
  const context = contextFor(state, request, response, url, params);
  try {
    if (found === 'redirect-base') {
      redirectWith(context, `${options.base}/`);
      return true;
    }
    if (!options.secureCookies && !isLoopbackAddress(request.socket.localAddress)) {
      // Cookies without Secure are only acceptable where nobody else can listen: loopback.
      options.logger?.log(
        'error',
        'console refused a request: secureCookies is false but the request did not arrive on loopback',
      );
      render(
        context,
        500,
        messagePage(pageContext(context), {
          title: text('Consola mal configurada', 'Console misconfigured'),
          message: text(
            'La consola sin cookies seguras solo atiende en loopback (127.0.0.1). El administrador debe servirla por https y activar las cookies seguras.',
            'Without secure cookies the console only serves loopback (127.0.0.1). The administrator must serve it over https with secure cookies on.',
          ),
          code: 'ERR_CONSOLE_CONFIG',
        }),
      );
      return true;
    }
    if ('allow' in found) {
      render(
        context,
        405,
        messagePage(pageContext(context), {
          title: text('Método no permitido', 'Method not allowed'),
          message: text('Use los botones y enlaces de la consola.', "Use the console's buttons and links."),
          code: 'ERR_METHOD_NOT_ALLOWED',
        }),
        { headers: { allow: found.allow } },
      );
      return true;
    }
    const { route } = found;
    const proxied = proxyOperator(request, options);
    if (proxied === 'refused') {
      render(
        context,
        403,
        messagePage(pageContext(context), {
          title: text('Operador no autorizado', 'Operator not allowed'),
          message: text(
            'Su usuario no es operador de esta consola.',
            'Your user is not an operator of this console.',
          ),
          code: 'ERR_NOT_AN_OPERATOR',
        }),
      );
      return true;
    }
    if (
      proxied !== undefined &&
      (context.session?.operator?.username !== proxied.username || context.session.operator.via !== 'proxy')
    ) {
      startSession(context, proxied);
      audit(context, 'sign_in', { outcome: 'ok' });
    }
    if (route.access === 'operator' && context.session?.operator === undefined) {
      if (method === 'GET') {
        redirectWith(
          context,
          consolePath(options.base, '/sign-in', { next: `${url.pathname}${url.search}` }),
        );
      } else {
        render(
          context,
          401,
          messagePage(pageContext(context), {
            title: text('Inicie sesión', 'Sign in'),
            message: text(
              'Su sesión terminó o no ha iniciado sesión: nada se hizo.',
              'Your session ended or you are not signed in: nothing was done.',
            ),
            code: 'ERR_NOT_SIGNED_IN',
            links: [
              { href: consolePath(options.base, '/sign-in'), label: text('Iniciar sesión', 'Sign in') },
            ],
          }),
        );
      }
      return true;
    }
    if (route.method === 'POST') {
      let form: URLSearchParams;
      try {
        form = await readForm(request);
      } catch (error) {
        if (!(error instanceof RequestBodyError)) throw error;
        render(
          context,
          error.status,
          messagePage(pageContext(context), {
            title: text('Solicitud no válida', 'Invalid request'),
            message: text('El formulario no se pudo leer.', 'The form could not be read.'),
            code: error.code,
          }),
        );
        return true;
      }
      if (context.session === undefined || !state.sessions.csrfMatches(context.session, form.get('_csrf'))) {
        audit(context, 'csrf_refused', { path: url.pathname });
        render(
          context,
          403,
          messagePage(pageContext(context), {
            title: text('Formulario rechazado', 'Form refused'),
            message: text(
              'El formulario no trae el código de esta sesión (venció la sesión o no salió de esta consola): nada se hizo. Vuelva a abrir la página e inténtelo de nuevo.',
              'The form does not carry this session’s code (the session ended or it did not come from this console): nothing was done. Open the page again and retry.',
            ),
            code: 'ERR_CSRF',
          }),
        );
        return true;
      }
      context.form = form;
    }
    await route.run(context);
  } catch (error) {
    const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
    options.logger?.log('error', 'console request failed', {
      path: url.pathname,
      error: typeof name === 'string' ? name : typeof error,
      code: typeof code === 'string' ? code : undefined,
    });
    if (!response.headersSent) {
      render(
        context,
        500,
        messagePage(pageContext(context), {
          title: text('Error interno', 'Internal error'),
          message: text(
            'Algo falló en la consola; quedó registrado. Intente de nuevo.',
            'Something failed in the console; it was logged. Try again.',
          ),
          code: 'ERR_INTERNAL',
        }),
      );
    }
  }
  return true;
}
