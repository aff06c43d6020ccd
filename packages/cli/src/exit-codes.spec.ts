import { ErrorCode } from '@aic/connector-core';
import { CliErrorCode } from './cli-error.js';
import { ExitCode, exitCodeFor, exitCodeForOutcome } from './exit-codes.js';

describe('exit codes (documented in the README)', () => {
  it.each([
    [CliErrorCode.Usage, 2],
    [CliErrorCode.UnknownConnector, 2],
    [CliErrorCode.UnknownConnection, 2],
    [CliErrorCode.ConnectionConflict, 2],
    [CliErrorCode.StoreKey, 2],
    [ErrorCode.ForeignOrigin, 2],
    [ErrorCode.Unsupported, 2],
    [CliErrorCode.CredentialsFile, 3],
    [ErrorCode.InvalidCredentials, 3],
    [ErrorCode.InvalidClient, 3],
    [ErrorCode.ClientSecretExpired, 3],
    [ErrorCode.InsecureEndpoint, 3],
    [ErrorCode.EndpointNotAllowed, 3],
    [ErrorCode.OAuthError, 3],
    [ErrorCode.ReauthorizationRequired, 4],
    [ErrorCode.AuthorizationDenied, 4],
    [ErrorCode.StateMismatch, 4],
    [ErrorCode.StateExpired, 4],
    [ErrorCode.InvalidCallback, 4],
    [ErrorCode.IssuerMismatch, 4],
    [ErrorCode.InvalidAuthorizationCode, 4],
    [CliErrorCode.CallbackTimeout, 4],
    [CliErrorCode.NoCallback, 4],
    [ErrorCode.ProviderUnavailable, 5],
    [ErrorCode.RateLimited, 5],
    [ErrorCode.InvalidProviderResponse, 5],
    [ErrorCode.Timeout, 5],
    [ErrorCode.StoreFailure, 1],
    [ErrorCode.Configuration, 1],
    [ErrorCode.Aborted, 1],
    [CliErrorCode.StateFile, 1],
    [CliErrorCode.CallbackListen, 1],
    [CliErrorCode.HttpStatus, 1],
    [CliErrorCode.Internal, 1],
  ])('%s → %i', (code, exit) => {
    expect(exitCodeFor(code)).toBe(exit);
  });

  it('maps every "Validar conexión" outcome', () => {
    expect(exitCodeForOutcome('ok')).toBe(ExitCode.Ok);
    expect(exitCodeForOutcome('bad_credentials')).toBe(ExitCode.InvalidCredentials);
    expect(exitCodeForOutcome('reauthorize')).toBe(ExitCode.ReauthorizationRequired);
    expect(exitCodeForOutcome('provider_down')).toBe(ExitCode.ProviderUnavailable);
    expect(exitCodeForOutcome('misconfigured')).toBe(ExitCode.Misconfigured);
    expect(ExitCode.Misconfigured).toBe(6);
  });
});
