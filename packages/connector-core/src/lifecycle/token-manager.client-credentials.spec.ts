import nock from 'nock';
import { ErrorCode } from '../errors/codes.js';
import { CC_BASIC, CC_HOST, CC_SECRET, ccDefinition, harnessFor } from '../__fixtures__/fixture-provider.js';
import { guardScriptedNetwork } from '../testing/scripted-network.js';

guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });

const KEY = 'fixture-cc\u001fconn-1';
const issue = () =>
  nock(CC_HOST, { badheaders: [] })
    .post('/oauth2/token', 'grant_type=client_credentials&scope=read')
    .matchHeader('authorization', CC_BASIC)
    .matchHeader('content-type', 'application/x-www-form-urlencoded')
    .matchHeader('accept', 'application/json');
const cc = (extra: Record<string, unknown> = {}) => ({
  access_token: 'CC-1',
  token_type: 'bearer',
  expires_in: '3600',
  ...extra,
});

describe('client credentials lifecycle (RFC 6749 §4.4)', () => {
  it('obtains a token with Basic (plain, UTF-8) and re-issues instead of refreshing after expiry', async () => {
    expect(CC_SECRET).toContain('€');
    const h = harnessFor(ccDefinition);
    const first = issue().reply(200, cc());
    expect(await h.connector.getAccessToken(h.connection)).toEqual({
      accessToken: 'CC-1',
      tokenType: 'Bearer',
      expiresAt: h.clock.now() + 3_600_000,
    });
    first.done();
    h.clock.advance(3_540_000 - 1);
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('CC-1');
    h.clock.advance(1);
    const second = issue().reply(200, cc({ access_token: 'CC-2' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('CC-2');
    second.done();
    expect(await h.connector.getStatus(h.connection)).toMatchObject({
      state: 'active',
      hasRefreshToken: false,
    });
  });

  it('uses a refresh token when the provider sends one (client_secret_post), not a new grant', async () => {
    const h = harnessFor(ccDefinition);
    issue().reply(200, cc({ refresh_token: 'CC-RT' }));
    await h.connector.getAccessToken(h.connection);
    h.clock.advance(3_600_000);
    const refresh = nock(CC_HOST, { badheaders: ['authorization'] })
      .post(
        '/oauth2/token',
        `grant_type=refresh_token&refresh_token=CC-RT&client_id=cc-client&client_secret=${encodeURIComponent(CC_SECRET)}`,
      )
      .reply(200, cc({ access_token: 'CC-2' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('CC-2');
    refresh.done();
    expect((await h.tokenStore.get(KEY))?.tokens?.refreshToken).toBe('CC-RT');
  });

  it('falls back to a new grant when the refresh token is refused, never ending in reauthorization', async () => {
    const h = harnessFor(ccDefinition);
    issue().reply(200, cc({ refresh_token: 'CC-RT' }));
    await h.connector.getAccessToken(h.connection);
    h.clock.advance(3_600_000);
    const refused = nock(CC_HOST)
      .post('/oauth2/token', /grant_type=refresh_token/)
      .reply(400, { error: 'invalid_grant' });
    const reissue = issue().reply(200, cc({ access_token: 'CC-3' }));
    expect((await h.connector.getAccessToken(h.connection)).accessToken).toBe('CC-3');
    refused.done();
    reissue.done();
    expect(await h.tokenStore.get(KEY)).toMatchObject({
      status: 'active',
      tokens: { accessToken: 'CC-3', refreshToken: undefined }, // the refused refresh token is dropped
    });
    expect(h.logger.entries.map((e) => e.message)).toContain(
      'refresh failed; falling back to client credentials',
    );
  });

  it('does not fall back while the provider is down: the caller gets ERR_PROVIDER_UNAVAILABLE', async () => {
    const h = harnessFor(ccDefinition);
    issue().reply(200, cc({ refresh_token: 'CC-RT' }));
    await h.connector.getAccessToken(h.connection);
    h.clock.advance(3_600_000);
    const down = nock(CC_HOST)
      .post('/oauth2/token', /grant_type=refresh_token/)
      .times(3)
      .reply(503);
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.ProviderUnavailable,
      status: 503,
    });
    down.done();
  });

  it('maps invalid_client (401) to ERR_INVALID_CLIENT naming the client fields', async () => {
    const h = harnessFor(ccDefinition);
    const scope = issue().reply(401, { error: 'invalid_client', error_description: 'Bad credentials' });
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.InvalidClient,
      issues: [
        expect.objectContaining({ pointer: '/clientId' }),
        expect.objectContaining({ pointer: '/clientSecret' }),
      ],
    });
    scope.done();
  });

  it('refuses a client id containing ":" in plain Basic mode before any call (RFC 7617 §2)', async () => {
    const h = harnessFor(ccDefinition, { clientId: 'tenant:client' });
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
      connectorId: 'fixture-cc',
      connectionId: 'conn-1',
      message:
        'The client ID contains “:”, which plain Basic authentication cannot carry: fix the ID or use the rfc6749 encoding.',
    });
  });

  it('validates the credentials before any network call', async () => {
    const h = harnessFor(ccDefinition, { clientSecret: '' });
    await expect(h.connector.getAccessToken(h.connection)).rejects.toMatchObject({
      code: ErrorCode.InvalidCredentials,
      issues: [{ pointer: '/clientSecret', message: expect.anything() }],
    });
  });
});
