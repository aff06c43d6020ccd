import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const script = join(here, 'fixtures/host-worker.mjs');
const built = [resolve(here, '../dist/index.js'), resolve(here, '../../connector-core/dist/index.js')];

/** Workers import the built packages: fails with what to do when they are not built. */
export function assertBuilt(): void {
  for (const file of built) {
    if (!existsSync(file)) throw new Error(`build first (pnpm exec tsc -b): ${file} is missing`);
  }
}

export interface WorkerConfig {
  readonly redis: { url: string } | { cluster: { url: string }[] };
  readonly tokenBase: string;
  readonly prefix: string;
  /** Store key, hex. */
  readonly key: string;
  readonly concurrency?: number;
  readonly tokenDeadlineMs?: number;
  readonly interruptedRefreshMs?: number;
  readonly onFirstWrite?: 'SIGSTOP' | 'SIGKILL';
}

/** What one call of a worker ended with. */
export type CallResult =
  | { readonly id: string; readonly token: string }
  | { readonly id: string; readonly code: string; readonly reason?: string; readonly message?: string };

/** A host process (fixtures/host-worker.mjs) driven over stdin/stdout. */
export class HostWorker {
  readonly child: ChildProcess;
  readonly #messages: Record<string, unknown>[] = [];
  readonly #waiting: { op: string; resolve: (message: Record<string, unknown>) => void }[] = [];
  #stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(config: WorkerConfig) {
    // process.execPath: the Node 24 running jest (node_modules/.bin/node is a shell wrapper).
    this.child = spawn(process.execPath, [script, JSON.stringify(config)], { stdio: 'pipe' });
    let buffer = '';
    this.child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines)
        if (line.trim() !== '') this.#receive(JSON.parse(line) as Record<string, unknown>);
    });
    this.child.stderr?.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolveExit) =>
      this.child.once('exit', (code, signal) => resolveExit({ code, signal })),
    );
  }

  static async start(config: WorkerConfig): Promise<HostWorker> {
    const worker = new HostWorker(config);
    await Promise.race([
      worker.next('ready'),
      worker.exited.then(({ code }) => {
        throw new Error(`worker exited (${code}) before it was ready:\n${worker.#stderr}`);
      }),
    ]);
    return worker;
  }

  /** What the worker wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('worker has no pid');
    return this.child.pid;
  }

  /** The next message of kind `op` (one already received and not yet taken counts). */
  next(op: string): Promise<Record<string, unknown>> {
    const index = this.#messages.findIndex((message) => message['op'] === op);
    if (index !== -1) return Promise.resolve(this.#messages.splice(index, 1)[0]!);
    return new Promise((resolveMessage) => this.#waiting.push({ op, resolve: resolveMessage }));
  }

  /** Sends `ids` to be called (each once, concurrently) and resolves with every result. */
  async call(ids: readonly string[], force = false): Promise<CallResult[]> {
    const answer = this.next('called');
    this.child.stdin?.write(`${JSON.stringify({ op: 'call', ids, force })}\n`);
    const died = this.exited.then(({ code, signal }) => {
      throw new Error(`worker ${this.pid} exited (${code ?? signal}) during a call:\n${this.#stderr}`);
    });
    return (await Promise.race([answer, died]))['results'] as CallResult[];
  }

  /** Starts a call without waiting for it (for a worker about to stop itself). */
  send(ids: readonly string[], force = false): void {
    this.child.stdin?.write(`${JSON.stringify({ op: 'call', ids, force })}\n`);
  }

  async exit(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.child.stdin?.write(`${JSON.stringify({ op: 'exit' })}\n`);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  #receive(message: Record<string, unknown>): void {
    const index = this.#waiting.findIndex((waiter) => waiter.op === message['op']);
    if (index === -1) this.#messages.push(message);
    else this.#waiting.splice(index, 1)[0]!.resolve(message);
  }
}

/** The codes of the failed calls, counted (`ERR_STORE_FAILURE/unavailable: 3`). */
export function failureCounts(results: readonly CallResult[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    if ('token' in result) continue;
    const label = result.reason === undefined ? result.code : `${result.code}/${result.reason}`;
    counts[label] = (counts[label] ?? 0) + 1;
  }
  return counts;
}
