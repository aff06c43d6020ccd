import { manifestOf } from '@aic/connector-core';
import { referenceClient, referenceCode } from '../self-test/reference.js';
import { planInterop, translationOf, usesBasic } from './plan.js';

describe('planInterop (the server from the manifest alone)', () => {
  it('authorization code: PKCE, refresh, Basic registration, the exchange in the body translated', () => {
    const plan = planInterop(manifestOf(referenceCode), ['read', 'openid', 'read']);
    expect(plan).toEqual({
      connectorId: 'kit-reference-code',
      grant: 'authorization_code',
      pkce: true,
      refresh: true,
      auth: {
        authorization_code: { method: 'client_secret_post', encoding: undefined },
        refresh_token: { method: 'client_secret_basic', encoding: 'rfc6749' },
      },
      registeredMethod: 'client_secret_basic',
      expiresInUnit: 'seconds',
      accessTokenTtlSeconds: 3600,
      scopes: ['read'],
    });
    expect(translationOf(plan, 'authorization_code')).toBe('post-to-basic');
    expect(translationOf(plan, 'refresh_token')).toBe('none');
    expect(usesBasic(plan)).toBe(true);
  });

  it('client credentials with plain Basic: no refresh at the server, the plain pair decoded raw', () => {
    const plan = planInterop(manifestOf(referenceClient));
    expect(plan).toMatchObject({
      grant: 'client_credentials',
      pkce: false,
      refresh: false,
      registeredMethod: 'client_secret_basic',
    });
    expect(translationOf(plan, 'client_credentials')).toBe('plain-basic');
    expect(translationOf(plan, 'authorization_code')).toBe('none');
  });

  it('milliseconds and short lifetimes: the unit is kept, the server lifetime is at least a minute', () => {
    const manifest = manifestOf({
      ...referenceCode,
      expiry: {
        expiresInUnit: 'milliseconds',
        defaultLifetimeSeconds: 1800,
        maxLifetimeSeconds: 20,
        refreshMarginSeconds: 5,
      },
    });
    expect(planInterop(manifest)).toMatchObject({ expiresInUnit: 'milliseconds', accessTokenTtlSeconds: 60 });
  });
});
