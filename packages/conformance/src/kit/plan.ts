import type { ConnectorManifest, Endpoints, FieldSchema } from '@aic/connector-core';

/** The hosts the kit scripts when a connector lets connections override their endpoints. */
export const KIT_ENDPOINTS = Object.freeze({
  authorization: 'https://authorize.conformance.test/oauth2/authorize',
  token: 'https://token.conformance.test/oauth2/token',
  apiBase: 'https://api.conformance.test/v1',
});

/** The redirect URI the kit configures when the credential schema has a `redirectUri` field. */
export const KIT_REDIRECT_URI = 'https://aic.conformance.test/oauth/callback';

type EndpointKey = keyof typeof KIT_ENDPOINTS;

/**
 * Which endpoints a scenario scripts. When the credential schema has an `endpoints` object with
 * the keys the grant needs (DESIGN.md: endpoints must be overridable per connection), the kit
 * points them at its own hosts; otherwise it scripts the manifest's endpoints of the region the
 * sample credentials select (`region`, else the first region).
 */
export interface EndpointPlan {
  /** True when every endpoint the grant needs points at a kit host. */
  readonly overridden: boolean;
  readonly region: string | undefined;
  readonly authorization: URL | undefined;
  readonly token: URL;
  readonly apiBase: URL;
  /** Endpoint keys the credential schema lets a connection override. */
  readonly overridableKeys: readonly EndpointKey[];
  /** What the kit writes into `credentials.endpoints`. */
  readonly overrides: Readonly<Partial<Record<EndpointKey, string>>>;
  /** Written into `credentials.redirectUri` when the schema has that field. */
  readonly redirectUri: string | undefined;
}

const isKey = (key: string): key is EndpointKey => key in KIT_ENDPOINTS;

function regionOf(manifest: ConnectorManifest): string | undefined {
  const sample = manifest.sampleCredentials['region'];
  if (typeof sample === 'string' && sample in manifest.endpoints) return sample;
  return Object.keys(manifest.endpoints)[0];
}

function parse(url: string | undefined): URL | undefined {
  if (url === undefined || !URL.canParse(url)) return undefined;
  return new URL(url);
}

/** Plans the endpoints of a manifest; throws a readable error when it declares none usable. */
export function planEndpoints(manifest: ConnectorManifest): EndpointPlan {
  const field: FieldSchema | undefined = manifest.credentialSchema.properties['endpoints'];
  const overridableKeys = field?.type === 'object' ? Object.keys(field.properties).filter(isKey) : [];
  const needed: EndpointKey[] = manifest.capabilities.authorizationCode
    ? ['authorization', 'token', 'apiBase']
    : ['token', 'apiBase'];
  const region = regionOf(manifest);
  const defaults: Partial<Endpoints> = region === undefined ? {} : (manifest.endpoints[region] ?? {});
  const overrides: Partial<Record<EndpointKey, string>> = {};
  for (const key of needed) if (overridableKeys.includes(key)) overrides[key] = KIT_ENDPOINTS[key];
  const resolved = { ...defaults, ...overrides };
  const token = parse(resolved.token);
  const apiBase = parse(resolved.apiBase);
  if (token === undefined || apiBase === undefined) {
    throw new Error(
      `the manifest declares no usable token/apiBase endpoint for region "${region ?? '—'}" and the credential schema cannot override them`,
    );
  }
  return {
    overridden: needed.every((key) => overridableKeys.includes(key)),
    region,
    authorization: parse(resolved.authorization),
    token,
    apiBase,
    overridableKeys,
    overrides,
    redirectUri:
      manifest.credentialSchema.properties['redirectUri'] === undefined ? undefined : KIT_REDIRECT_URI,
  };
}

/** The same location without query and fragment: how requests are matched to endpoints. */
export const endpointKey = (url: URL): string => `${url.origin}${url.pathname}`;
