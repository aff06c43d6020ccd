import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KEY_A } from '../src/__fixtures__/store-fixtures.js';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'fixtures/sqlite-worker.mjs');
const built = [resolve(here, '../dist/index.js'), resolve(here, '../../connector-core/dist/index.js')];

/** Fails with what to do when the packages the workers import are not built. */
export function requireBuiltPackages(): void {
  for (const file of built) {
    if (!existsSync(file)) throw new Error(`build first (pnpm exec tsc -b): ${file} is missing`);
  }
}

/** A worker process of `fixtures/sqlite-worker.mjs`, driven line by line. */
export class WorkerProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly lines: string[] = [];
  readonly exited: Promise<number | null>;
  #stderr = '';
  #waiters: { line: string; resolve: () => void }[] = [];

  constructor(mode: string, args: readonly string[], env: Readonly<Record<string, string>> = {}) {
    // process.execPath: the Node running jest (node_modules/.bin/node is a shell wrapper, and
    // signals sent to it would not reach the worker).
    this.child = spawn(process.execPath, [script, mode, ...args], {
      env: { ...process.env, AIC_TEST_STORE_KEY: KEY_A.toString('hex'), ...env },
      stdio: 'pipe',
    });
    let buffer = '';
    this.child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      for (const line of parts) {
        this.lines.push(line);
        for (const waiter of this.#waiters.filter((w) => w.line === line)) waiter.resolve();
        this.#waiters = this.#waiters.filter((w) => w.line !== line);
      }
    });
    this.child.stderr.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolveExit) => this.child.once('exit', (code) => resolveExit(code)));
  }

  /** Resolves when the worker printed `line`; fails if it exits first. */
  waitFor(line: string): Promise<void> {
    if (this.lines.includes(line)) return Promise.resolve();
    return new Promise<void>((resolveLine, reject) => {
      this.#waiters.push({ line, resolve: resolveLine });
      void this.exited.then((code) =>
        reject(new Error(`worker exited (${String(code)}) before printing "${line}": ${this.#stderr}`)),
      );
    });
  }

  send(line: string): void {
    this.child.stdin.write(`${line}\n`);
  }

  /** The JSON outcome the worker printed last; fails when it exited with an error. */
  async result<T>(): Promise<T> {
    const code = await this.exited;
    const last = this.lines.filter((line) => line.startsWith('{')).at(-1);
    if (code !== 0 || last === undefined) throw new Error(`worker exited ${String(code)}: ${this.#stderr}`);
    return JSON.parse(last) as T;
  }

  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}
