import nock from 'nock';
import { createDefaultDispatcher, manifestOf, sendHttp } from '@aic/connector-core';
import { referenceCode } from '../self-test/reference.js';
import { planEndpoints } from './plan.js';
import { ProviderScript } from './provider-script.js';
import { SecretRegistry } from './secrets.js';
import { Sequence } from './sequence.js';

const plan = planEndpoints(manifestOf(referenceCode));

describe('ProviderScript', () => {
  const dispatcher = createDefaultDispatcher();
  let script: ProviderScript;
  let secrets: SecretRegistry;

  beforeEach(() => {
    nock.disableNetConnect();
    secrets = new SecretRegistry();
    script = new ProviderScript(plan, new Sequence(), secrets);
    script.start();
  });

  afterEach(() => {
    script.stop();
    nock.enableNetConnect();
  });

  afterAll(() => dispatcher.destroy());

  const post = (url: string, body: string, headers: Record<string, string> = {}) =>
    sendHttp(dispatcher, { method: 'POST', url: new URL(url), headers, body });

  it('records scripted requests with headers and body, and learns the secrets they carry', async () => {
    script.token().reply(200, { ok: true });
    const response = await post(
      plan.token.href,
      'grant_type=refresh_token&refresh_token=kit-rt-1.secret-value',
      {
        authorization: 'Basic a2l0LWlkOmtpdC1zZWNyZXQ=',
        'content-type': 'application/x-www-form-urlencoded',
      },
    );
    expect(response.status).toBe(200);
    const [request] = script.tokenRequests();
    expect(request).toMatchObject({
      seq: 1,
      method: 'POST',
      scripted: true,
      role: 'token',
      body: 'grant_type=refresh_token&refresh_token=kit-rt-1.secret-value',
    });
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(secrets.find('x kit-rt-1.secret-value a2l0LWlkOmtpdC1zZWNyZXQ=').sort()).toEqual([
      'Basic credentials',
      'refresh token',
    ]);
    expect(script.problems()).toEqual([]);
  });

  it('reports an unmatched path (nock 501) and an unknown host as unscripted calls', async () => {
    script.token().reply(200, {});
    const wrongPath = await post('https://token.conformance.test/other?client_secret=x', 'a=b');
    expect(wrongPath.status).toBe(501);
    await expect(post('https://elsewhere.conformance.test/token', 'c=d')).rejects.toMatchObject({
      code: 'ERR_PROVIDER_UNAVAILABLE',
    });
    await script.settle();
    expect(script.requests.map((r) => [r.scripted, r.role, r.body])).toEqual([
      [false, 'other', 'a=b'],
      [false, 'other', 'c=d'],
    ]);
    expect(script.problems()).toEqual([
      'a call to a path the scenario did not script: POST https://token.conformance.test/other, carrying the client secret',
      'a call to a host the scenario never scripted: POST https://elsewhere.conformance.test/token',
      'a scripted call was never made: POST https://token.conformance.test:443/oauth2/token',
    ]);
  });

  it('resolves API paths under the API base and classifies them', async () => {
    expect(script.apiUrl('/me').href).toBe('https://api.conformance.test/v1/me');
    script.api('GET', '/me').reply(200, {});
    await sendHttp(dispatcher, {
      method: 'GET',
      url: script.apiUrl('/me'),
      headers: { authorization: 'Bearer kit-at-1.token-value' },
    });
    expect(script.apiRequests()).toHaveLength(1);
    expect(secrets.find('kit-at-1.token-value')).toEqual(['access token']);
  });

  it('remembers what each scripted reply answered, fixed or computed, and says what came last', async () => {
    script.token().reply(400, { error: 'invalid_grant', error_description: 'expired' });
    script.token().reply(async () => [302, '', { Location: 'https://elsewhere.conformance.test/x' }]);
    script.token().reply(200, () => ({ access_token: 'kit-at-9.token-value', token_type: 'Bearer' }));
    for (let i = 0; i < 3; i++) await post(plan.token.href, 'grant_type=client_credentials');
    expect(script.tokenRequests().map((r) => ({ ...r.response }))).toEqual([
      { status: 400, error: 'invalid_grant', location: undefined, tokens: false },
      { status: 302, error: undefined, location: 'https://elsewhere.conformance.test/x', tokens: false },
      { status: 200, error: undefined, location: undefined, tokens: true },
    ]);
    expect(script.lastAnswerBetween(0, 1)).toBe('the token endpoint answered 400 invalid_grant');
    expect(script.lastAnswerBetween(0, 2)).toBe(
      'the token endpoint answered 302 → https://elsewhere.conformance.test/x',
    );
    expect(script.lastAnswerBetween(2, 99)).toBe('the token endpoint answered 200 with tokens');
    expect(script.lastAnswerBetween(3, 99)).toBeUndefined();
  });
});
