import {
  ErrorCode,
  InvalidCredentialsError,
  text,
  type AuthorizationResult,
  type ConnectionStatus,
} from '@aic/connector-core';
import { redirect } from '../http/respond.js';
import { messagePage } from '../views/auth-pages.js';
import { importPage } from '../views/action-pages.js';
import { connectionPath } from '../views/page-context.js';
import { callbackPage, verdictPage, type VerdictLike } from '../views/result-pages.js';
import { audit, operatorOf, pageContext, render, type RequestContext } from './context.js';
import {
  authorizeSecurity,
  describeFailure,
  failurePage,
  importsRefreshToken,
  inputOf,
  loadConnection,
} from './connection-support.js';
import { withoutImportedToken } from './connection-routes.js';

const minutes = (ms: number): number => Math.max(1, Math.ceil(ms / 60_000));

/** The HTTP status of a failed callback (HP asks for 401 on a state mismatch). */
function callbackStatus(code: string): number {
  switch (code) {
    case ErrorCode.StateMismatch:
    case ErrorCode.StateExpired:
      return 401;
    case ErrorCode.AuthorizationDenied:
      return 403;
    case ErrorCode.InvalidCallback:
    case ErrorCode.InvalidAuthorizationCode:
      return 400;
    case ErrorCode.ProviderUnavailable:
    case ErrorCode.InvalidProviderResponse:
      return 502;
    case ErrorCode.RateLimited:
      return 503;
    default:
      return 409;
  }
}

/**
 * POST /connections/:id/authorize: rate limits (operator, address), the pending caps (session,
 * connection), then the connector builds the URL; the state is bound to this session.
 */
export async function startAuthorization(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored, connector, input } = loaded;
  const { limiters, pending } = context.state;
  const operator = operatorOf(context);
  const session = context.session!;
  const fields = { connectionId: stored.id, connectorId: stored.connectorId };
  const byOperator = limiters.authorizePerOperator.check(operator.username);
  const byAddress = limiters.authorizePerAddress.check(context.address);
  const limited = !byOperator.allowed ? byOperator : !byAddress.allowed ? byAddress : undefined;
  if (limited !== undefined && !limited.allowed) {
    audit(context, 'authorize.start', { ...fields, outcome: 'rate_limited' });
    render(
      context,
      429,
      messagePage(pageContext(context), {
        title: text('Demasiadas autorizaciones iniciadas', 'Too many authorizations started'),
        message: text(
          `Espere ${minutes(limited.retryAfterMs)} min antes de iniciar otra.`,
          `Wait ${minutes(limited.retryAfterMs)} min before starting another.`,
        ),
        code: 'ERR_RATE_LIMITED',
        links: [
          {
            href: connectionPath(context.state.options.base, stored.id),
            label: text('Volver a la conexión', 'Back to the connection'),
          },
        ],
      }),
      { headers: { 'retry-after': String(Math.ceil(limited.retryAfterMs / 1000)) } },
    );
    return;
  }
  const admission = pending.admit(session.id, stored.id);
  if (!admission.admitted) {
    audit(context, 'authorize.start', { ...fields, outcome: 'pending_cap', cap: admission.cap });
    const wait = minutes(admission.retryAfterMs);
    render(
      context,
      429,
      messagePage(pageContext(context), {
        title: text('Hay autorizaciones pendientes', 'Authorizations are pending'),
        message:
          admission.cap === 'session'
            ? text(
                `Esta sesión ya tiene el máximo de autorizaciones esperando al proveedor. Termine la que abrió (o espere ${wait} min a que venza).`,
                `This session already has the most authorizations waiting for the provider. Finish the one you opened (or wait ${wait} min for it to expire).`,
              )
            : text(
                `Esta conexión ya tiene el máximo de autorizaciones esperando al proveedor. Espere ${wait} min a que venzan.`,
                `This connection already has the most authorizations waiting for the provider. Wait ${wait} min for them to expire.`,
              ),
        code: 'ERR_PENDING_LIMIT',
        links: [
          {
            href: connectionPath(context.state.options.base, stored.id),
            label: text('Volver a la conexión', 'Back to the connection'),
          },
        ],
      }),
      { headers: { 'retry-after': String(Math.ceil(admission.retryAfterMs / 1000)) } },
    );
    return;
  }
  limiters.authorizePerOperator.record(operator.username);
  limiters.authorizePerAddress.record(context.address);
  let start;
  try {
    start = await connector.startAuthorization(input, { signal: context.signal });
  } catch (error) {
    audit(context, 'authorize.start', { ...fields, outcome: 'failed', code: describeFailure(error).code });
    failurePage(context, error instanceof InvalidCredentialsError ? 422 : 409, stored, error);
    return;
  }
  pending.bind(session.id, stored.id, start.state, start.expiresAt);
  audit(context, 'authorize.start', { ...fields, outcome: 'ok' });
  redirect(
    context.response,
    start.url,
    context.cookies.length === 0 ? {} : { 'set-cookie': context.cookies },
  );
}

/**
 * GET <callbackPath>: only the session that started the authorization may complete it. Any
 * other (or none) is refused before the connector sees the callback: nothing is consumed.
 */
export async function completeAuthorization(context: RequestContext): Promise<void> {
  const state = context.url.searchParams.get('state');
  const binding = context.state.pending.claim(context.session?.id, state);
  if (binding === undefined) {
    audit(context, 'authorize.callback', {
      outcome: 'refused',
      reason: context.session === undefined ? 'no_session' : 'not_this_session',
    });
    render(
      context,
      403,
      messagePage(pageContext(context), {
        title: text('Respuesta de autorización rechazada', 'Authorization response refused'),
        message: text(
          'Esta respuesta del proveedor no corresponde a una autorización iniciada en esta sesión del navegador (o ya se usó, o venció). No se usó: inicie sesión y pulse «Autorizar» en la conexión.',
          'This response from the provider does not belong to an authorization started in this browser session (or it was used already, or it expired). It was not used: sign in and press “Authorize” on the connection.',
        ),
        code: 'ERR_CALLBACK_SESSION',
      }),
    );
    return;
  }
  context.params = [binding.connectionId];
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored, connector, input } = loaded;
  const fields = { connectionId: stored.id, connectorId: stored.connectorId };
  let result: AuthorizationResult;
  try {
    result = await connector.completeAuthorization(input, context.url.searchParams, {
      signal: context.signal,
    });
  } catch (error) {
    const failure = describeFailure(error);
    const oauthError = (error as { oauthError?: unknown }).oauthError;
    audit(context, 'authorize.complete', {
      ...fields,
      outcome: 'failed',
      code: failure.code,
      ...(typeof oauthError === 'string' ? { oauthError } : {}),
    });
    render(
      context,
      callbackStatus(failure.code),
      callbackPage(pageContext(context), { connection: stored, failure }),
      {
        security: authorizeSecurity(connector, stored.credentials),
      },
    );
    return;
  }
  audit(context, 'authorize.complete', { ...fields, outcome: 'ok', hasRefreshToken: result.hasRefreshToken });
  let status: ConnectionStatus | undefined;
  try {
    status = await connector.getStatus(input);
  } catch {
    status = undefined;
  }
  const here = connectionPath(context.state.options.base, stored.id);
  render(context, 200, callbackPage(pageContext(context, here), { connection: stored, result, status }));
}

/** POST /connections/:id/validate: "Validar conexión", its verdict and what to do. */
export async function validateConnection(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored, connector, input } = loaded;
  let verdict: VerdictLike;
  try {
    verdict = await connector.validateConnection(input, { signal: context.signal });
  } catch (error) {
    audit(context, 'validate', {
      connectionId: stored.id,
      connectorId: stored.connectorId,
      outcome: 'failed',
      code: describeFailure(error).code,
    });
    failurePage(context, 500, stored, error);
    return;
  }
  audit(context, 'validate', {
    connectionId: stored.id,
    connectorId: stored.connectorId,
    outcome: verdict.outcome,
    ...(verdict.errorCode === undefined ? {} : { code: verdict.errorCode }),
  });
  render(
    context,
    200,
    verdictPage(pageContext(context, connectionPath(context.state.options.base, stored.id)), stored, verdict),
    {
      security: authorizeSecurity(connector, stored.credentials),
    },
  );
}

/** GET /connections/:id/import: the form. */
export async function importForm(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  if (!importsRefreshToken(loaded.connector)) {
    failurePage(context, 404, loaded.stored, {
      code: 'ERR_UNSUPPORTED',
      localized: text(
        'Este conector no importa tokens de actualización.',
        'This connector does not import refresh tokens.',
      ),
    });
    return;
  }
  render(
    context,
    200,
    importPage(pageContext(context), { connection: loaded.stored, connector: loaded.connector }),
  );
}

/**
 * POST /connections/:id/import: the manual fallback AIC uses today. Refused while the connection
 * has a working grant (nothing is replaced behind the operator's back); otherwise the token is
 * stored sealed with the credentials, tried at once (refresh + probe), and dropped from the
 * credentials once the token store holds the grant.
 */
export async function importRefreshToken(context: RequestContext): Promise<void> {
  const loaded = await loadConnection(context);
  if (loaded === undefined) return;
  const { stored, connector, input } = loaded;
  const { repository, clock } = context.state.options;
  const fields = { connectionId: stored.id, connectorId: stored.connectorId };
  const again = (status: number, problem: ReturnType<typeof text>): void =>
    render(context, status, importPage(pageContext(context), { connection: stored, connector, problem }));
  if (!importsRefreshToken(connector)) {
    again(
      404,
      text(
        'Este conector no importa tokens de actualización.',
        'This connector does not import refresh tokens.',
      ),
    );
    return;
  }
  const token = context.form.get('refreshToken') ?? '';
  if (token.trim() === '') {
    again(422, text('Pegue el token de actualización.', 'Paste the refresh token.'));
    return;
  }
  let before: ConnectionStatus;
  try {
    before = await connector.getStatus(input);
  } catch (error) {
    again(422, describeFailure(error).message);
    return;
  }
  if (before.state === 'active') {
    audit(context, 'import', { ...fields, outcome: 'refused', reason: 'active_grant' });
    again(
      409,
      text(
        'La conexión ya tiene una autorización activa: no se reemplaza. Si de verdad quiere usar el token importado, desconéctela primero.',
        'The connection already has an active authorization: it is not replaced. If you really want the imported token, disconnect it first.',
      ),
    );
    return;
  }
  const credentials = { ...stored.credentials, refreshToken: token.trim() };
  try {
    connector.validateCredentials(credentials);
  } catch (error) {
    if (!(error instanceof InvalidCredentialsError)) throw error;
    again(422, error.localized);
    return;
  }
  // A grant the provider already refused cannot be used; the imported one takes its place.
  if (before.state === 'reauthorization_required') await connector.disconnect(input);
  const withToken = { ...stored, credentials, updatedAt: clock.now() };
  await repository.save(withToken);
  const verdict = await connector.validateConnection(inputOf(withToken), { signal: context.signal });
  if (verdict.status.state !== 'not_authorized') {
    await repository.save({
      ...withToken,
      credentials: withoutImportedToken(withToken),
      updatedAt: clock.now(),
    });
  }
  audit(context, 'import', {
    ...fields,
    outcome: verdict.outcome,
    ...(verdict.errorCode === undefined ? {} : { code: verdict.errorCode }),
  });
  const page = pageContext(context, connectionPath(context.state.options.base, stored.id));
  render(
    context,
    200,
    verdictPage(
      verdict.ok
        ? { ...page, flash: { kind: 'ok', message: text('Token importado.', 'Token imported.') } }
        : page,
      withToken,
      verdict,
    ),
    { security: authorizeSecurity(connector, stored.credentials) },
  );
}
