import { OAuthConnector, type ConnectionInput, type Logger } from '@aic/connector-core';
import { DelegatingConnector } from '../delegating-connector.js';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/** Logs every callback it receives, code included. */
class LogsCallbacks extends DelegatingConnector {
  readonly #logger: Logger;

  constructor(inner: OAuthConnector, logger: Logger) {
    super(inner);
    this.#logger = logger;
  }

  override completeAuthorization(
    connection: ConnectionInput,
    callback: Parameters<DelegatingConnector['completeAuthorization']>[1],
  ) {
    this.#logger.log('debug', `callback received: ${String(callback)}`);
    return super.completeAuthorization(connection, callback);
  }
}

export const logsSecret: BrokenConnector = {
  name: 'logs-secret',
  breaks: 'writes the callback URL, authorization code included, to the log',
  module: moduleOf(
    (runtime) => new LogsCallbacks(new OAuthConnector(referenceCode, runtime), runtime.logger),
  ),
  caughtBy: ['hygiene.success-paths', 'hygiene.error-paths'],
};
