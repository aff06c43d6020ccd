import type { ConnectionInput } from '@aic/connector-core';
import type { ConnectionOptions, ScenarioContext } from './context.js';
import { expectRefusedOffline } from './expect.js';
import { startFlow, type StartedFlow } from './flows.js';

/** A new connection with an authorization started on it. */
export async function startOnNewConnection(
  ctx: ScenarioContext,
  options: ConnectionOptions = {},
): Promise<{ connection: ConnectionInput; flow: StartedFlow }> {
  const connection = ctx.connection(options);
  return { connection, flow: await startFlow(ctx, connection) };
}

/**
 * Hands `callback` (the provider's redirect back, e.g. `flow.callback({ … })`) to
 * `completeAuthorization`, which must refuse it with one of `codes` before any token request
 * ({@link expectRefusedOffline}). Returns the error.
 */
export function expectCallbackRefused(
  ctx: ScenarioContext,
  connection: ConnectionInput,
  callback: string,
  what: string,
  codes: readonly string[],
): Promise<Error> {
  return expectRefusedOffline(ctx, ctx.connector.completeAuthorization(connection, callback), what, codes);
}
