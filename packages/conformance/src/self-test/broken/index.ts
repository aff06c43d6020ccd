import { bearerToAbsoluteUrl, followsRedirects } from './api-request.js';
import { acceptsHttpEndpoints, verifierInUrl, weakState } from './authorization.js';
import { credentialsInHeaderAndBody, doubleEncodesBasic, latin1Basic } from './basic.js';
import type { BrokenConnector } from './broken-connector.js';
import { skipsStateCheck } from './callback.js';
import { disconnectKeepsPending, disconnectKeepsTokens, sharedToken } from './connection.js';
import { fixedEndpoints, ignoresDeclaredExpiryUnit, unmarkedSecret, zeroRefreshMargin } from './contract.js';
import {
  consoleLogsToken,
  logsSecret,
  secretInErrorCause,
  secretOnErrorProperty,
  stderrDumpsRefresh,
} from './hygiene.js';
import { dropsRotatedRefreshToken, loopsOn401, noSingleFlight, retriesWithoutBackoff } from './lifecycle.js';
import { ignoresMaxLifetime, ignoresRetryAfterDate } from './timing.js';

export type { BrokenConnector } from './broken-connector.js';

/** One broken connector (at least) per rule family of the catalogue. */
export const brokenConnectors: readonly BrokenConnector[] = [
  weakState,
  verifierInUrl,
  acceptsHttpEndpoints,
  skipsStateCheck,
  doubleEncodesBasic,
  latin1Basic,
  credentialsInHeaderAndBody,
  followsRedirects,
  ignoresDeclaredExpiryUnit,
  ignoresMaxLifetime,
  loopsOn401,
  dropsRotatedRefreshToken,
  noSingleFlight,
  retriesWithoutBackoff,
  ignoresRetryAfterDate,
  bearerToAbsoluteUrl,
  sharedToken,
  disconnectKeepsTokens,
  disconnectKeepsPending,
  logsSecret,
  consoleLogsToken,
  stderrDumpsRefresh,
  secretOnErrorProperty,
  secretInErrorCause,
  unmarkedSecret,
  zeroRefreshMargin,
  fixedEndpoints,
];
