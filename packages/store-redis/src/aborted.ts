import { ConnectorError, ErrorCode, text } from '@aic/connector-core';

/** The `ERR_ABORTED` error a caller gets when its signal aborts a wait or a command. */
export const abortedError = (reason: unknown): ConnectorError =>
  new ConnectorError(ErrorCode.Aborted, text('La operación fue cancelada.', 'The operation was aborted.'), {
    cause: reason,
  });
