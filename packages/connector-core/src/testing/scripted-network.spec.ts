import nock from 'nock';
import { createDefaultDispatcher } from '../http/dispatcher.js';
import {
  assertNoPendingMocks,
  guardScriptedNetwork,
  type ScriptedNetworkMocks,
  type TestLifecycleHooks,
  type UnmatchedRequest,
} from './scripted-network.js';

// This file drives the guard's hooks itself, so it cleans nock up by hand.
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

type HookName = keyof TestLifecycleHooks;

/** Hooks that are collected instead of registered, so a test can run a guarded "file" step by step. */
function collectHooks(): { hooks: TestLifecycleHooks; run(name: HookName): Promise<void> } {
  const registered: Record<HookName, (() => unknown)[]> = {
    beforeAll: [],
    beforeEach: [],
    afterEach: [],
    afterAll: [],
  };
  const register = (name: HookName) => (fn: () => unknown) => registered[name].push(fn);
  return {
    hooks: {
      beforeAll: register('beforeAll'),
      beforeEach: register('beforeEach'),
      afterEach: register('afterEach'),
      afterAll: register('afterAll'),
    },
    async run(name) {
      for (const fn of registered[name]) await fn();
    },
  };
}

/** A mocking library that records what the guard asks of it. */
function fakeMocks(pending: string[] = []): ScriptedNetworkMocks & {
  calls: string[];
  emit(request: UnmatchedRequest): void;
} {
  const listeners = new Set<(request: UnmatchedRequest) => void>();
  const calls: string[] = [];
  return {
    calls,
    pendingMocks: () => [...pending],
    cleanAll: () => {
      calls.push('cleanAll');
      pending.length = 0;
    },
    disableNetConnect: () => calls.push('disableNetConnect'),
    enableNetConnect: (matcher?: string) => calls.push(`enableNetConnect ${matcher ?? '(all)'}`),
    emitter: {
      on: (_event, listener) => listeners.add(listener),
      removeListener: (_event, listener) => listeners.delete(listener),
    },
    emit: (request) => listeners.forEach((listener) => listener(request)),
  };
}

describe('assertNoPendingMocks', () => {
  it('throws naming the scripted calls not made, after removing them', () => {
    const mocks = fakeMocks(['POST https://auth.test:443/token', 'GET https://api.test:443/me']);
    expect(() => assertNoPendingMocks(mocks)).toThrow(
      new Error('pending mocks: POST https://auth.test:443/token, GET https://api.test:443/me'),
    );
    expect(mocks.calls).toEqual(['cleanAll']);
    expect(() => assertNoPendingMocks(mocks)).not.toThrow();
  });
});

describe('guardScriptedNetwork', () => {
  it('refuses real network for the file, lets the allowed host through, and runs the file’s teardown last', async () => {
    const mocks = fakeMocks();
    const file = collectHooks();
    const teardown: string[] = [];
    guardScriptedNetwork(mocks, file.hooks, {
      allowHost: '127.0.0.1',
      afterAll: async () => {
        teardown.push(`teardown after ${mocks.calls.at(-1) ?? ''}`);
      },
    });
    await file.run('beforeAll');
    expect(mocks.calls).toEqual(['disableNetConnect', 'enableNetConnect 127.0.0.1']);
    await file.run('afterAll');
    expect(mocks.calls.at(-1)).toBe('enableNetConnect (all)');
    expect(teardown).toEqual(['teardown after enableNetConnect (all)']);
  });

  it('records requests nothing matched during a test, fails the test on them, and forgets them between tests', async () => {
    const mocks = fakeMocks();
    const file = collectHooks();
    const network = guardScriptedNetwork(mocks, file.hooks);
    await file.run('beforeAll');
    await file.run('beforeEach');
    mocks.emit({ method: 'GET', url: 'https://api.test/other-path' });
    mocks.emit({ host: 'evil.test:443', path: '/steal' });
    mocks.emit({ href: 'https://auth.test/token' });
    mocks.emit({});
    expect(network.unmatched).toEqual([
      'GET https://api.test/other-path',
      'evil.test:443/steal',
      'https://auth.test/token',
      '?',
    ]);
    await expect(file.run('afterEach')).rejects.toThrow(
      'unexpected requests: GET https://api.test/other-path, evil.test:443/steal, https://auth.test/token, ?',
    );
    // Between tests nothing is recorded; the next test starts with an empty list.
    mocks.emit({ url: 'https://late.test/' });
    await file.run('beforeEach');
    expect(network.unmatched).toEqual([]);
    await expect(file.run('afterEach')).resolves.toBeUndefined();
  });

  it('does not count requests to the allowed host, which go to the real network', async () => {
    const mocks = fakeMocks();
    const file = collectHooks();
    const network = guardScriptedNetwork(mocks, file.hooks, { allowHost: '127.0.0.1' });
    await file.run('beforeEach');
    mocks.emit({ method: 'GET', url: 'http://127.0.0.1:41234/local' });
    mocks.emit({ host: '127.0.0.1:41234', path: '/local' });
    mocks.emit({ method: 'GET', url: 'http://127.0.0.2:41234/elsewhere' });
    mocks.emit({ host: 'api.test:443', path: '/elsewhere' });
    expect(network.unmatched).toEqual(['GET http://127.0.0.2:41234/elsewhere', 'api.test:443/elsewhere']);
    network.unmatched.length = 0;
    await file.run('afterEach');
  });

  it('lets a test that provokes an unmatched request on purpose empty the list', async () => {
    const mocks = fakeMocks();
    const file = collectHooks();
    const network = guardScriptedNetwork(mocks, file.hooks);
    await file.run('beforeEach');
    mocks.emit({ method: 'POST', url: 'https://other-region.test/token' });
    expect(network.unmatched).toHaveLength(1);
    network.unmatched.length = 0;
    await expect(file.run('afterEach')).resolves.toBeUndefined();
  });

  it('with nock: fails a test whose scripted call was not made, and one that made an unscripted call', async () => {
    const file = collectHooks();
    const network = guardScriptedNetwork(nock, file.hooks);
    const dispatcher = createDefaultDispatcher();
    await file.run('beforeAll');

    await file.run('beforeEach');
    nock('https://api.guard.test').get('/scripted').reply(200, 'ok');
    await expect(file.run('afterEach')).rejects.toThrow(
      'pending mocks: GET https://api.guard.test:443/scripted',
    );
    expect(nock.pendingMocks()).toEqual([]);

    await file.run('beforeEach');
    const scope = nock('https://api.guard.test').get('/scripted').reply(200, 'ok');
    for (const path of ['/scripted', '/unscripted']) {
      const response = await dispatcher.request({ origin: 'https://api.guard.test', path, method: 'GET' });
      await response.body.dump();
    }
    scope.done();
    expect(network.unmatched).toEqual(['GET https://api.guard.test/unscripted']);
    await expect(file.run('afterEach')).rejects.toThrow(
      'unexpected requests: GET https://api.guard.test/unscripted',
    );

    await file.run('afterAll');
    await dispatcher.close();
  });
});
