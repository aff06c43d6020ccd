import { format, inspect } from 'node:util';

/** Where a connector wrote text a person or a CI log sees. */
export type OutputChannel = `console.${ConsoleMethod}` | 'process.stdout' | 'process.stderr';

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir'] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];

/** One write, with what was running when it happened. */
export interface CapturedOutput {
  readonly channel: OutputChannel;
  readonly text: string;
  /** The connector calls in flight (`getAccessToken(conformance-1)`), if any. */
  readonly during: string | undefined;
  /** The scenario's sequence when it was written: which provider responses came before. */
  readonly seq: number;
}

/** What the capture needs from its scenario. */
export interface CaptureHooks {
  /** The connector calls in flight, in words. */
  during(): string | undefined;
  /** The scenario's current sequence number. */
  seq(): number;
  /** The text with every secret the scenario knows replaced: what is passed on. */
  redact(text: string): string;
  /** False to keep what the connector writes instead of passing it on (redacted). Default true. */
  readonly forward?: boolean | undefined;
}

type Write = typeof process.stdout.write;

function chunkText(chunk: unknown, encoding: unknown): string {
  if (typeof chunk === 'string') return chunk;
  if (chunk instanceof Uint8Array) {
    return Buffer.from(chunk).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
  }
  return String(chunk);
}

/**
 * Captures `console.*`, `process.stdout.write` and `process.stderr.write` while a scenario runs:
 * every write is kept for the leak checks, and passed on with every known secret redacted (so
 * nothing a connector prints is lost, and no secret reaches the terminal or the CI log) — or
 * held back when `forward` is false.
 *
 * It patches process-wide objects: one capture at a time (scenarios run one at a time anyway).
 */
export class OutputCapture {
  readonly entries: CapturedOutput[] = [];
  readonly #hooks: CaptureHooks;
  readonly #restore: (() => void)[] = [];
  /** Set while a console method forwards, so its own stream write is not captured twice. */
  #forwarding = false;

  constructor(hooks: CaptureHooks) {
    this.#hooks = hooks;
  }

  start(): void {
    if (this.#restore.length > 0) return;
    const console = globalThis.console as unknown as Record<ConsoleMethod, (...args: unknown[]) => void>;
    for (const method of CONSOLE_METHODS) {
      const original = console[method];
      if (typeof original !== 'function') continue;
      console[method] = (...args: unknown[]): void => {
        const text = method === 'dir' ? inspect(args[0], args[1] as object) : format(...args);
        this.#record(`console.${method}`, text);
        if (this.#hooks.forward === false) return;
        this.#forwarding = true;
        try {
          original.call(globalThis.console, this.#hooks.redact(text));
        } finally {
          this.#forwarding = false;
        }
      };
      this.#restore.push(() => (console[method] = original));
    }
    for (const [channel, stream] of [
      ['process.stdout', process.stdout],
      ['process.stderr', process.stderr],
    ] as const) {
      const original = stream.write as (...args: unknown[]) => boolean;
      const forwarding = (): boolean => this.#forwarding;
      const record = (text: string): void => this.#record(channel, text);
      const redact = (text: string): string => this.#hooks.redact(text);
      const forward = this.#hooks.forward !== false;
      stream.write = function (this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
        if (forwarding()) return original.call(stream, chunk, ...rest);
        const text = chunkText(chunk, rest[0]);
        record(text);
        if (!forward) return true;
        const shown = redact(text);
        return original.call(stream, shown === text ? chunk : shown, ...rest);
      } as Write;
      this.#restore.push(() => (stream.write = original as Write));
    }
  }

  /** Restores every patched function (in reverse order). Harmless when not started. */
  stop(): void {
    for (const restore of this.#restore.splice(0).reverse()) restore();
  }

  #record(channel: OutputChannel, text: string): void {
    this.entries.push({ channel, text, during: this.#hooks.during(), seq: this.#hooks.seq() });
  }
}
