import { clientSecretBasic, clientSecretPost, noClientAuthentication } from './client-authentication.js';
import {
  authorizationCodeGrantRequest,
  clientCredentialsGrantRequest,
  refreshTokenGrantRequest,
} from './token-request.js';

const endpoint = new URL('https://auth.example.com/token');
const client = { clientId: 'client-1', clientSecret: 'se cret+1' };
const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

describe('token requests (RFC 6749 §4.1.3, §6, §4.4)', () => {
  it('builds the code exchange with PKCE, exact redirect URI and client_secret_post', () => {
    const request = authorizationCodeGrantRequest(endpoint, client, clientSecretPost(), {
      code: 'code/1',
      redirectUri: 'https://aic.test/callback?x=1',
      codeVerifier: 'v'.repeat(43),
      extra: {
        scope: 'openid offline_access',
        code: 'forged',
        client_secret: 'forged',
        grant_type: 'password',
      },
    });
    expect(request).toEqual({
      grantType: 'authorization_code',
      url: endpoint,
      headers: formHeaders,
      body: `grant_type=authorization_code&code=code%2F1&redirect_uri=https%3A%2F%2Faic.test%2Fcallback%3Fx%3D1&code_verifier=${'v'.repeat(43)}&scope=openid+offline_access&client_id=client-1&client_secret=se+cret%2B1`,
      secrets: ['se cret+1', 'code/1', 'v'.repeat(43)],
      authentication: { method: 'client_secret_post', encoding: undefined },
    });
  });

  it('builds a refresh with Basic only (no credentials in the body) and an optional redirect_uri', () => {
    const request = refreshTokenGrantRequest(endpoint, client, clientSecretBasic({ encoding: 'rfc6749' }), {
      refreshToken: 'RT 1',
      redirectUri: 'https://aic.test/callback',
    });
    expect(request.headers).toEqual({
      ...formHeaders,
      authorization: `Basic ${Buffer.from('client%2D1:se+cret%2B1').toString('base64')}`,
    });
    expect(request.body).toBe(
      'grant_type=refresh_token&refresh_token=RT+1&redirect_uri=https%3A%2F%2Faic.test%2Fcallback',
    );
    expect(request.authentication).toEqual({ method: 'client_secret_basic', encoding: 'rfc6749' });
    expect(request.secrets).toEqual(['se cret+1', 'RT 1']);
    expect(
      refreshTokenGrantRequest(endpoint, client, clientSecretPost(), {
        refreshToken: 'RT',
        extra: { foo: 'bar' },
      }).body,
    ).toBe('grant_type=refresh_token&refresh_token=RT&foo=bar&client_id=client-1&client_secret=se+cret%2B1');
  });

  it('builds client credentials with plain Basic and a scope', () => {
    const request = clientCredentialsGrantRequest(
      endpoint,
      client,
      clientSecretBasic({ encoding: 'plain' }),
      {
        scope: 'read',
      },
    );
    expect(request.grantType).toBe('client_credentials');
    expect(request.body).toBe('grant_type=client_credentials&scope=read');
    expect(request.headers['authorization']).toBe(
      `Basic ${Buffer.from('client-1:se cret+1').toString('base64')}`,
    );
    expect(clientCredentialsGrantRequest(endpoint, client, clientSecretPost()).body).toBe(
      'grant_type=client_credentials&client_id=client-1&client_secret=se+cret%2B1',
    );
  });

  it('public clients send only client_id and list no secret', () => {
    const request = authorizationCodeGrantRequest(endpoint, { clientId: 'pub' }, noClientAuthentication(), {
      code: 'c0de',
      redirectUri: 'https://aic.test/cb',
    });
    expect(request.body).toBe(
      'grant_type=authorization_code&code=c0de&redirect_uri=https%3A%2F%2Faic.test%2Fcb&client_id=pub',
    );
    expect(request.headers).toEqual(formHeaders);
    expect(request.secrets).toEqual(['c0de']);
  });
});
