import type { CredentialSchema } from '../credentials/schema-types.js';
import type { ClientAuthentication } from '../oauth/client-authentication.js';
import { declaredOrigins } from '../oauth/endpoint-policy.js';
import type { ConnectorManifest, DeclaredClientAuthentication } from './contract.js';
import type { ProviderDefinition } from './definition.js';

const declared = (auth: ClientAuthentication | undefined): DeclaredClientAuthentication | undefined =>
  auth === undefined ? undefined : { method: auth.method, encoding: auth.encoding };

/**
 * The manifest a definition declares: what hosts, credential forms and the conformance kit read
 * (capabilities, endpoints per region, client authentication per grant, expiry policy, schema).
 * Client authentications appear as their method and encoding only.
 */
export function manifestOf<S extends CredentialSchema>(definition: ProviderDefinition<S>): ConnectorManifest {
  const grant = definition.grant;
  const code = grant.type === 'authorization_code';
  return Object.freeze({
    id: definition.id,
    version: definition.version,
    displayName: definition.displayName,
    description: definition.description,
    grant: grant.type,
    capabilities: {
      authorizationCode: code,
      pkce: code && grant.pkce === 'S256',
      refreshToken: code || grant.refreshAuth !== undefined,
      clientCredentials: !code,
      refreshTokenDeadline:
        definition.expiry.refreshTokenMaxAgeSeconds !== undefined &&
        definition.expiry.refreshTokenAgeFrom === 'authorization',
      regions: Object.keys(definition.regions),
    },
    endpoints: definition.regions,
    origins: Object.freeze(declaredOrigins(definition.regions, definition.origins)),
    issuerParameter: code ? (grant.issuerParameter ?? 'optional') : undefined,
    clientAuthentication: code
      ? { codeExchange: declared(grant.codeExchangeAuth), refresh: declared(grant.refreshAuth) }
      : { clientCredentials: declared(grant.auth), refresh: declared(grant.refreshAuth) },
    expiry: definition.expiry,
    credentialSchema: definition.credentialSchema,
    clientFields: definition.clientFields ?? { id: 'clientId', secret: 'clientSecret' },
    validation: definition.validation,
    sampleCredentials: definition.sampleCredentials as Readonly<Record<string, unknown>>,
  });
}
