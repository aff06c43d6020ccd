import nock from 'nock';
import { inspect } from 'node:util';
import {
  ErrorCode,
  InvalidCredentialsError,
  InvalidProviderResponseError,
  OAuthResponseError,
} from '@aic/connector-core';
import {
  PASSWORD,
  PLAIN_BASIC,
  expectClientCredentials,
  guardNetwork,
  leanCoreHarness,
  type LeanCoreHarness,
} from './__fixtures__/leancore-harness.js';

guardNetwork();

async function tokenError(h: LeanCoreHarness): Promise<Error> {
  const error: unknown = await h.connector.getAccessToken(h.connection()).catch((e: unknown) => e);
  if (!(error instanceof Error)) throw new Error('expected the token request to fail');
  return error;
}

/** Every place a secret could leak to: message, stack, JSON, inspect, logs. */
function expectNoSecrets(h: LeanCoreHarness, error: Error): void {
  const base64 = PLAIN_BASIC.slice('Basic '.length);
  for (const shown of [
    error.message,
    error.stack ?? '',
    JSON.stringify(error),
    inspect(error),
    ...h.logger.lines(),
  ]) {
    expect(shown).not.toContain(PASSWORD);
    expect(shown).not.toContain(base64);
  }
}

describe('LeanCore token endpoint errors', () => {
  it.each([400, 401])(
    'invalid_client with HTTP %i → ERR_INVALID_CLIENT naming /username and /password, es and en',
    async (status) => {
      const h = leanCoreHarness();
      const scope = expectClientCredentials(status, {
        error: 'invalid_client',
        // A provider may echo what it received: the password must be scrubbed from the message.
        error_description: `The client credentials are invalid. (${PASSWORD})`,
      });
      const error = await tokenError(h);
      scope.done();
      expect(error).toBeInstanceOf(InvalidCredentialsError);
      expect(error).toMatchObject({
        code: ErrorCode.InvalidClient,
        connectorId: 'leancore',
        connectionId: 'conn-1',
      });
      const { issues, localized } = error as InvalidCredentialsError;
      expect(issues.map((issue) => issue.pointer)).toEqual(['/username', '/password']);
      for (const issue of issues) {
        expect(issue.message.es).not.toBe('');
        expect(issue.message.en).not.toBe(issue.message.es);
      }
      expect(localized.es).toContain(`invalid_client, HTTP ${status}`);
      expect(localized.en).toContain(`invalid_client, HTTP ${status}`);
      expect(localized.en).toContain('The client credentials are invalid.');
      expect(localized.es).toMatch(/Revise el ID y el secreto de cliente/);
      expectNoSecrets(h, error);
    },
  );

  it('401 with only a WWW-Authenticate challenge and no body → ERR_INVALID_CLIENT', async () => {
    const h = leanCoreHarness();
    const scope = expectClientCredentials(401, '', { 'www-authenticate': 'Basic error="invalid_client"' });
    const error = await tokenError(h);
    scope.done();
    expect(error).toMatchObject({ code: ErrorCode.InvalidClient });
    expect((error as InvalidCredentialsError).issues.map((issue) => issue.pointer)).toEqual([
      '/username',
      '/password',
    ]);
    expectNoSecrets(h, error);
  });

  it.each([
    [400, 'unauthorized_client'],
    [400, 'invalid_scope'],
    [400, 'unsupported_grant_type'],
    [401, 'access_denied'],
  ])('HTTP %i %s → ERR_OAUTH carrying the OAuth error and status', async (status, oauthError) => {
    const h = leanCoreHarness();
    const scope = expectClientCredentials(status, { error: oauthError, error_description: 'Denied.' });
    const error = await tokenError(h);
    scope.done();
    expect(error).toBeInstanceOf(OAuthResponseError);
    expect(error).toMatchObject({ code: ErrorCode.OAuthError, oauthError, status });
    expect((error as OAuthResponseError).localized.es).toContain(`«${oauthError}» (HTTP ${status})`);
    expectNoSecrets(h, error);
  });

  it.each([
    ['an HTML page', 200, 'text/html; charset=utf-8', '<html><body>Welcome to LeanCore</body></html>'],
    ['an HTML error page', 400, 'text/html', '<html><body>Bad Request</body></html>'],
    ['truncated JSON', 200, 'application/json', '{"access_token": '],
    ['no access_token', 200, 'application/json', '{"token_type":"Bearer","expires_in":3600}'],
    ['an unknown token_type', 200, 'application/json', '{"access_token":"AT","token_type":"mac"}'],
    [
      'a non-numeric expires_in',
      200,
      'application/json',
      '{"access_token":"AT","token_type":"Bearer","expires_in":"soon"}',
    ],
  ])(
    '%s (HTTP %i %s) → ERR_INVALID_PROVIDER_RESPONSE without the body',
    async (_label, status, contentType, body) => {
      const h = leanCoreHarness();
      const scope = expectClientCredentials(status, body, { 'content-type': contentType });
      const error = await tokenError(h);
      scope.done();
      expect(error).toBeInstanceOf(InvalidProviderResponseError);
      expect(error).toMatchObject({ code: ErrorCode.InvalidProviderResponse, status, contentType });
      const localized = (error as InvalidProviderResponseError).localized;
      for (const message of [localized.es, localized.en]) {
        expect(message).toContain(`HTTP ${status}, ${contentType}`);
        expect(message).not.toContain('Welcome');
        expect(message).not.toContain('Bad Request');
      }
      expectNoSecrets(h, error);
    },
  );

  it('5xx is retried with backoff and ends in ERR_PROVIDER_UNAVAILABLE', async () => {
    const h = leanCoreHarness();
    const scope = nock('https://auth.leancore.co')
      .post('/oauth2/token', 'grant_type=client_credentials')
      .times(4)
      .reply(503, 'Service Unavailable', { 'content-type': 'text/plain' });
    const error = await tokenError(h);
    scope.done();
    expect(error).toMatchObject({ code: ErrorCode.ProviderUnavailable, status: 503 });
    expect(h.clock.sleeps).toHaveLength(3);
  });

  it('an aborted signal stops the request with ERR_ABORTED', async () => {
    const h = leanCoreHarness();
    const controller = new AbortController();
    controller.abort(new Error('host shutting down'));
    await expect(
      h.connector.getAccessToken(h.connection(), { signal: controller.signal }),
    ).rejects.toMatchObject({ code: ErrorCode.Aborted });
  });
});
