import { OAuthConnector, type ConnectionInput } from '@aic/connector-core';
import { DelegatingConnector, callbackParams } from '../delegating-connector.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/** Ignores the callback's state: completes whatever authorization it started last. */
class SkipsStateCheck extends DelegatingConnector {
  readonly #lastState = new Map<string, string>();

  override async startAuthorization(connection: ConnectionInput) {
    const start = await super.startAuthorization(connection);
    this.#lastState.set(connection.id, start.state);
    return start;
  }

  override completeAuthorization(
    connection: ConnectionInput,
    callback: Parameters<DelegatingConnector['completeAuthorization']>[1],
  ) {
    const params = callbackParams(callback);
    const last = this.#lastState.get(connection.id);
    if (params.has('code') && last !== undefined) params.set('state', last);
    return super.completeAuthorization(connection, params);
  }
}

export const skipsStateCheck: BrokenConnector = {
  name: 'skips-state-check',
  breaks: 'never compares the callback state with the pending authorization',
  module: moduleOf((runtime) => new SkipsStateCheck(new OAuthConnector(referenceCode, runtime))),
  caughtBy: ['callback.state-mismatch', 'callback.state-missing', 'callback.duplicated-parameters'],
};
