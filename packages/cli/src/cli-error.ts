import type { CredentialIssue, LocalizedText } from '@aic/connector-core';

/** Stable codes of the errors the CLI itself raises (core's `ErrorCode`s pass through as they are). */
export const CliErrorCode = {
  /** Unknown command or option, missing or malformed argument. */
  Usage: 'ERR_USAGE',
  /** No loaded connector has this id. */
  UnknownConnector: 'ERR_UNKNOWN_CONNECTOR',
  /** No connection with this id in the connections file: run `aic connect` first. */
  UnknownConnection: 'ERR_UNKNOWN_CONNECTION',
  /** The connection id is already registered with another connector. */
  ConnectionConflict: 'ERR_CONNECTION_CONFLICT',
  /** The credentials file cannot be read or is not a JSON object. */
  CredentialsFile: 'ERR_CREDENTIALS_FILE',
  /** The encrypted store has no usable key. */
  StoreKey: 'ERR_STORE_KEY',
  /** `aic store migrate`: the target store already holds data (use `--overwrite`). */
  StoreNotEmpty: 'ERR_STORE_NOT_EMPTY',
  /** The CLI's state (connections file) cannot be read or written. */
  StateFile: 'ERR_STATE_FILE',
  /** No callback reached the loopback redirect URI in time. */
  CallbackTimeout: 'ERR_CALLBACK_TIMEOUT',
  /** Standard input ended before a callback URL was pasted. */
  NoCallback: 'ERR_NO_CALLBACK',
  /** The loopback listener could not be started (port in use, permissions). */
  CallbackListen: 'ERR_CALLBACK_LISTEN',
  /** `aic request`: the API answered an error status. */
  HttpStatus: 'ERR_HTTP_STATUS',
  /** `aic check`: the probe call answered a status that is not a success. */
  CheckFailed: 'ERR_CHECK_FAILED',
  /** A bug: an error that is not one of the typed errors. */
  Internal: 'ERR_INTERNAL',
} as const;

export type CliErrorCode = (typeof CliErrorCode)[keyof typeof CliErrorCode];

/**
 * An error of the command line itself. Like core's `ConnectorError` it has a stable `code` and a
 * message in Spanish and English, and never carries a secret.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly code: CliErrorCode;
  readonly localized: LocalizedText;
  /** Bad fields, when the error is about a credentials document. */
  readonly issues: readonly CredentialIssue[] | undefined;

  constructor(
    code: CliErrorCode,
    localized: LocalizedText,
    options: { cause?: unknown; issues?: readonly CredentialIssue[] } = {},
  ) {
    super(localized.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.localized = localized;
    this.issues = options.issues;
  }
}
