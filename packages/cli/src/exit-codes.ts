import { ErrorCode } from '@aic/connector-core';
import { CliErrorCode } from './cli-error.js';

/**
 * Process exit codes of `aic`, stable for scripts (documented in the package README).
 */
export const ExitCode = {
  /** The command did what was asked. */
  Ok: 0,
  /** The operation failed (store, state file, listener, an HTTP error status, anything else). */
  Failed: 1,
  /** Wrong invocation: unknown command or option, missing argument, unknown connector or connection. */
  Usage: 2,
  /** The credentials are unusable: schema errors, unreadable file, client rejected or expired. */
  InvalidCredentials: 3,
  /** A person must (re)authorize the connection: run `aic connect` again. */
  ReauthorizationRequired: 4,
  /** The provider is unavailable or rate limiting: try again later. */
  ProviderUnavailable: 5,
  /**
   * "Validar conexión" got a token, but the probe call answered 404, 405 or another 4xx: an
   * endpoint (API base, region) or the probe is wrong, not the credentials.
   */
  Misconfigured: 6,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

const byErrorCode: Readonly<Record<string, ExitCode>> = {
  [CliErrorCode.Usage]: ExitCode.Usage,
  [CliErrorCode.UnknownConnector]: ExitCode.Usage,
  [CliErrorCode.UnknownConnection]: ExitCode.Usage,
  [CliErrorCode.ConnectionConflict]: ExitCode.Usage,
  [CliErrorCode.StoreKey]: ExitCode.Usage,
  [CliErrorCode.CredentialsFile]: ExitCode.InvalidCredentials,
  [CliErrorCode.CallbackTimeout]: ExitCode.ReauthorizationRequired,
  [CliErrorCode.NoCallback]: ExitCode.ReauthorizationRequired,
  [ErrorCode.ForeignOrigin]: ExitCode.Usage,
  [ErrorCode.Unsupported]: ExitCode.Usage,
  [ErrorCode.InvalidCredentials]: ExitCode.InvalidCredentials,
  [ErrorCode.InvalidClient]: ExitCode.InvalidCredentials,
  [ErrorCode.ClientSecretExpired]: ExitCode.InvalidCredentials,
  [ErrorCode.InsecureEndpoint]: ExitCode.InvalidCredentials,
  [ErrorCode.EndpointNotAllowed]: ExitCode.InvalidCredentials,
  [ErrorCode.OAuthError]: ExitCode.InvalidCredentials,
  [ErrorCode.ReauthorizationRequired]: ExitCode.ReauthorizationRequired,
  [ErrorCode.AuthorizationDenied]: ExitCode.ReauthorizationRequired,
  [ErrorCode.StateMismatch]: ExitCode.ReauthorizationRequired,
  [ErrorCode.StateExpired]: ExitCode.ReauthorizationRequired,
  [ErrorCode.InvalidCallback]: ExitCode.ReauthorizationRequired,
  [ErrorCode.IssuerMismatch]: ExitCode.ReauthorizationRequired,
  [ErrorCode.InvalidAuthorizationCode]: ExitCode.ReauthorizationRequired,
  [ErrorCode.ProviderUnavailable]: ExitCode.ProviderUnavailable,
  [ErrorCode.RateLimited]: ExitCode.ProviderUnavailable,
  [ErrorCode.InvalidProviderResponse]: ExitCode.ProviderUnavailable,
  [ErrorCode.Timeout]: ExitCode.ProviderUnavailable,
};

/** The exit code for an error `code` (core's {@link ErrorCode} or the CLI's own). */
export function exitCodeFor(code: string): ExitCode {
  return byErrorCode[code] ?? ExitCode.Failed;
}

/** The exit code of a "Validar conexión" verdict. */
export function exitCodeForOutcome(
  outcome: 'ok' | 'reauthorize' | 'bad_credentials' | 'misconfigured' | 'provider_down',
): ExitCode {
  switch (outcome) {
    case 'ok':
      return ExitCode.Ok;
    case 'reauthorize':
      return ExitCode.ReauthorizationRequired;
    case 'bad_credentials':
      return ExitCode.InvalidCredentials;
    case 'misconfigured':
      return ExitCode.Misconfigured;
    case 'provider_down':
      return ExitCode.ProviderUnavailable;
  }
}
