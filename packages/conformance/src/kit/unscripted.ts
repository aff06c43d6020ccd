import type { RecordedRequest } from './provider-script.js';

/*
 * Naming what an unscripted call was. A scenario scripts exactly the calls a correct connector
 * makes; anything else is the connector breaking a rule, and the failure should say which
 * ("the code exchange was retried after invalid_grant") before the symptom it caused (an error
 * about nock's 501 answer).
 */

const GRANTS: Readonly<Record<string, string>> = {
  authorization_code: 'code exchange',
  refresh_token: 'refresh',
  client_credentials: 'client credentials request',
};

/** Where a request went, in words: "the token endpoint", "the API", … */
export function roleName(request: RecordedRequest): string {
  switch (request.role) {
    case 'token':
      return 'the token endpoint';
    case 'api':
      return 'the API';
    case 'authorization':
      return 'the authorization endpoint';
    default:
      return request.url.origin;
  }
}

/** What the provider answered, in words: `400 invalid_grant`, `302 → https://…`, `200 with tokens`. */
export function describeResponse(request: RecordedRequest): string {
  const { status, error, location, tokens } = request.response;
  if (!request.scripted) return 'nothing: the call was not scripted';
  if (status === undefined) return 'with a scripted reply';
  const parts = [String(status)];
  if (error !== undefined) parts.push(error);
  if (location !== undefined) parts.push(`→ ${location}`);
  if (tokens === true) parts.push('with tokens');
  return parts.join(' ');
}

const where = (request: RecordedRequest): string =>
  `${request.method} ${request.url.origin}${request.url.pathname}`;

/** The credentials a request carries, by role: "the access token", "the client secret", … */
export function credentialsOf(request: RecordedRequest): string[] {
  const out: string[] = [];
  const authorization = request.headers['authorization'];
  if (authorization !== undefined) {
    out.push(/^basic\s/i.test(authorization) ? 'the Basic credentials' : 'the access token');
  }
  const form = new URLSearchParams(request.body);
  for (const [field, name] of [
    ['client_secret', 'the client secret'],
    ['refresh_token', 'the refresh token'],
    ['code', 'the authorization code'],
    ['code_verifier', 'the PKCE verifier'],
  ] as const) {
    if (form.has(field) || request.url.searchParams.has(field)) out.push(name);
  }
  return out;
}

const carrying = (request: RecordedRequest): string => {
  const credentials = credentialsOf(request);
  return credentials.length === 0 ? '' : `, carrying ${credentials.join(' and ')}`;
};

const isClientError = (status: number | undefined): boolean =>
  status !== undefined && status >= 400 && status < 500 && status !== 408 && status !== 429;
const isTransient = (status: number | undefined): boolean =>
  status !== undefined && (status >= 500 || status === 408 || status === 429);

const ordinal = (n: number): string => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
};

/** The grant credential that identifies "the same" token request: the code or the refresh token. */
function grantKey(request: RecordedRequest): string {
  const form = new URLSearchParams(request.body);
  return `${form.get('grant_type') ?? ''}\u001f${form.get('code') ?? form.get('refresh_token') ?? ''}`;
}

function classifyToken(request: RecordedRequest, earlier: readonly RecordedRequest[]): string {
  const grantType = new URLSearchParams(request.body).get('grant_type') ?? '';
  const grant = GRANTS[grantType] ?? `token request (grant_type=${grantType || 'none'})`;
  const sameGrant = earlier.filter((r) => r.role === 'token' && grantKey(r) === grantKey(request));
  const previous = sameGrant.at(-1);
  if (previous !== undefined && isClientError(previous.response.status)) {
    return `the ${grant} was retried after ${previous.response.error ?? `HTTP ${String(previous.response.status)}`}`;
  }
  if (previous !== undefined && isTransient(previous.response.status)) {
    return `the ${grant} was attempted a ${ordinal(sameGrant.length + 1)} time after ${describeResponse(previous)}: more attempts than the scenario allows`;
  }
  const last = earlier.filter((r) => r.role === 'token').at(-1);
  const lastGrantType = last === undefined ? undefined : new URLSearchParams(last.body).get('grant_type');
  if (last !== undefined && lastGrantType !== grantType && last.response.tokens !== true) {
    const lastGrant = GRANTS[lastGrantType ?? ''] ?? 'token request';
    return `a ${grant} after the ${lastGrant} was answered ${describeResponse(last)}`;
  }
  const succeeded = earlier.filter(
    (r) =>
      r.role === 'token' &&
      new URLSearchParams(r.body).get('grant_type') === grantType &&
      r.response.tokens === true,
  );
  if (grantType === 'authorization_code' && previous !== undefined) {
    return 'the authorization code was exchanged a second time';
  }
  if (succeeded.length > 0 && grantType !== 'authorization_code') {
    const earlierOnes = succeeded.length === 1 ? 'an earlier one' : `${succeeded.length} earlier ones`;
    return `a second ${grant} (${earlierOnes} had already succeeded)`;
  }
  return `a ${grant} the scenario did not script`;
}

function classifyApi(request: RecordedRequest, earlier: readonly RecordedRequest[]): string {
  const same = earlier.filter(
    (r) => r.role === 'api' && r.method === request.method && r.url.pathname === request.url.pathname,
  );
  const previous = same.at(-1);
  if (previous?.response.status === 401) {
    const after = same.filter((r) => r.response.status === 401).length;
    return `the API call was sent again after ${after === 1 ? 'a' : after} 401 answer${after === 1 ? '' : 's'}: ${where(request)}`;
  }
  if (previous !== undefined && isTransient(previous.response.status)) {
    return `the API call was attempted a ${ordinal(same.length + 1)} time after ${describeResponse(previous)}: ${where(request)}`;
  }
  return `a call to an API path the scenario did not script: ${where(request)}${carrying(request)}`;
}

/**
 * What an unscripted request was, in one phrase, from the requests before it: a retry the rule
 * forbids, a second refresh, a followed redirect, a call to an unknown host, a path not scripted.
 */
export function classifyUnscripted(request: RecordedRequest, earlier: readonly RecordedRequest[]): string {
  const repeats = earlier.filter(
    (r) =>
      !r.scripted &&
      r.method === request.method &&
      where(r) === where(request) &&
      (r.role !== 'token' || grantKey(r) === grantKey(request)),
  ).length;
  if (repeats > 0) {
    return `the same unscripted call again (attempt ${repeats + 1}): ${where(request)}`;
  }
  const followed = earlier.find(
    (r) =>
      r.response.location !== undefined &&
      URL.canParse(r.response.location, r.url.href) &&
      new URL(r.response.location, r.url).href.split('?')[0] === request.url.href.split('?')[0],
  );
  if (followed !== undefined) {
    return `the connector followed the ${String(followed.response.status)} redirect from ${roleName(followed)} to ${where(request)}${carrying(request)}`;
  }
  if (!request.knownHost) {
    return `a call to a host the scenario never scripted: ${where(request)}${carrying(request)}`;
  }
  switch (request.role) {
    case 'token':
      return `${classifyToken(request, earlier)}: ${where(request)}`;
    case 'api':
      return classifyApi(request, earlier);
    case 'authorization':
      return `a request to the authorization endpoint, where only the person's browser goes: ${where(request)}${carrying(request)}`;
    default:
      return `a call to a path the scenario did not script: ${where(request)}${carrying(request)}`;
  }
}
