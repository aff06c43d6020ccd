import type { Io } from '../io.js';

/**
 * An in-memory {@link Io} for driving the CLI in-process: captures both streams, feeds typed
 * lines to `readLine`, and lets a test wait for something to be printed (the authorization URL).
 */
export class MemoryIo implements Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly signal: AbortSignal | undefined;
  #stdout = '';
  #stderr = '';
  readonly #lines: (string | undefined)[] = [];
  #lineWaiter: ((line: string | undefined) => void) | undefined;
  readonly #outputWaiters = new Set<() => void>();

  constructor(options: { env?: Record<string, string | undefined>; cwd: string; signal?: AbortSignal }) {
    this.env = options.env ?? {};
    this.cwd = options.cwd;
    this.signal = options.signal;
  }

  stdout(text: string): void {
    this.#stdout += text;
    for (const notify of this.#outputWaiters) notify();
  }

  stderr(text: string): void {
    this.#stderr += text;
    for (const notify of this.#outputWaiters) notify();
  }

  readLine(): Promise<string | undefined> {
    const queued = this.#lines.length > 0;
    if (queued) return Promise.resolve(this.#lines.shift());
    return new Promise((resolve) => (this.#lineWaiter = resolve));
  }

  /** Types a line on standard input (`undefined`: end of input). */
  type(line: string | undefined): void {
    const waiter = this.#lineWaiter;
    this.#lineWaiter = undefined;
    if (waiter !== undefined) waiter(line);
    else this.#lines.push(line);
  }

  get out(): string {
    return this.#stdout;
  }

  get err(): string {
    return this.#stderr;
  }

  /** Everything printed, both streams. */
  get all(): string {
    return `${this.#stdout}${this.#stderr}`;
  }

  /** stdout parsed as the one JSON document `--json` promises. */
  json<T = Record<string, unknown>>(): T {
    return JSON.parse(this.#stdout) as T;
  }

  /** Resolves with the first match of `pattern` in stdout + stderr, waiting for it if needed. */
  waitFor(pattern: RegExp, timeoutMs = 5000): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const match = pattern.exec(this.all);
        if (match === null) return false;
        cleanup();
        resolve(match);
        return true;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${String(pattern)}; output so far:\n${this.all}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#outputWaiters.delete(notify);
      };
      const notify = (): void => void check();
      if (!check()) this.#outputWaiters.add(notify);
    });
  }
}
