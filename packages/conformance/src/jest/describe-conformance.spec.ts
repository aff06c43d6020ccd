import { catalogue } from '../catalogue.js';
import { skipsStateCheck } from '../self-test/broken/callback.js';
import { referenceClientModule } from '../self-test/reference.js';
import { stateMismatch } from '../scenarios/callback/state-mismatch.js';
import { ConformanceFailure, describeConformance, type TestFramework } from './describe-conformance.js';

interface Registered {
  readonly kind: 'describe' | 'it' | 'skip';
  readonly name: string;
  readonly body?: () => Promise<void>;
  readonly timeout?: number | undefined;
}

function fakeFramework() {
  const registered: Registered[] = [];
  const afterAll: (() => void | Promise<void>)[] = [];
  const it = Object.assign(
    (name: string, body: () => Promise<void>, timeout?: number) =>
      registered.push({ kind: 'it', name, body, timeout }),
    { skip: (name: string) => void registered.push({ kind: 'skip', name }) },
  );
  const framework: TestFramework = {
    describe: (name, body) => {
      registered.push({ kind: 'describe', name });
      body();
    },
    it,
    afterAll: (body) => void afterAll.push(body),
  };
  return { framework, registered, afterAll };
}

describe('describeConformance', () => {
  it('generates one test per scenario, skipping those that do not apply with the reason in the title', async () => {
    const { framework, registered, afterAll } = fakeFramework();
    await describeConformance(referenceClientModule, { framework, label: 'reference' });
    expect(registered[0]).toEqual({
      kind: 'describe',
      name: 'AIC conformance: kit-reference-client 1.0.0 (reference)',
    });
    const tests = registered.filter((r) => r.kind !== 'describe');
    expect(tests).toHaveLength(catalogue.length);
    expect(tests.map((r) => r.name)).toContain(
      'callback.state-mismatch — SKIP: no authorization code grant (client credentials connector)',
    );
    expect(registered.find((r) => r.name.startsWith('refresh.single-flight'))).toMatchObject({
      kind: 'it',
      name: 'refresh.single-flight: 50 concurrent callers on an expired token cause exactly one token request',
      timeout: 15_000,
    });
    expect(afterAll).toHaveLength(1);
    await afterAll[0]?.();
  });

  it('makes a failing scenario a failing test that says what failed and which rule', async () => {
    const { framework, registered, afterAll } = fakeFramework();
    await describeConformance(skipsStateCheck.module, { framework, scenarios: [stateMismatch] });
    const test = registered.find((r) => r.kind === 'it');
    const failure: unknown = await test?.body?.().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConformanceFailure);
    const { message, stack } = failure as Error;
    expect(message.split('\n').slice(0, 2)).toEqual([
      'kit-reference-code × callback.state-mismatch [RFC 6749 §10.12]: a code exchange the scenario did not script: POST https://token.conformance.test/oauth2/token — then: a callback with a forged state must be refused before any token request; the connector sent 4 token requests',
      'rule: RFC 6749 §10.12 — https://www.rfc-editor.org/rfc/rfc6749#section-10.12',
    ]);
    // The stack names the scenario, the connector and this file (the call of describeConformance),
    // never a file of the kit.
    expect(stack?.split('\n').slice(-3)).toEqual([
      '    at callback.state-mismatch (conformance scenario; rule RFC 6749 §10.12)',
      '    at kit-reference-code (connector 1.0.0, module)',
      expect.stringMatching(/^ {4}at .*describe-conformance\.spec\.ts:\d+:\d+\)?$/),
    ]);
    await afterAll[0]?.();
  });

  it('registers one failing test when the connector cannot be loaded', async () => {
    const { framework, registered } = fakeFramework();
    await describeConformance('./no/such/connector', { framework, from: '/tmp' });
    expect(registered.map((r) => r.name)).toEqual([
      'AIC conformance: ./no/such/connector',
      'loads the connector',
    ]);
    await expect(registered[1]?.body?.()).rejects.toThrow(
      /^could not load the connector: ERR_CONFIGURATION: Could not load connector “\/tmp\/no\/such\/connector”: the package cannot be found\. Cause: ENOENT: no such file or directory/,
    );
  });
});
