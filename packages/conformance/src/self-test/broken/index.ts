import { acceptsHttpEndpoints, verifierInUrl, weakState } from './authorization.js';
import { credentialsInHeaderAndBody, doubleEncodesBasic, latin1Basic } from './basic.js';
import type { BrokenConnector } from './broken-connector.js';
import { skipsStateCheck } from './callback.js';
import { ignoresDeclaredExpiryUnit, unmarkedSecret } from './contract.js';
import { logsSecret } from './hygiene.js';
import { dropsRotatedRefreshToken, loopsOn401, noSingleFlight, retriesWithoutBackoff } from './lifecycle.js';

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
  ignoresDeclaredExpiryUnit,
  loopsOn401,
  dropsRotatedRefreshToken,
  noSingleFlight,
  retriesWithoutBackoff,
  logsSecret,
  unmarkedSecret,
];
