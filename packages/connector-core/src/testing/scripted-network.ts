/*
 * Checks for tests whose provider traffic is scripted with an HTTP mocking library. They are
 * written against the few members they use (nock's names), not against nock itself, so core
 * depends on no mocking or test library: pass `nock` and your test framework's hooks in.
 */

/** What {@link assertNoPendingMocks} needs of a mocking library (nock's default export fits). */
export interface PendingMocks {
  /** The scripted calls not made yet, one line each. */
  pendingMocks(): string[];
  /** Removes every scripted call. */
  cleanAll(): unknown;
}

/** A request no scripted call matched, as the mocking library reports it (nock: a WHATWG Request). */
export interface UnmatchedRequest {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly href?: string | undefined;
  readonly host?: string | undefined;
  readonly path?: string | undefined;
}

/** What {@link guardScriptedNetwork} needs of a mocking library (nock's default export fits). */
export interface ScriptedNetworkMocks extends PendingMocks {
  disableNetConnect(): unknown;
  enableNetConnect(matcher?: string): unknown;
  readonly emitter: {
    on(event: 'no match', listener: (request: UnmatchedRequest) => void): unknown;
    removeListener(event: 'no match', listener: (request: UnmatchedRequest) => void): unknown;
  };
}

/** The lifecycle hooks of a test file (jest's and vitest's globals fit). */
export interface TestLifecycleHooks {
  beforeAll(fn: () => unknown): unknown;
  beforeEach(fn: () => unknown): unknown;
  afterEach(fn: () => unknown): unknown;
  afterAll(fn: () => unknown): unknown;
}

export interface ScriptedNetworkOptions {
  /**
   * A host name real connections may still reach, e.g. `'127.0.0.1'` for a local test server;
   * requests to it are not counted as unexpected.
   */
  readonly allowHost?: string | undefined;
  /** Runs last, after the file's tests: e.g. closing a dispatcher the file shares. */
  readonly afterAll?: (() => unknown) | undefined;
}

/** What a guarded test file can look at while a test runs. */
export interface ScriptedNetwork {
  /**
   * Requests no scripted call matched since the current test began (`METHOD url`). A test that
   * provokes one on purpose asserts on it, then empties it (`unmatched.length = 0`).
   */
  readonly unmatched: string[];
}

/**
 * Fails (throws) when a scripted call was not made, naming them; removes every scripted call
 * either way, so the next test starts clean.
 */
export function assertNoPendingMocks(mocks: PendingMocks): void {
  const pending = mocks.pendingMocks();
  mocks.cleanAll();
  if (pending.length > 0) throw new Error(`pending mocks: ${pending.join(', ')}`);
}

const targetOf = (request: UnmatchedRequest): string =>
  request.url ?? request.href ?? `${request.host ?? '?'}${request.path ?? ''}`;

const describeUnmatched = (request: UnmatchedRequest): string =>
  request.method === undefined ? targetOf(request) : `${request.method} ${targetOf(request)}`;

/** The host name a request went to (no port), when it can be told. */
function hostnameOf(request: UnmatchedRequest): string | undefined {
  const target = targetOf(request);
  if (URL.canParse(target)) return new URL(target).hostname;
  return request.host?.replace(/:\d+$/, '');
}

/**
 * Guards a test file whose provider traffic is scripted: real network is refused for the whole
 * file (but `allowHost`), and after every test it fails when a scripted call was not made
 * ({@link assertNoPendingMocks}) or when a request matched no scripted call (another host,
 * path, body or header than scripted). Call it once at the top of the file:
 *
 * ```ts
 * import nock from 'nock';
 * guardScriptedNetwork(nock, { beforeAll, beforeEach, afterEach, afterAll });
 * ```
 */
export function guardScriptedNetwork(
  mocks: ScriptedNetworkMocks,
  hooks: TestLifecycleHooks,
  options: ScriptedNetworkOptions = {},
): ScriptedNetwork {
  const unmatched: string[] = [];
  const onNoMatch = (request: UnmatchedRequest): void => {
    // The mocking library reports requests to the allowed host too: they went to the real network.
    if (options.allowHost !== undefined && hostnameOf(request) === options.allowHost) return;
    unmatched.push(describeUnmatched(request));
  };
  hooks.beforeAll(() => {
    mocks.disableNetConnect();
    if (options.allowHost !== undefined) mocks.enableNetConnect(options.allowHost);
  });
  hooks.beforeEach(() => {
    unmatched.length = 0;
    mocks.emitter.on('no match', onNoMatch);
  });
  hooks.afterEach(() => {
    mocks.emitter.removeListener('no match', onNoMatch);
    assertNoPendingMocks(mocks);
    if (unmatched.length > 0) throw new Error(`unexpected requests: ${unmatched.join(', ')}`);
  });
  hooks.afterAll(async () => {
    mocks.enableNetConnect();
    await options.afterAll?.();
  });
  return { unmatched };
}
