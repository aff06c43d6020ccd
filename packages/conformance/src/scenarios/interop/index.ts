import type { Scenario } from '../../scenario.js';
import { interopBasicEncoding } from './basic.js';
import { interopCodeReplay, interopConsentDenied, interopFirstGrant } from './grant.js';
import {
  interopAccessTokenRevoked,
  interopRefreshRotation,
  interopRefreshTokenRevoked,
  interopReuseDetection,
} from './refresh.js';

/** The interop family: the connector against a certified authorization server on loopback. */
export const interopScenarios: readonly Scenario[] = Object.freeze([
  interopFirstGrant,
  interopRefreshRotation,
  interopReuseDetection,
  interopAccessTokenRevoked,
  interopRefreshTokenRevoked,
  interopConsentDenied,
  interopCodeReplay,
  interopBasicEncoding,
]);

export { defineInteropScenario } from './define.js';
export type { InteropNeed, InteropScenarioDefinition } from './define.js';
