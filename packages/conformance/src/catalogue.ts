import type { Scenario } from './scenario.js';
import { httpsEndpoints } from './scenarios/authorization-request/https-endpoints.js';
import { noSecretInUrl } from './scenarios/authorization-request/no-secret-in-url.js';
import { pkceVerifier, verifierNotInUrl } from './scenarios/authorization-request/pkce.js';
import { redirectUriReused } from './scenarios/authorization-request/redirect-uri.js';
import { reservedParams } from './scenarios/authorization-request/reserved-params.js';
import { stateEntropy } from './scenarios/authorization-request/state.js';
import { codeMissing, duplicatedParameters } from './scenarios/callback/malformed.js';
import { accessDenied } from './scenarios/callback/provider-error.js';
import { stateExpired, stateMissing, stateReplayed } from './scenarios/callback/state-lifecycle.js';
import { stateMismatch } from './scenarios/callback/state-mismatch.js';
import { apiNoCredentialsOnRedirect } from './scenarios/api-request/redirects.js';
import { bearerStaysInBase } from './scenarios/api-request/bearer-scope.js';
import { disconnectForgetsPending, disconnectForgetsTokens } from './scenarios/connection/disconnect.js';
import { tokenIsolation } from './scenarios/connection/isolation.js';
import { credentialSchema } from './scenarios/contract/credential-schema.js';
import { endpointsOverridable } from './scenarios/contract/endpoints.js';
import { invalidCredentialsOffline } from './scenarios/contract/invalid-credentials.js';
import { loader } from './scenarios/contract/loader.js';
import { manifestCoherent } from './scenarios/contract/manifest.js';
import { hygieneErrorPaths, hygieneSuccessPaths } from './scenarios/hygiene/leaks.js';
import { api401Reauthorization, api401Rotation } from './scenarios/refresh/api-401.js';
import {
  backoff5xx,
  givesUp5xx,
  rateLimitBudget,
  retryAfter429,
  retryAfterDate,
} from './scenarios/refresh/backoff.js';
import { absoluteDeadline } from './scenarios/refresh/deadline.js';
import { refreshInvalidGrant, refreshInvalidGrantFallback } from './scenarios/refresh/invalid-grant.js';
import { refreshMargin } from './scenarios/refresh/margin.js';
import { rotationPersisted } from './scenarios/refresh/rotation.js';
import { singleFlight } from './scenarios/refresh/single-flight.js';
import { basicColonInPlainId, basicEncoding } from './scenarios/token-request/basic-encoding.js';
import { acceptJson, formPost } from './scenarios/token-request/form-post.js';
import { tokenNoCredentialsOnRedirect } from './scenarios/token-request/redirect.js';
import { singleAuthMethod } from './scenarios/token-request/single-auth-method.js';
import {
  expiresInAbsent,
  expiresInNegative,
  expiresInString,
  expiresInUnit,
  expiresInZero,
  maxLifetime,
} from './scenarios/token-response/expires-in.js';
import { extraFields } from './scenarios/token-response/extra-fields.js';
import {
  expiredCode,
  htmlBody,
  invalidClient,
  missingAccessToken,
  nonJsonBody,
} from './scenarios/token-response/grant-errors.js';
import { refreshTokenAbsent } from './scenarios/token-response/refresh-token-absent.js';
import { tokenType } from './scenarios/token-response/token-type.js';
import { interopScenarios } from './scenarios/interop/index.js';

/**
 * Every scenario, in report order (by family). A connector gets each one whose `appliesTo`
 * accepts its manifest: adding a scenario here adds it for every connector.
 */
export const catalogue: readonly Scenario[] = Object.freeze([
  // authorization request
  stateEntropy,
  pkceVerifier,
  verifierNotInUrl,
  redirectUriReused,
  reservedParams,
  noSecretInUrl,
  httpsEndpoints,
  // callback
  stateMismatch,
  stateMissing,
  stateReplayed,
  stateExpired,
  accessDenied,
  codeMissing,
  duplicatedParameters,
  // token request
  basicEncoding,
  basicColonInPlainId,
  singleAuthMethod,
  formPost,
  acceptJson,
  tokenNoCredentialsOnRedirect,
  // token response
  expiredCode,
  invalidClient,
  htmlBody,
  nonJsonBody,
  missingAccessToken,
  tokenType,
  expiresInUnit,
  maxLifetime,
  expiresInString,
  expiresInZero,
  expiresInNegative,
  expiresInAbsent,
  refreshTokenAbsent,
  extraFields,
  // refresh lifecycle
  refreshMargin,
  rotationPersisted,
  refreshInvalidGrant,
  refreshInvalidGrantFallback,
  backoff5xx,
  givesUp5xx,
  retryAfter429,
  retryAfterDate,
  rateLimitBudget,
  singleFlight,
  api401Rotation,
  api401Reauthorization,
  absoluteDeadline,
  // API requests
  bearerStaysInBase,
  apiNoCredentialsOnRedirect,
  // connections
  tokenIsolation,
  disconnectForgetsTokens,
  disconnectForgetsPending,
  // hygiene
  hygieneSuccessPaths,
  hygieneErrorPaths,
  // contract
  credentialSchema,
  invalidCredentialsOffline,
  loader,
  manifestCoherent,
  endpointsOverridable,
  // interop: a certified authorization server on loopback (see src/interop)
  ...interopScenarios,
]);

/** Whether a scenario belongs to the interop family (real servers on loopback, not nock scripts). */
export const isInterop = (scenario: Scenario): boolean => scenario.family === 'interop';
