import nock from 'nock';
import type { EndpointPlan } from './plan.js';
import { endpointKey } from './plan.js';
import type { SecretRegistry } from './secrets.js';
import type { Sequence } from './sequence.js';
import { classifyUnscripted, describeResponse, roleName } from './unscripted.js';

/** Which scripted endpoint a request went to. */
export type EndpointRole = 'authorization' | 'token' | 'api' | 'other';

/** What the scripted provider answered to one request (filled when the answer is known). */
export interface ScriptedResponse {
  /** HTTP status; undefined when no answer came (an unknown host: the connection was refused). */
  status?: number | undefined;
  /** The OAuth `error` of a JSON body (`invalid_grant`, …). */
  error?: string | undefined;
  /** The `Location` of a redirect. */
  location?: string | undefined;
  /** True when the body carried an `access_token` (a token response). */
  tokens?: boolean | undefined;
}

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
  /** False for a host the scenario never scripted (the connection was refused). */
  readonly knownHost: boolean;
  readonly response: Readonly<ScriptedResponse>;
}

/** Form fields whose values are secrets wherever they travel. */
const SECRET_FORM_FIELDS = {
  client_secret: 'client secret',
  code: 'authorization code',
  code_verifier: 'PKCE verifier',
  refresh_token: 'refresh token',
  access_token: 'access token',
} as const;

type ReplyFunction = (this: unknown, request: Request) => unknown;

function headerOf(headers: unknown, name: string): string | undefined {
  if (headers === null || typeof headers !== 'object') return undefined;
  if (Array.isArray(headers)) {
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() === name) return String(headers[i + 1]);
    }
    return undefined;
  }
  const found = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return found === undefined ? undefined : String(found[1]);
}

/** What a reply says, from nock's reply arguments (status, body, headers). */
function responseOf(status: unknown, body: unknown, headers: unknown): ScriptedResponse {
  let json: unknown = body;
  if (typeof body === 'string') {
    try {
      json = JSON.parse(body);
    } catch {
      json = undefined;
    }
  }
  const fields = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  return {
    status: typeof status === 'number' ? status : 200,
    error: typeof fields['error'] === 'string' ? fields['error'] : undefined,
    location: headerOf(headers, 'location'),
    tokens: typeof fields['access_token'] === 'string',
  };
}

/**
 * The scripted provider of one scenario, over nock. Scenarios script replies with the nock API
 * on the interceptors this returns; the script records every request the provider receives —
 * those that matched an interceptor and those that did not (nock's 501 `ERR_NOCK_NO_MATCH`, or a
 * refused connection to an unknown host) — with what it answered, so the runner can assert that
 * every scripted call was made and name what an unscripted one was ("the code exchange was
 * retried after invalid_grant").
 */
export class ProviderScript {
  readonly #plan: EndpointPlan;
  readonly #sequence: Sequence;
  readonly #secrets: SecretRegistry;
  readonly #scopes: nock.Scope[] = [];
  readonly #requests: RecordedRequest[] = [];
  readonly #bodies: Promise<void>[] = [];
  /** Answers of reply functions, by the request nock hands them. */
  readonly #answers = new WeakMap<Request, ScriptedResponse>();
  /** Fixed answers, by interceptor. */
  readonly #fixed = new WeakMap<object, ScriptedResponse>();
  readonly #origins = new Set<string>();
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
    for (const url of [plan.authorization, plan.token, plan.apiBase])
      if (url !== undefined) this.#origins.add(url.origin);
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
    this.#origins.add(url.origin);
    scope.on('request', (request: Request, interceptor: object, body: string) =>
      this.#record(this.#sequence.next(), request, body, true, interceptor),
    );
    this.#scopes.push(scope);
    return this.#describing(scope.intercept(url.pathname, method).query(true));
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

  /** Unscripted requests, each named for what it was ("the refresh was retried after invalid_grant: …"). */
  unscripted(): string[] {
    const all = this.requests;
    return all
      .filter((r) => !r.scripted)
      .map((r) =>
        classifyUnscripted(
          r,
          all.filter((earlier) => earlier.seq < r.seq),
        ),
      );
  }

  /** Problems the runner reports after every scenario: unscripted calls made, scripted calls not made. */
  problems(): string[] {
    const out = this.unscripted();
    for (const scope of this.#scopes) {
      for (const mock of scope.pendingMocks()) out.push(`a scripted call was never made: ${mock}`);
    }
    return out;
  }

  /**
   * What the provider last answered between two points of the scenario's sequence, in words
   * (`the token endpoint answered 400 invalid_grant`); undefined when nothing was called.
   */
  lastAnswerBetween(afterSeq: number, uptoSeq: number): string | undefined {
    const last = this.requests.filter((r) => r.seq > afterSeq && r.seq <= uptoSeq).at(-1);
    return last === undefined ? undefined : `${roleName(last)} answered ${describeResponse(last)}`;
  }

  /** Records what each reply of `interceptor` answers, without changing the reply. */
  #describing(interceptor: nock.Interceptor): nock.Interceptor {
    const reply = interceptor.reply.bind(interceptor) as (...args: unknown[]) => nock.Scope;
    const answers = this.#answers;
    const fixed = this.#fixed;
    const described = (...args: unknown[]): nock.Scope => {
      const [first, second, third] = args;
      if (typeof first === 'function') {
        const full = first as ReplyFunction;
        args[0] = function (this: unknown, request: Request) {
          return Promise.resolve(full.call(this, request)).then((result) => {
            const [status, body, headers] = Array.isArray(result) ? (result as unknown[]) : [];
            answers.set(request, responseOf(status, body, headers));
            return result;
          });
        };
      } else if (typeof second === 'function') {
        const bodyOf = second as ReplyFunction;
        args[1] = function (this: unknown, request: Request) {
          return Promise.resolve(bodyOf.call(this, request)).then((body) => {
            answers.set(request, responseOf(first ?? 200, body, third));
            return body;
          });
        };
      } else {
        fixed.set(interceptor, responseOf(first ?? 200, second, third));
      }
      return reply(...args);
    };
    (interceptor as unknown as { reply: typeof described }).reply = described;
    return interceptor;
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

  #record(seq: number, request: Request, body: string, scripted: boolean, interceptor?: object): void {
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
    const url = new URL(request.url);
    this.#learnSecrets(url, headers, body);
    const knownHost = this.#origins.has(url.origin);
    const answers = this.#answers;
    const fixed = interceptor === undefined ? undefined : this.#fixed.get(interceptor);
    const response: ScriptedResponse = scripted
      ? {
          get status() {
            return (answers.get(request) ?? fixed)?.status;
          },
          get error() {
            return (answers.get(request) ?? fixed)?.error;
          },
          get location() {
            return (answers.get(request) ?? fixed)?.location;
          },
          get tokens() {
            return (answers.get(request) ?? fixed)?.tokens;
          },
        }
      : {};
    this.#requests.push({
      seq,
      method: request.method,
      url,
      headers,
      body,
      scripted,
      role: this.#role(url),
      knownHost,
      response,
    });
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
