/**
 * The secrets the test suite knows, and what a test file uses to talk to the leak guard
 * (`test/leak-guard.ts`, installed for every test file by `setupFilesAfterEnv`).
 *
 * - {@link FIXTURE_SECRETS}: client secrets, tokens, codes and verifiers the packages' shared
 *   fixtures use. Every test file knows them.
 * - {@link registerSecret}: a test's own secret. Called inside a test (or its `beforeEach`) it
 *   lasts for that test; called at module level or in `beforeAll`, for the whole file.
 * - {@link allowSecretOutput}: the explicit, per-test opt-out for a test whose job is to print
 *   a secret (e.g. `aic token --reveal`).
 * - {@link expectNoSecrets}: checks a report, a serialized error or any value right away.
 *
 * The registry lives on `globalThis` under a `Symbol.for` key, so the setup file's copy of this
 * module and the test's share it whatever the module registry does.
 */
import { MIN_SECRET_LENGTH, scanValue, type KnownSecret } from './leak-scan.js';

/** Where something a test shows ends up. */
export type Channel = 'console' | 'stdout' | 'stderr' | 'logger' | 'errors';

/** A secret seen somewhere it must not be: which (by label, never by value) and where. */
export interface Finding {
  readonly label: string;
  readonly channel: Channel;
  readonly where: string;
  /** The test running when it was seen (`(outside a test)` for hooks and module code). */
  readonly test: string;
}

/** A fixture secret and the file that defines it (checked by the leak guard's own test). */
export interface FixtureSecret extends KnownSecret {
  readonly source?: string;
}

const CORE_FIXTURE = 'packages/connector-core/src/__fixtures__/fixture-provider.ts';

/**
 * Secrets of the shared fixtures, by package. Keep this list in step with the fixtures (the
 * guard's test fails when a listed value is no longer in its `source`); a spec's own secrets
 * are registered by the spec with {@link registerSecret}.
 */
export const FIXTURE_SECRETS: readonly FixtureSecret[] = Object.freeze([
  { value: 'fixture-secret-Ü-0123456789', label: 'core fixture client secret', source: CORE_FIXTURE },
  { value: 'cc-secret-€-9876543210', label: 'core fixture client-credentials secret', source: CORE_FIXTURE },
  { value: 'the-code', label: 'core fixture authorization code', source: CORE_FIXTURE },
  { value: 'AT-1', label: 'core fixture access token #1', source: CORE_FIXTURE },
  { value: 'RT-1', label: 'core fixture refresh token #1', source: CORE_FIXTURE },
  { value: 'AT-2', label: 'core fixture access token #2' },
  { value: 'AT-3', label: 'core fixture access token #3' },
  { value: 'RT-2', label: 'core fixture refresh token #2' },
  {
    // What the core fixture sends on refresh: rfc6749-encoded client-1 / client secret, base64.
    value: `Basic ${Buffer.from('client%2D1:fixture%2Dsecret%2D%C3%9C%2D0123456789').toString('base64')}`,
    label: 'core fixture Basic credentials',
  },
  {
    value: 'v4ntage+secret/=&Ü-0123456789',
    label: 'ABBYY Vantage harness client secret',
    source: 'packages/provider-abbyy-vantage/src/__fixtures__/vantage-harness.ts',
  },
  {
    value: 'vantage-code-5f1c',
    label: 'ABBYY Vantage harness authorization code',
    source: 'packages/provider-abbyy-vantage/src/__fixtures__/vantage-harness.ts',
  },
  {
    value: 'sample-secret-not-real',
    label: 'ABBYY Vantage sample client secret',
    source: 'packages/provider-abbyy-vantage/src/definition.ts',
  },
  {
    value: 'hpSecret9876543210',
    label: 'HP TechPulse harness client secret',
    source: 'packages/provider-hp-techpulse/src/__fixtures__/hp-harness.ts',
  },
  {
    value: 'sample-not-a-real-secret',
    label: 'HP TechPulse sample client secret',
    source: 'packages/provider-hp-techpulse/src/definition.ts',
  },
  {
    value: 'Lc:pw %25 a+b ñ€ 0123456789',
    label: 'LeanCore harness password',
    source: 'packages/provider-leancore/src/__fixtures__/leancore-harness.ts',
  },
  {
    value: 'sample-password-not-a-real-secret',
    label: 'LeanCore sample password',
    source: 'packages/provider-leancore/src/definition.ts',
  },
  {
    value: 'reference-secret-sample',
    label: 'conformance reference client secret',
    source: 'packages/conformance/src/self-test/reference.ts',
  },
  {
    value: 'reference-password-sample',
    label: 'conformance reference password',
    source: 'packages/conformance/src/self-test/reference.ts',
  },
  {
    value: 'store-fixture-secret-5e7a',
    label: 'store fixture client secret',
    source: 'packages/connector-core/src/testing/store-fixture.ts',
  },
  { value: 'cli-code-secret-Ñ-5f2c9a', label: 'CLI code secret', source: 'packages/cli/test/helpers.ts' },
  { value: 'cli-client-secret-77d1e0', label: 'CLI client secret', source: 'packages/cli/test/helpers.ts' },
  {
    value: 'AT-cli-0123456789abcdefghijklmnop',
    label: 'CLI access token',
    source: 'packages/cli/test/helpers.ts',
  },
  {
    value: 'RT-cli-9876543210zyxwvutsrqponm',
    label: 'CLI refresh token',
    source: 'packages/cli/test/helpers.ts',
  },
  { value: 'auth-code-4b7e1f', label: 'CLI authorization code', source: 'packages/cli/test/helpers.ts' },
]);

interface GuardState {
  readonly file: Map<string, string>;
  readonly test: Map<string, string>;
  currentTest: string | undefined;
  readonly allowed: Map<Channel, string>;
  readonly findings: Finding[];
}

const STATE = Symbol.for('@aic/test/leak-guard');

/** The shared guard state (created on first use). */
export function guardState(): GuardState {
  const holder = globalThis as unknown as Record<symbol, GuardState | undefined>;
  holder[STATE] ??= {
    file: new Map(FIXTURE_SECRETS.map((secret) => [secret.value, secret.label])),
    test: new Map(),
    currentTest: undefined,
    allowed: new Map(),
    findings: [],
  };
  return holder[STATE];
}

/**
 * Tells the guard about a secret. Returns false (and registers nothing) for values shorter than
 * four characters, which would match ordinary text.
 */
export function registerSecret(value: string, label = 'test secret'): boolean {
  if (value.length < MIN_SECRET_LENGTH) return false;
  const state = guardState();
  (state.currentTest === undefined ? state.file : state.test).set(value, label);
  return true;
}

/** Every secret known right now (fixtures, the file's and the current test's). */
export function knownSecrets(): KnownSecret[] {
  const state = guardState();
  const all = new Map([...state.file, ...state.test]);
  return [...all].map(([value, label]) => ({ value, label }));
}

/**
 * Lets the current test show secrets on the given channels (default: console, stdout and
 * stderr). The reason is required so the opt-out explains itself in review.
 */
export function allowSecretOutput(
  reason: string,
  channels: readonly Channel[] = ['console', 'stdout', 'stderr'],
): void {
  if (reason.trim() === '') throw new TypeError('allowSecretOutput needs a reason');
  const state = guardState();
  for (const channel of channels) state.allowed.set(channel, reason);
}

/** Records a finding for the current test (used by the guard's hooks). */
export function recordFinding(label: string, channel: Channel, where: string): void {
  const state = guardState();
  state.findings.push({ label, channel, where, test: state.currentTest ?? '(outside a test)' });
}

/**
 * Fails at once if `value` shows a known secret in its text, JSON or `util.inspect` form (for an
 * error also its message and stack). The failure names the secret's label, never its value.
 */
export function expectNoSecrets(value: unknown, what = 'value'): void {
  const found = scanValue(value, knownSecrets());
  if (found.length > 0) {
    const list = [...new Set(found.map((f) => `${f.label} (${f.view})`))].join('; ');
    throw new Error(`Leak guard: ${what} shows known secrets: ${list}. Values withheld.`);
  }
}
