import type { RecordedRequest, ScriptedResponse } from './provider-script.js';
import { classifyUnscripted, describeResponse } from './unscripted.js';

const TOKEN = 'https://token.conformance.test/oauth2/token';

let seq = 0;
function request(
  url: string,
  options: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    scripted?: boolean;
    role?: RecordedRequest['role'];
    knownHost?: boolean;
    response?: ScriptedResponse;
  } = {},
): RecordedRequest {
  seq += 1;
  return {
    seq,
    method: options.method ?? 'POST',
    url: new URL(url),
    headers: options.headers ?? {},
    body: options.body ?? '',
    scripted: options.scripted ?? true,
    role: options.role ?? (url === TOKEN ? 'token' : 'api'),
    knownHost: options.knownHost ?? true,
    response: options.response ?? {},
  };
}

const unscripted = (url: string, options: Parameters<typeof request>[1] = {}): RecordedRequest =>
  request(url, { ...options, scripted: false });

describe('classifyUnscripted', () => {
  it('names a code exchange retried after invalid_grant', () => {
    const first = request(TOKEN, {
      body: 'grant_type=authorization_code&code=abc',
      response: { status: 400, error: 'invalid_grant' },
    });
    const retry = unscripted(TOKEN, { body: 'grant_type=authorization_code&code=abc' });
    expect(classifyUnscripted(retry, [first])).toBe(
      'the code exchange was retried after invalid_grant: POST https://token.conformance.test/oauth2/token',
    );
  });

  it('names a refresh retried after a 4xx without an OAuth error, and one attempted too often after 503', () => {
    const body = 'grant_type=refresh_token&refresh_token=rt-1';
    const refused = request(TOKEN, { body, response: { status: 403 } });
    expect(classifyUnscripted(unscripted(TOKEN, { body }), [refused])).toBe(
      'the refresh was retried after HTTP 403: POST https://token.conformance.test/oauth2/token',
    );
    const down = [1, 2, 3].map(() => request(TOKEN, { body, response: { status: 503 } }));
    expect(classifyUnscripted(unscripted(TOKEN, { body }), down)).toBe(
      'the refresh was attempted a 4th time after 503: more attempts than the scenario allows: POST https://token.conformance.test/oauth2/token',
    );
  });

  it('names a second refresh after a successful one, and a second exchange of one code', () => {
    const refreshed = request(TOKEN, {
      body: 'grant_type=refresh_token&refresh_token=rt-1',
      response: { status: 200, tokens: true },
    });
    expect(
      classifyUnscripted(unscripted(TOKEN, { body: 'grant_type=refresh_token&refresh_token=rt-2' }), [
        refreshed,
      ]),
    ).toBe(
      'a second refresh (an earlier one had already succeeded): POST https://token.conformance.test/oauth2/token',
    );
    const exchanged = request(TOKEN, {
      body: 'grant_type=authorization_code&code=c-1',
      response: { status: 200, tokens: true },
    });
    expect(
      classifyUnscripted(unscripted(TOKEN, { body: 'grant_type=authorization_code&code=c-1' }), [exchanged]),
    ).toBe(
      'the authorization code was exchanged a second time: POST https://token.conformance.test/oauth2/token',
    );
  });

  it('names a followed redirect with the credentials it carried, and a call to an unknown host', () => {
    const redirected = request('https://api.conformance.test/v1/me', {
      method: 'GET',
      response: { status: 302, location: 'https://elsewhere.test/landing?x=1' },
    });
    const followed = unscripted('https://elsewhere.test/landing?x=1', {
      method: 'GET',
      knownHost: false,
      role: 'other',
      headers: { authorization: 'Bearer abc' },
    });
    expect(classifyUnscripted(followed, [redirected])).toBe(
      'the connector followed the 302 redirect from the API to GET https://elsewhere.test/landing, carrying the access token',
    );
    const stray = unscripted('https://evil.test/x', { method: 'GET', knownHost: false, role: 'other' });
    expect(classifyUnscripted(stray, [])).toBe(
      'a call to a host the scenario never scripted: GET https://evil.test/x',
    );
  });

  it('names an API call repeated after 401, a path not scripted, and repeats of one unscripted call', () => {
    const url = 'https://api.conformance.test/v1/me';
    const rejected = [1, 2].map(() => request(url, { method: 'GET', response: { status: 401 } }));
    expect(classifyUnscripted(unscripted(url, { method: 'GET' }), rejected)).toBe(
      'the API call was sent again after 2 401 answers: GET https://api.conformance.test/v1/me',
    );
    const other = unscripted('https://api.conformance.test/v1/other', {
      method: 'GET',
      headers: { authorization: 'Bearer x' },
    });
    expect(classifyUnscripted(other, [])).toBe(
      'a call to an API path the scenario did not script: GET https://api.conformance.test/v1/other, carrying the access token',
    );
    expect(classifyUnscripted(unscripted(other.url.href, { method: 'GET' }), [other])).toBe(
      'the same unscripted call again (attempt 2): GET https://api.conformance.test/v1/other',
    );
  });

  it('names a grant run after another grant failed (a fallback)', () => {
    const refresh = request(TOKEN, {
      body: 'grant_type=refresh_token&refresh_token=rt-1',
      response: { status: 308, location: 'https://token.conformance.test/moved' },
    });
    expect(classifyUnscripted(unscripted(TOKEN, { body: 'grant_type=client_credentials' }), [refresh])).toBe(
      'a client credentials request after the refresh was answered 308 → https://token.conformance.test/moved: POST https://token.conformance.test/oauth2/token',
    );
  });

  it('names a token request whose grant the scenario did not script, and a call to the authorization endpoint', () => {
    expect(classifyUnscripted(unscripted(TOKEN, { body: 'grant_type=client_credentials' }), [])).toBe(
      'a client credentials request the scenario did not script: POST https://token.conformance.test/oauth2/token',
    );
    const browser = unscripted('https://authorize.conformance.test/oauth2/authorize', {
      method: 'GET',
      role: 'authorization',
    });
    expect(classifyUnscripted(browser, [])).toBe(
      "a request to the authorization endpoint, where only the person's browser goes: GET https://authorize.conformance.test/oauth2/authorize",
    );
  });
});

describe('describeResponse', () => {
  it('says what was answered, or that nothing was scripted', () => {
    expect(describeResponse(request(TOKEN, { response: { status: 400, error: 'invalid_client' } }))).toBe(
      '400 invalid_client',
    );
    expect(describeResponse(unscripted(TOKEN))).toBe('nothing: the call was not scripted');
    expect(describeResponse(request(TOKEN))).toBe('with a scripted reply');
  });
});
