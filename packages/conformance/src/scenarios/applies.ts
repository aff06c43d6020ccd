import type { ScenarioSubject } from '../scenario.js';

/** Applicability predicates shared by scenarios: `true`, or why a scenario is skipped. */
export type Applies = (subject: ScenarioSubject) => true | string;

export const always: Applies = () => true;

export const authorizationCode: Applies = ({ manifest }) =>
  manifest.capabilities.authorizationCode || 'no authorization code grant (client credentials connector)';

export const pkce: Applies = ({ manifest }) =>
  !manifest.capabilities.authorizationCode
    ? 'no authorization code grant'
    : manifest.capabilities.pkce || 'the connector does not declare PKCE';

/** The connector can renew an access token without a person (refresh or client credentials). */
export const renewable: Applies = ({ manifest }) =>
  manifest.capabilities.refreshToken ||
  manifest.capabilities.clientCredentials ||
  'the connector declares neither refresh tokens nor client credentials: nothing renews a token';

/** The connector runs the refresh token grant (RFC 6749 §6). */
export const refreshes: Applies = ({ manifest }) =>
  manifest.capabilities.refreshToken || 'the connector declares no refresh token grant';

export const authorizationCodeWithRefresh: Applies = (subject) => {
  const code = authorizationCode(subject);
  return code === true ? refreshes(subject) : code;
};

export const clientCredentialsWithRefresh: Applies = ({ manifest }) =>
  !manifest.capabilities.clientCredentials
    ? 'not a client credentials connector'
    : manifest.capabilities.refreshToken ||
      'the connector declares no refresh grant for client credentials tokens';

/** Both predicates must hold; the first reason to skip wins. */
export const both =
  (first: Applies, second: Applies): Applies =>
  (subject) => {
    const a = first(subject);
    return a === true ? second(subject) : a;
  };
