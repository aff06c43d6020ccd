/**
 * The leak guard: a jest `setupFilesAfterEnv` module that fails any test which shows a known
 * secret (see `test/secrets.ts`) in
 *
 * - console output (`console.*`) and raw `process.stdout` / `process.stderr` writes;
 * - entries of core's `MemoryLogger` (what the engine logs in tests);
 * - errors handed to `expect()`, and rejection reasons of promises handed to `expect()`
 *   (`await expect(p).rejects…`): message, stack, `JSON.stringify` and `util.inspect`.
 *
 * Output that shows a secret is passed on with the secret replaced by `[LEAKED SECRET: label]`,
 * so the guard never prints the value it caught. A test that must show a secret says so with
 * `allowSecretOutput(reason)`; reports and other values are checked with `expectNoSecrets`.
 *
 * Limits: `expect(fn).toThrow()` does not hand the error to `expect()` (the guard cannot see
 * it; check such errors with `expectNoSecrets`), and `expect` imported from `@jest/globals`
 * bypasses the global one this module wraps.
 */
import { format, inspect } from 'node:util';
import { MemoryLogger } from '../packages/connector-core/src/support/logger.js';
import { findSecrets, isError, redactSecrets, scanValue } from './leak-scan.js';
import { guardState, knownSecrets, recordFinding, type Channel } from './secrets.js';

/** Scans one piece of output; returns what to actually print. */
function screen(channel: Channel, where: string, text: string): string {
  const secrets = knownSecrets();
  const labels = findSecrets(text, secrets);
  if (labels.length === 0) return text;
  for (const label of labels) recordFinding(label, channel, where);
  return guardState().allowed.has(channel) ? text : redactSecrets(text, secrets);
}

/** Scans a value in all its views; one finding per secret, naming the views that show it. */
function recordScan(value: unknown, channel: Channel, where: string): void {
  const views = new Map<string, string[]>();
  for (const { label, view } of scanValue(value, knownSecrets())) {
    views.set(label, [...(views.get(label) ?? []), view]);
  }
  for (const [label, shown] of views) recordFinding(label, channel, `${where} (${shown.join(', ')})`);
}

// console.* — the test environment's own console object, patched for the whole file.
//
// jest's consoles (BufferedConsole, CustomConsole) print each entry with the stack frame a fixed
// depth above their `_log` / `_logError` sink. A plain wrapper would add a frame, and every
// console line of the suite would point here. So where a method is jest's usual
// `this._log(type, format(...))`, the replacement calls that sink itself, keeping the depth;
// anything else (NullConsole under --silent, other consoles, trace, dir) gets a plain wrapper.
type Sink = (type: string, message: string) => void;
const jestConsole = console as Console & { _log?: Sink; _logError?: Sink };
const sinkOf = (method: string): Sink | undefined => {
  // jest binds the instance's methods; the class's own method shows what it calls.
  const own = (Object.getPrototypeOf(jestConsole) as Record<string, unknown>)[method];
  const source = typeof own === 'function' ? Function.prototype.toString.call(own) : '';
  const name = source.includes('_logError(') ? '_logError' : source.includes('_log(') ? '_log' : undefined;
  const sink = name === undefined ? undefined : jestConsole[name];
  return typeof sink === 'function' ? sink.bind(jestConsole) : undefined;
};
for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  const sink = sinkOf(method);
  if (sink === undefined) continue;
  jestConsole[method] = function guardedConsole(...args: unknown[]): void {
    sink(method, screen('console', `console.${method}`, format(...args)));
  };
}
for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const) {
  if (jestConsole[method].name === 'guardedConsole') continue;
  const original = jestConsole[method].bind(jestConsole) as (...args: unknown[]) => void;
  jestConsole[method] = (...args: unknown[]): void => {
    const shown = method === 'dir' ? inspect(args[0]) : format(...args);
    const screened = screen('console', `console.${method}`, shown);
    if (screened === shown) original(...args);
    else original(screened);
  };
}

// process.stdout / process.stderr — shared with jest itself, so patched only while a test runs.
type Write = typeof process.stdout.write;
const streams = [
  { channel: 'stdout' as const, stream: process.stdout },
  { channel: 'stderr' as const, stream: process.stderr },
];
const originalWrites = new Map<NodeJS.WriteStream, Write>();

function patchStreams(): void {
  for (const { channel, stream } of streams) {
    const original = stream.write;
    originalWrites.set(stream, original);
    stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const shown = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
      const screened = screen(channel, `process.${channel}.write`, shown);
      const out = screened === shown ? chunk : screened;
      return (original as (...args: unknown[]) => boolean).call(stream, out, ...rest);
    } as Write;
  }
}

function restoreStreams(): void {
  for (const [stream, write] of originalWrites) stream.write = write;
  originalWrites.clear();
}

// MemoryLogger — every entry the engine logs in a test.
const originalLog = MemoryLogger.prototype.log;
MemoryLogger.prototype.log = function (this: MemoryLogger, ...args: Parameters<MemoryLogger['log']>) {
  const [level, message, fields] = args;
  recordScan({ level, message, fields }, 'logger', `MemoryLogger.${level}`);
  originalLog.apply(this, args);
};

// expect() — errors and rejection reasons a test looks at.
const observed: unknown[] = [];
const pending: Promise<void>[] = [];
const jestGlobals = globalThis as unknown as { expect: typeof expect };
const originalExpect = jestGlobals.expect;
const guardedExpect = (actual: unknown, ...rest: unknown[]): unknown => {
  if (isError(actual)) observed.push(actual);
  else if (actual instanceof Promise) {
    pending.push(
      actual.then(
        () => undefined,
        (reason: unknown) => void observed.push(reason),
      ),
    );
  }
  return (originalExpect as (...args: unknown[]) => unknown)(actual, ...rest);
};
Object.setPrototypeOf(guardedExpect, originalExpect);
jestGlobals.expect = guardedExpect as unknown as typeof expect;

async function scanObserved(): Promise<void> {
  await Promise.all(pending.splice(0));
  for (const value of observed.splice(0)) {
    recordScan(value, 'errors', `${isError(value) ? value.name : typeof value} handed to expect()`);
  }
}

/** Throws (failing the test) when findings remain on channels the test did not open. */
function verdict(): void {
  const state = guardState();
  const findings = state.findings.splice(0).filter((finding) => !state.allowed.has(finding.channel));
  if (findings.length === 0) return;
  const lines = [
    ...new Set(
      findings.map((f) => `  - ${f.label}: ${f.where}${f.test === state.currentTest ? '' : ` [${f.test}]`}`),
    ),
  ];
  throw new Error(
    [
      `Leak guard: known secrets were shown (values withheld):`,
      ...lines,
      `If showing the secret is the point of the test, call allowSecretOutput(reason) in it.`,
    ].join('\n'),
  );
}

beforeEach(() => {
  const state = guardState();
  verdict();
  state.currentTest = expect.getState().currentTestName ?? '(unnamed test)';
  state.test.clear();
  state.allowed.clear();
  patchStreams();
});

afterEach(async () => {
  const state = guardState();
  restoreStreams();
  try {
    await scanObserved();
    verdict();
  } finally {
    state.currentTest = undefined;
    state.test.clear();
    state.allowed.clear();
    state.findings.length = 0;
  }
});

afterAll(async () => {
  await scanObserved();
  verdict();
});
