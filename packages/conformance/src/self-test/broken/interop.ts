import { OAuthConnector, clientSecretBasic, type ClientAuthentication } from '@aic/connector-core';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';
import { droppingRotation } from './lifecycle.js';

/** Interop scenarios that need a working first grant with a refresh token. */
const NEEDS_REFRESH_TOKEN = [
  'interop.first-grant',
  'interop.refresh-rotation',
  'interop.reuse-detection',
  'interop.access-token-revoked',
  'interop.refresh-token-revoked',
  'interop.code-replay',
  'interop.basic-encoding',
];

/** An OpenID Connect flavour of the reference connector (scope `openid`), like ABBYY's documented one. */
const openIdReference = (
  authorizationScope: string,
  authorizationParams: Readonly<Record<string, string>> = {},
): typeof referenceCode =>
  ({
    ...referenceCode,
    grant: {
      ...referenceCode.grant,
      scope: () => authorizationScope,
      authorizationParams: () => authorizationParams,
      tokenParams: () => ({ scope: 'openid read offline_access' }),
      missingRefreshToken: 'error',
    },
  }) as unknown as typeof referenceCode;

export const offlineAccessOnExchangeOnly: BrokenConnector = {
  name: 'offline-access-on-exchange-only',
  breaks:
    'asks for offline_access only in the code exchange (ABBYY’s documented request), not in the authorization request',
  module: moduleOf((runtime) => new OAuthConnector(openIdReference('openid read'), runtime)),
  caughtBy: NEEDS_REFRESH_TOKEN,
};

export const offlineAccessWithoutConsent: BrokenConnector = {
  name: 'offline-access-without-consent-prompt',
  breaks: 'asks for offline_access in the authorization request but without prompt=consent (OIDC Core §11)',
  module: moduleOf((runtime) => new OAuthConnector(openIdReference('openid read offline_access'), runtime)),
  caughtBy: NEEDS_REFRESH_TOKEN,
};

/** Declares rfc6749 Basic on refresh but sends the pair raw (plain). */
const plainDeclaredRfc6749: ClientAuthentication = {
  method: 'client_secret_basic',
  encoding: 'rfc6749',
  apply: (client, headers, body) => clientSecretBasic({ encoding: 'plain' }).apply(client, headers, body),
};

export const plainBasicToStrictServer: BrokenConnector = {
  name: 'plain-basic-to-rfc-server',
  breaks: 'sends plain Basic (a "+" in the secret stays raw) while declaring rfc6749, to an RFC 6749 server',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(
        { ...referenceCode, grant: { ...referenceCode.grant, refreshAuth: plainDeclaredRfc6749 } },
        runtime,
      ),
  ),
  caughtBy: ['interop.basic-encoding'],
};

export const replaysRotatedRefreshToken: BrokenConnector = {
  name: 'replays-rotated-refresh-token',
  breaks: 'presents a refresh token the server already rotated (keeps the first one)',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(referenceCode, {
        ...runtime,
        tokenStore: droppingRotation(runtime.tokenStore),
      }),
  ),
  caughtBy: ['interop.refresh-rotation'],
};

/** Broken connectors the interop family must catch (run with the interop scenarios only). */
export const interopBrokenConnectors: readonly BrokenConnector[] = [
  offlineAccessOnExchangeOnly,
  offlineAccessWithoutConsent,
  plainBasicToStrictServer,
  replaysRotatedRefreshToken,
];
