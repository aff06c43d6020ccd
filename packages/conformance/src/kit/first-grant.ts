import type { ConnectionInput } from '@aic/connector-core';
import type nock from 'nock';
import type { ScenarioContext } from './context.js';
import { check, describeError, errorCode, expectResolved } from './expect.js';
import { startFlow, type StartedFlow } from './flows.js';

/** What happened when the kit ran the connector's first grant against a scripted response. */
export interface FirstGrantAttempt {
  /** The error the grant failed with, if it failed. */
  readonly error: unknown;
  /** For authorization code connectors: the flow, to replay its callback. */
  readonly flow?: StartedFlow | undefined;
  readonly callback?: string | undefined;
}

/**
 * Runs the first grant (code exchange, or client credentials) with the token endpoint answering
 * as `script` says, without judging the outcome.
 */
export async function attemptFirstGrant(
  ctx: ScenarioContext,
  connection: ConnectionInput,
  script: (token: nock.Interceptor) => void,
): Promise<FirstGrantAttempt> {
  if (ctx.isAuthorizationCode) {
    const flow = await startFlow(ctx, connection);
    const callback = flow.callback({ code: ctx.values.authorizationCode(), state: flow.state });
    script(ctx.provider.token());
    try {
      ctx.observed.outputs.push(await ctx.connector.completeAuthorization(connection, callback));
      return { error: undefined, flow, callback };
    } catch (error) {
      ctx.observed.errors.push(error);
      return { error, flow, callback };
    }
  }
  script(ctx.provider.token());
  try {
    await ctx.connector.getAccessToken(connection);
    return { error: undefined };
  } catch (error) {
    ctx.observed.errors.push(error);
    return { error };
  }
}

/** Fails unless the attempt failed with `code`; returns the error. */
export function expectFailure(attempt: FirstGrantAttempt, code: string, what: string): Error {
  const { error } = attempt;
  check(error !== undefined, `${what}: the connector accepted it; expected ${code}`);
  check(
    error instanceof Error && errorCode(error) === code,
    `${what}: expected ${code}; the connector failed with ${describeError(error)}`,
  );
  return error;
}

/**
 * Runs the first grant of a new connection with the token endpoint answering as `script` says;
 * it must fail with `code` ({@link expectFailure}).
 */
export async function expectFirstGrantFailure(
  ctx: ScenarioContext,
  script: (token: nock.Interceptor) => void,
  code: string,
  what: string,
): Promise<{ connection: ConnectionInput; attempt: FirstGrantAttempt; error: Error }> {
  const connection = ctx.connection();
  const attempt = await attemptFirstGrant(ctx, connection, script);
  return { connection, attempt, error: expectFailure(attempt, code, what) };
}

/**
 * Runs the first grant of `connection` with the token endpoint answering 200 with `body`; the
 * scenario fails (as with `expectResolved`, `what` naming the response) when the connector refuses it.
 */
export async function expectFirstGrantAccepted(
  ctx: ScenarioContext,
  connection: ConnectionInput,
  body: Record<string, unknown>,
  what: string,
): Promise<void> {
  const attempt = await attemptFirstGrant(ctx, connection, (token) => token.reply(200, body));
  if (attempt.error !== undefined) {
    await expectResolved(ctx, Promise.reject(attempt.error as Error), what);
  }
}
