import { OAuthConnector, baseFields, defineCredentialSchema, text } from '@aic/connector-core';
import { moduleOf, referenceCode } from '../reference.js';
import type { BrokenConnector } from './broken-connector.js';

/** The reference schema with a client secret field that is not marked secret. */
const unmarkedSchema = defineCredentialSchema({
  ...referenceCode.credentialSchema,
  $id: 'https://conformance.test/unmarked.credentials.json',
  title: text('Sin marcar', 'Unmarked'),
  description: text('Secreto sin marcar', 'Unmarked secret'),
  properties: {
    ...referenceCode.credentialSchema.properties,
    clientSecret: { ...baseFields.clientId(), maxLength: 4096 },
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

/** Declares milliseconds in its manifest while its engine reads seconds. */
const misdeclaredExpiry = { ...referenceCode.expiry, expiresInUnit: 'milliseconds' } as const;

export const unmarkedSecret: BrokenConnector = {
  name: 'unmarked-secret',
  breaks: 'does not mark the client secret as secret in its credential schema',
  module: moduleOf(
    (runtime) => new OAuthConnector({ ...referenceCode, credentialSchema: unmarkedSchema }, runtime),
  ),
  caughtBy: ['contract.credential-schema'],
};

export const ignoresDeclaredExpiryUnit: BrokenConnector = {
  name: 'ignores-declared-expiry-unit',
  breaks: 'declares expires_in in milliseconds but reads it in seconds',
  module: moduleOf((runtime) => {
    const connector = new OAuthConnector(referenceCode, runtime);
    Object.defineProperty(connector, 'manifest', {
      value: Object.freeze({ ...connector.manifest, expiry: misdeclaredExpiry }),
    });
    return connector;
  }),
  caughtBy: ['token-response.expires-in-unit', 'token-response.expires-in-string', 'refresh.margin'],
};

/** The reference schema without `endpoints`: connections cannot be pointed at other hosts. */
const fixedSchema = defineCredentialSchema({
  $id: 'https://conformance.test/fixed.credentials.json',
  title: text('Fijo', 'Fixed'),
  description: text('Sin endpoints configurables', 'No configurable endpoints'),
  properties: {
    clientId: baseFields.clientId(),
    clientSecret: baseFields.clientSecret(),
    redirectUri: baseFields.redirectUri(),
    region: baseFields.region(['main'], 'main'),
  },
  required: ['clientId', 'clientSecret', 'redirectUri'],
});

export const zeroRefreshMargin: BrokenConnector = {
  name: 'zero-refresh-margin',
  breaks: 'declares a refresh margin of 0 (a token is used until the instant it expires)',
  module: moduleOf(
    (runtime) =>
      new OAuthConnector(
        { ...referenceCode, expiry: { ...referenceCode.expiry, refreshMarginSeconds: 0 } },
        runtime,
      ),
  ),
  caughtBy: ['contract.manifest'],
};

export const fixedEndpoints: BrokenConnector = {
  name: 'fixed-endpoints',
  breaks: 'offers no way to point a connection at other hosts (no endpoints in its credential schema)',
  module: moduleOf(
    (runtime) => new OAuthConnector({ ...referenceCode, credentialSchema: fixedSchema }, runtime),
  ),
  caughtBy: ['contract.endpoints-overridable'],
};
