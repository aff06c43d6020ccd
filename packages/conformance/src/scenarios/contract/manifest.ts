import type { ConnectorManifest } from '@aic/connector-core';
import { check } from '../../kit/expect.js';
import { defineScenario } from '../../scenario.js';
import { always } from '../applies.js';

const secureUrl = (value: string | undefined): boolean => {
  if (value === undefined || !URL.canParse(value)) return false;
  const url = new URL(value);
  return (
    url.protocol === 'https:' ||
    (url.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname))
  );
};

/** What is wrong with a manifest, one line per problem. */
function manifestProblems(m: ConnectorManifest): string[] {
  const problems: string[] = [];
  const say = (ok: boolean, problem: string): void => {
    if (!ok) problems.push(problem);
  };
  say(/^[a-z0-9][a-z0-9-]*$/.test(m.id), `id "${m.id}" is not lower-case letters, digits and dashes`);
  say(/^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/.test(m.version), `version "${m.version}" is not semver`);
  for (const [name, label] of [
    ['displayName', m.displayName],
    ['description', m.description],
  ] as const) {
    say(label.es.trim() !== '' && label.en.trim() !== '', `${name} needs Spanish and English text`);
  }
  const caps = m.capabilities;
  say(
    caps.authorizationCode === (m.grant === 'authorization_code'),
    'capabilities.authorizationCode contradicts grant',
  );
  say(
    caps.clientCredentials === (m.grant === 'client_credentials'),
    'capabilities.clientCredentials contradicts grant',
  );
  say(!caps.pkce || caps.authorizationCode, 'PKCE is declared without the authorization code grant');
  say(
    !caps.refreshTokenDeadline || m.expiry.refreshTokenMaxAgeSeconds !== undefined,
    'a refresh token deadline is declared without refreshTokenMaxAgeSeconds',
  );
  const regions = Object.keys(m.endpoints);
  say(regions.length > 0, 'no endpoints declared');
  say(regions.join() === caps.regions.join(), 'capabilities.regions differs from the endpoint regions');
  for (const [region, endpoints] of Object.entries(m.endpoints)) {
    say(secureUrl(endpoints.token), `region ${region}: the token endpoint is not an https URL`);
    say(secureUrl(endpoints.apiBase), `region ${region}: the API base is not an https URL`);
    if (caps.authorizationCode)
      say(
        secureUrl(endpoints.authorization),
        `region ${region}: the authorization endpoint is not an https URL`,
      );
  }
  const first = caps.authorizationCode ? 'codeExchange' : 'clientCredentials';
  say(m.clientAuthentication[first] !== undefined, `no client authentication declared for ${first}`);
  say(
    !caps.refreshToken || m.clientAuthentication.refresh !== undefined,
    'refresh tokens declared without client authentication for refresh',
  );
  const e = m.expiry;
  say(
    e.expiresInUnit === 'seconds' || e.expiresInUnit === 'milliseconds',
    `expiresInUnit "${String(e.expiresInUnit)}" is neither seconds nor milliseconds`,
  );
  say(e.defaultLifetimeSeconds > 0, 'defaultLifetimeSeconds must be positive');
  say(
    e.refreshMarginSeconds > 0,
    e.refreshMarginSeconds === 0
      ? 'refreshMarginSeconds is 0: a token would be used until the instant it expires, so calls in flight then fail with 401; declare a margin (60 s or more is usual)'
      : 'refreshMarginSeconds must be positive',
  );
  say(e.maxLifetimeSeconds === undefined || e.maxLifetimeSeconds > 0, 'maxLifetimeSeconds must be positive');
  say(
    m.credentialSchema.properties[m.clientFields.id] !== undefined,
    `clientFields.id "${m.clientFields.id}" is not in the schema`,
  );
  say(
    m.credentialSchema.properties[m.clientFields.secret] !== undefined,
    `clientFields.secret "${m.clientFields.secret}" is not in the schema`,
  );
  say(
    m.validation === undefined || m.validation.path.startsWith('/'),
    'the validation probe path must start with "/"',
  );
  return problems;
}

/**
 * The manifest is what hosts, forms and this kit read to know the connector: it must be
 * coherent — identity, capabilities that agree with the grant, https endpoints per region,
 * client authentication declared for every grant, a sane expiry policy.
 */
export const manifestCoherent = defineScenario({
  id: 'contract.manifest',
  title:
    'The manifest is coherent: identity, capabilities, https endpoints, client authentication, expiry (a refresh margin)',
  family: 'contract',
  rule: { source: 'DESIGN.md (connector contract)' },
  appliesTo: always,
  async run(ctx) {
    const problems = manifestProblems(ctx.manifest);
    check(problems.length === 0, problems[0] ?? '', problems.slice(1));
  },
});
