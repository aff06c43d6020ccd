import { manifestOf } from '@aic/connector-core';
import { referenceClient, referenceCode } from '../self-test/reference.js';
import { KIT_ENDPOINTS, KIT_REDIRECT_URI, planEndpoints } from './plan.js';

describe('planEndpoints', () => {
  it('points every endpoint the grant needs at kit hosts when the schema can override them', () => {
    const plan = planEndpoints(manifestOf(referenceCode));
    expect(plan).toMatchObject({ overridden: true, region: 'main', redirectUri: KIT_REDIRECT_URI });
    expect(plan.overrides).toEqual(KIT_ENDPOINTS);
    expect(plan.token.href).toBe(KIT_ENDPOINTS.token);
  });

  it('scripts the provider’s own endpoints of the sample region when it cannot', () => {
    const manifest = manifestOf({
      ...referenceClient,
      credentialSchema: {
        ...referenceClient.credentialSchema,
        properties: {
          username: referenceClient.credentialSchema.properties.username,
          password: referenceClient.credentialSchema.properties.password,
        },
      },
    });
    const plan = planEndpoints(manifest);
    expect(plan).toMatchObject({
      overridden: false,
      overrides: {},
      redirectUri: undefined,
      authorization: undefined,
    });
    expect(plan.token.href).toBe('https://auth.reference.test/oauth2/token');
    expect(plan.apiBase.href).toBe('https://api.reference.test/');
  });

  it('refuses a manifest without usable endpoints', () => {
    const manifest = {
      ...manifestOf(referenceClient),
      endpoints: {},
      credentialSchema: { ...referenceClient.credentialSchema, properties: {} },
    };
    expect(() => planEndpoints(manifest as never)).toThrow('declares no usable token/apiBase endpoint');
  });
});
