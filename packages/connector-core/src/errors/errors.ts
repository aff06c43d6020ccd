import { ErrorCode } from './codes.js';
import { ConnectorError, type ErrorContext } from './connector-error.js';
import { text, type LocalizedText } from './localized.js';

/** One bad credential field, by JSON pointer (RFC 6901), never with its value. */
export interface CredentialIssue {
  /** JSON pointer to the field, e.g. `/clientSecret` or `/endpoints/token`. */
  readonly pointer: string;
  /** What is wrong and how to fix it. */
  readonly message: LocalizedText;
}

/**
 * The connection's settings are unusable. Raised before any network call when credentials fail
 * the connector's schema (`issues` lists every bad field), and after one when the provider says
 * the client is unknown (`ERR_INVALID_CLIENT`) or the secret has expired.
 */
export class InvalidCredentialsError extends ConnectorError {
  override readonly name: string = 'InvalidCredentialsError';
  readonly issues: readonly CredentialIssue[];

  constructor(
    issues: readonly CredentialIssue[],
    context: ErrorContext & { code?: ErrorCode; summary?: LocalizedText } = {},
  ) {
    const list = (lang: keyof LocalizedText): string =>
      issues.map((issue) => `${issue.pointer || '/'}: ${issue.message[lang]}`).join('; ');
    super(
      context.code ?? ErrorCode.InvalidCredentials,
      context.summary ??
        text(
          `Credenciales inválidas (${issues.length}): ${list('es')}`,
          `Invalid credentials (${issues.length}): ${list('en')}`,
        ),
      context,
    );
    this.issues = Object.freeze([...issues]);
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { issues: this.issues };
  }
}

/** The callback's `state` matches no pending authorization, or it expired (`ERR_STATE_EXPIRED`). */
export class StateMismatchError extends ConnectorError {
  override readonly name: string = 'StateMismatchError';
  /** HP asks for HTTP 401 semantics on a state mismatch; a host can answer with this status. */
  readonly httpStatus = 401;
}

/** The callback URL is malformed (missing code or state, duplicated parameters). */
export class InvalidCallbackError extends ConnectorError {
  override readonly name: string = 'InvalidCallbackError';
  readonly httpStatus = 400;
}

/** The provider redirected back with `error=` (RFC 6749 §4.1.2.1). */
export class AuthorizationDeniedError extends ConnectorError {
  override readonly name: string = 'AuthorizationDeniedError';
  /** The provider's `error` value (e.g. `access_denied`). Not secret. */
  readonly oauthError: string;

  constructor(oauthError: string, localized: LocalizedText, context: ErrorContext = {}) {
    super(ErrorCode.AuthorizationDenied, localized, context);
    this.oauthError = oauthError;
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { oauthError: this.oauthError };
  }
}

/**
 * An error response from the token endpoint (RFC 6749 §5.2). `code` tells the family:
 * `ERR_INVALID_AUTHORIZATION_CODE` (`invalid_grant` on a code exchange), `ERR_INVALID_CLIENT`,
 * or `ERR_OAUTH` for the rest.
 */
export class OAuthResponseError extends ConnectorError {
  override readonly name: string = 'OAuthResponseError';
  readonly oauthError: string;
  readonly status: number;

  constructor(
    code: ErrorCode,
    oauthError: string,
    status: number,
    localized: LocalizedText,
    context: ErrorContext = {},
  ) {
    super(code, localized, context);
    this.oauthError = oauthError;
    this.status = status;
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { oauthError: this.oauthError, status: this.status };
  }
}

/** A person must authorize the connection again; no automatic step can recover it. */
export class ReauthorizationRequiredError extends ConnectorError {
  override readonly name: string = 'ReauthorizationRequiredError';
  /** Why: `invalid_grant`, `refresh_token_expired`, `no_refresh_token`, `api_401`, `not_authorized`. */
  readonly reason: string;

  constructor(reason: string, localized: LocalizedText, context: ErrorContext = {}) {
    super(ErrorCode.ReauthorizationRequired, localized, context);
    this.reason = reason;
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { reason: this.reason };
  }
}

/** Transient provider failure that outlived the retry budget. Safe to retry later. */
export class ProviderUnavailableError extends ConnectorError {
  override readonly name: string = 'ProviderUnavailableError';
  readonly status: number | undefined;

  constructor(status: number | undefined, localized: LocalizedText, context: ErrorContext = {}) {
    super(ErrorCode.ProviderUnavailable, localized, context);
    this.status = status;
  }

  protected override details(): Readonly<Record<string, unknown>> | undefined {
    return this.status === undefined ? undefined : { status: this.status };
  }
}

/** 429 that outlived the retry budget; `retryAfterMs` is the provider's last `Retry-After`. */
export class RateLimitedError extends ConnectorError {
  override readonly name: string = 'RateLimitedError';
  readonly retryAfterMs: number | undefined;

  constructor(retryAfterMs: number | undefined, context: ErrorContext = {}) {
    super(
      ErrorCode.RateLimited,
      text(
        `El proveedor limitó las solicitudes (429)${retryAfterMs === undefined ? '' : `; reintente en ${Math.ceil(retryAfterMs / 1000)} s`}.`,
        `The provider is rate limiting requests (429)${retryAfterMs === undefined ? '' : `; retry in ${Math.ceil(retryAfterMs / 1000)} s`}.`,
      ),
      context,
    );
    this.retryAfterMs = retryAfterMs;
  }

  protected override details(): Readonly<Record<string, unknown>> | undefined {
    return this.retryAfterMs === undefined ? undefined : { retryAfterMs: this.retryAfterMs };
  }
}

/**
 * The provider's answer is not a valid OAuth response: not JSON, HTML, missing
 * `access_token`, unknown `token_type`, bad `expires_in`. Carries the status and content type,
 * never the body.
 */
export class InvalidProviderResponseError extends ConnectorError {
  override readonly name: string = 'InvalidProviderResponseError';
  readonly status: number;
  readonly contentType: string | undefined;

  constructor(
    status: number,
    contentType: string | undefined,
    localized: LocalizedText,
    context: ErrorContext = {},
  ) {
    super(ErrorCode.InvalidProviderResponse, localized, context);
    this.status = status;
    this.contentType = contentType;
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { status: this.status, contentType: this.contentType ?? null };
  }
}

/**
 * A token or API call outlived its total deadline (`ERR_TIMEOUT`): connect, headers and the whole
 * body, across retries. Transient: the provider may answer in time later.
 */
export class DeadlineExceededError extends ConnectorError {
  override readonly name: string = 'DeadlineExceededError';
  /** The deadline that passed (ms). */
  readonly deadlineMs: number;

  constructor(what: LocalizedText, deadlineMs: number, context: ErrorContext = {}) {
    const seconds = Math.round(deadlineMs / 100) / 10;
    super(
      ErrorCode.Timeout,
      text(
        `${what.es} no terminó en ${seconds} s (plazo total, reintentos incluidos): el proveedor responde demasiado lento; reintente más tarde.`,
        `${what.en} did not finish within ${seconds} s (total deadline, retries included): the provider is answering too slowly; try again later.`,
      ),
      context,
    );
    this.deadlineMs = deadlineMs;
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { deadlineMs: this.deadlineMs };
  }
}

/** An endpoint whose origin neither the connector declares nor the host's policy allows. */
export class EndpointNotAllowedError extends ConnectorError {
  override readonly name: string = 'EndpointNotAllowedError';
  /** Which endpoint (`token`, `apiBase`, `authorization`). */
  readonly endpoint: string;
  /** The refused origin (`https://host[:port]`): never a path, query or user info. */
  readonly origin: string;

  constructor(endpoint: string, origin: string, localized: LocalizedText, context: ErrorContext = {}) {
    super(ErrorCode.EndpointNotAllowed, localized, context);
    this.endpoint = endpoint;
    this.origin = origin;
  }

  protected override details(): Readonly<Record<string, unknown>> {
    return { endpoint: this.endpoint, origin: this.origin };
  }
}
