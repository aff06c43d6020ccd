/**
 * @aic/connector-core: the OAuth 2.0 engine and shared contracts of Aranda Integration Center
 * connectors.
 */
// First, before undici is evaluated: refuse an unsupported Node.js with one es/en line.
import './require-node.js';

// Errors
export { ErrorCode } from './errors/codes.js';
export { ConnectorError, isConnectorError } from './errors/connector-error.js';
export type { ErrorContext, SerializedConnectorError } from './errors/connector-error.js';
export {
  AuthorizationDeniedError,
  InvalidCallbackError,
  InvalidCredentialsError,
  InvalidProviderResponseError,
  OAuthResponseError,
  ProviderUnavailableError,
  RateLimitedError,
  ReauthorizationRequiredError,
  StateMismatchError,
  DeadlineExceededError,
  EndpointNotAllowedError,
} from './errors/errors.js';
export type { CredentialIssue } from './errors/errors.js';
export { text } from './errors/localized.js';
export type { LocalizedText } from './errors/localized.js';

// Support ports
export { ManualClock, systemClock } from './support/clock.js';
export { MemoryLogger, redactingLogger, silentLogger } from './support/logger.js';
export type { LogFields, LogLevel } from './support/logger.js';
export { REDACTED, isSecretKey, redactFields, scrubSecrets } from './support/redaction.js';
export { abandonOnAbort, abortedError, throwIfAborted } from './support/abort.js';
export { TimeFormatter, bestUnit } from './support/time-format.js';
export type { PluralForms, TimeFormatOptions, TimeLang, TimeUnit } from './support/time-format.js';

// Credentials
export { baseFields, field, labelledEnum } from './credentials/fields.js';
export { defineCredentialSchema, secretPointers, secretValues } from './credentials/define-schema.js';
export { compileCredentialSchema, validateCredentials } from './credentials/validator.js';
export {
  CREDENTIAL_SCHEMA_FILES,
  credentialSchemaIn,
  credentialSchemaJson,
} from './credentials/schema-language.js';
export type { SchemaLanguage } from './credentials/schema-language.js';
export type {
  CredentialSchema,
  CredentialsOf,
  EnumOption,
  FieldSchema,
  FieldAnnotations,
} from './credentials/schema-types.js';

// OAuth building blocks
export {
  basicAuthorization,
  clientSecretBasic,
  clientSecretPost,
  formUrlEncode,
  noClientAuthentication,
} from './oauth/client-authentication.js';
export type {
  BasicEncoding,
  ClientAuthentication,
  ClientCredentials,
} from './oauth/client-authentication.js';
export { RESERVED_AUTHORIZATION_PARAMS, buildAuthorizationRequest } from './oauth/authorization-request.js';
export type { AuthorizationRequest, AuthorizationRequestInput } from './oauth/authorization-request.js';
export { checkIssuer, parseCallback } from './oauth/callback.js';
export type { CallbackInput, ParsedCallback } from './oauth/callback.js';
export { isLoopbackHost, isSecureEndpoint, secureEndpoint } from './oauth/endpoint.js';
export {
  allowedEndpoint,
  declaredOrigins,
  endpointPolicy,
  isInternalHost,
  strictEndpointPolicy,
} from './oauth/endpoint-policy.js';
export type { EndpointPolicyOptions } from './oauth/endpoint-policy.js';
export {
  codeChallengeS256,
  constantTimeEqual,
  generateCodeVerifier,
  generateState,
  isValidCodeVerifier,
} from './oauth/randomness.js';
export {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  refreshTokenGrantRequest,
} from './oauth/token-request.js';
export type { TokenRequest } from './oauth/token-request.js';
export { processTokenResponse } from './oauth/token-response.js';
export type { TokenResponseOptions } from './oauth/token-response.js';

// HTTP
export { createDefaultDispatcher } from './http/dispatcher.js';
export { Deadline, defaultCallDeadlines, withDeadline } from './http/deadline.js';
export { MemoryTokenRequestLimiter, slotTimeout } from './http/token-limiter.js';
export type {
  MemoryTokenRequestLimiterOptions,
  SlotRequest,
  TokenRequestSlot,
} from './http/token-limiter.js';
export type { DispatcherOptions } from './http/dispatcher.js';
export { TRANSIENT_STATUSES, defaultRetryPolicy, parseRetryAfter, withRetry } from './http/retry.js';
export type { RetryPolicy } from './http/retry.js';
export { TransportError, sendHttp } from './http/send.js';
export type { HttpRequest, HttpResponse } from './http/send.js';

// Tokens and lifecycle
export { defaultExpiryPolicy, lifetimeMs, refreshDueAt } from './tokens/expiry-policy.js';
export type { ExpiryPolicy } from './tokens/expiry-policy.js';
export type { AccessToken, TokenSet } from './tokens/token-set.js';
export { TokenManager } from './lifecycle/token-manager.js';
export type {
  LifecycleGrants,
  ManagedConnection,
  ObtainOptions,
  TokenManagerDeps,
} from './lifecycle/token-manager.js';
export { TokenCache } from './lifecycle/token-cache.js';
export { reauthorizationError } from './lifecycle/reauthorization.js';

// Stores
export { connectionKey } from './stores/connection-record.js';
export type { ConnectionRecord, GrantOrigins } from './stores/connection-record.js';
export { KeyedMutex, MemoryPendingAuthorizationStore, MemoryTokenStore } from './stores/memory-stores.js';
export type { Lease, LockOptions, PendingAuthorization, WriteOptions } from './stores/token-store.js';
export { DEFAULT_LEASE_MS, leaseUntil, timedLease } from './stores/lease.js';
export { LeasedKeyLock } from './stores/leased-lock.js';
export type { HeldLease, LeaseRequest, LeasedKeyLockOptions } from './stores/leased-lock.js';
export { RecordCipher, STORE_KEY_BYTES, decodeStoreKey, generateStoreKey } from './stores/record-cipher.js';
export type { DocumentMac, SealedRecord, StoreKeys } from './stores/record-cipher.js';
export { decodeConnectionRecord, decodePendingAuthorization } from './stores/record-codec.js';
export {
  StoreConflictError,
  StoreFailureError,
  isStoreConflict,
  isStoreFailure,
} from './stores/store-failure.js';
export type { StoreFailureReason } from './stores/store-failure.js';

// Connectors
export type {
  ApiRequest,
  ApiResponse,
  AuthorizationResult,
  AuthorizationStart,
  CallOptions,
  ConnectionInput,
  ConnectorManifest,
  DeclaredClientAuthentication,
  GetAccessTokenOptions,
} from './connector/contract.js';
export type {
  AuthorizationCodeGrantDefinition,
  ClientCredentialsGrantDefinition,
  ClientSecretPolicy,
  Endpoints,
  ProviderDefinition,
  ValidationProbe,
} from './connector/definition.js';
export type {
  ConnectionStatus,
  ConnectionWarning,
  NextDeadline,
  ValidationVerdict,
} from './connector/status.js';
export { statusDocument, warningDocument } from './connector/status-document.js';
export type { ConnectorRuntime } from './connector/runtime.js';
export { OAuthConnector } from './connector/oauth-connector.js';
export { manifestOf } from './connector/manifest.js';
export { BASIC_ENCODINGS, withBasicEncoding } from './connector/basic-encoding-option.js';
export type { BasicEncodingOptions } from './connector/basic-encoding-option.js';
export { BASIC_ENCODING_OPTION, basicEncodingsDiffer, explainBasicRefusal } from './oauth/basic-diagnosis.js';
export { connectorCoreModule, createConnectorModule, resolveRuntime } from './connector/container-modules.js';
export type { CoreModuleOptions } from './connector/container-modules.js';
export { ConnectorRegistry, ConnectorRegistryId } from './connector/registry.js';
export { loadConnectorPackage } from './connector/loader.js';
export type { ConnectorPackageDeclaration, LoadedConnectorPackage } from './connector/loader.js';
export {
  CallDeadlines,
  Clock,
  Connector,
  EndpointPolicy,
  HttpDispatcher,
  Logger,
  PendingAuthorizationStore,
  TokenRequestLimiter,
  TokenStore,
} from './connector/service-identifiers.js';
