import nock from 'nock';
import type { EndpointPlan } from './plan.js';
import { endpointKey } from './plan.js';
import type { SecretRegistry } from './secrets.js';
import type { Sequence } from './sequence.js';

/** Which scripted endpoint a request went to. */
export type EndpointRole = 'authorization' | 'token' | 'api' | 'other';

/** One HTTP request the kit's provider received, scripted or not. */
export interface RecordedRequest {
  readonly seq: number;
  readonly method: string;
  readonly url: URL;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** False when no scripted interceptor matched (nock answered 501 or refused the connection). */
  readonly scripted: boolean;
  readonly role: EndpointRole;
}

/** Form fields whose values are secrets wherever they travel. */
const SECRET_FORM_FIELDS = {
  client_secret: 'client secret',
  code: 'authorization code',
  code_verifier: 'PKCE verifier',
  refresh_token: 'refresh token',
  access_token: 'access token',
} as const;

/**
 * The scripted provider of one scenario, over nock. Scenarios script replies with the nock API
 * on the interceptors this returns; the script records every request the provider receives —
 * those that matched an interceptor and those that did not (nock's 501 `ERR_NOCK_NO_MATCH`, or a
 * refused connection to an unknown host) — so the runner can assert that every scripted call was
 * made and that no unscripted one happened.
 */
export class ProviderScript {
  readonly #plan: EndpointPlan;
  readonly #sequence: Sequence;
  readonly #secrets: SecretRegistry;
  readonly #scopes: nock.Scope[] = [];
  readonly #requests: RecordedRequest[] = [];
  readonly #bodies: Promise<void>[] = [];
  readonly #onNoMatch = (request: Request): void => {
    const seq = this.#sequence.next();
    let body: Promise<string>;
    try {
      body = request.clone().text();
    } catch {
      body = Promise.resolve('');
    }
    this.#bodies.push(body.catch(() => '').then((text) => this.#record(seq, request, text, false)));
  };

  constructor(plan: EndpointPlan, sequence: Sequence, secrets: SecretRegistry) {
    this.#plan = plan;
    this.#sequence = sequence;
    this.#secrets = secrets;
  }

  /** Starts recording unmatched requests (matched ones are recorded per scope). */
  start(): void {
    nock.emitter.on('no match', this.#onNoMatch);
  }

  /** Stops recording and removes every interceptor. */
  stop(): void {
    nock.emitter.removeListener('no match', this.#onNoMatch);
    nock.cleanAll();
  }

  /** Waits until the bodies of unmatched requests are read. */
  async settle(): Promise<void> {
    await Promise.all(this.#bodies);
  }

  /** An interceptor for `method` on an absolute URL (any query; the recording keeps it). */
  intercept(url: URL, method: string): nock.Interceptor {
    const scope = nock(url.origin);
    scope.on('request', (request: Request, _interceptor: unknown, body: string) =>
      this.#record(this.#sequence.next(), request, body, true),
    );
    this.#scopes.push(scope);
    return scope.intercept(url.pathname, method).query(true);
  }

  /** The token endpoint (POST). */
  token(): nock.Interceptor {
    return this.intercept(this.#plan.token, 'POST');
  }

  /** A path on the API base (`/things` under `https://api…/v1` is `/v1/things`). */
  api(method: string, path: string): nock.Interceptor {
    return this.intercept(this.apiUrl(path), method);
  }

  /** The absolute URL of a path on the API base. */
  apiUrl(path: string): URL {
    const base = this.#plan.apiBase;
    const basePath = base.pathname.endsWith('/') ? base.pathname.slice(0, -1) : base.pathname;
    return new URL(`${basePath}${path}`, base.origin);
  }

  /** Every request so far, in order. */
  get requests(): readonly RecordedRequest[] {
    return [...this.#requests].sort((a, b) => a.seq - b.seq);
  }

  tokenRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.role === 'token');
  }

  apiRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.role === 'api');
  }

  /** Problems the runner reports after every scenario: scripted calls not made, unscripted calls made. */
  problems(): string[] {
    const out: string[] = [];
    for (const scope of this.#scopes) {
      for (const mock of scope.pendingMocks()) out.push(`scripted call never made: ${mock}`);
    }
    for (const request of this.requests.filter((r) => !r.scripted)) {
      out.push(`unscripted call: ${request.method} ${request.url.origin}${request.url.pathname}`);
    }
    return out;
  }

  #role(url: URL): EndpointRole {
    const key = endpointKey(url);
    if (key === endpointKey(this.#plan.token)) return 'token';
    const authorization = this.#plan.authorization;
    if (authorization !== undefined && key === endpointKey(authorization)) return 'authorization';
    if (url.origin === this.#plan.apiBase.origin && key.startsWith(endpointKey(this.#plan.apiBase)))
      return 'api';
    return 'other';
  }

  #record(seq: number, request: Request, body: string, scripted: boolean): void {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const url = new URL(request.url);
    this.#learnSecrets(url, headers, body);
    this.#requests.push({ seq, method: request.method, url, headers, body, scripted, role: this.#role(url) });
  }

  /** Anything secret a request carried becomes a tracked secret (e.g. the PKCE verifier). */
  #learnSecrets(url: URL, headers: Record<string, string>, body: string): void {
    const authorization = headers['authorization'];
    if (authorization !== undefined) {
      const kind = /^basic\s/i.test(authorization) ? 'Basic credentials' : 'access token';
      this.#secrets.add(kind, authorization);
      this.#secrets.add(kind, authorization.replace(/^\S+\s+/, ''));
    }
    for (const params of [url.searchParams, new URLSearchParams(body)]) {
      for (const [name, kind] of Object.entries(SECRET_FORM_FIELDS)) {
        for (const value of params.getAll(name)) this.#secrets.add(kind, value);
      }
    }
  }
}
