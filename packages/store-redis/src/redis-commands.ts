import { createHash } from 'node:crypto';
import { StoreFailureError, abortedError, isConnectorError } from '@aic/connector-core';
import type { RedisConnection } from './redis-connection.js';

/** A Lua script, run by SHA1 (`EVALSHA`) and loaded with `EVAL` when the server lacks it. */
export class RedisScript {
  readonly source: string;
  readonly sha1: string;

  constructor(source: string) {
    this.source = source;
    this.sha1 = createHash('sha1').update(source, 'utf8').digest('hex');
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A command waiting for its turn to be sent. */
interface Waiting {
  start(): void;
  fail(error: Error): void;
}

/** An error the server answered (`ERR …`, `NOSCRIPT …`, `WRONGTYPE …`): the connection is fine. */
const isReplyError = (error: unknown): boolean =>
  error instanceof Error &&
  (/ErrorReply|SimpleError|BlobError/.test(error.constructor.name) || /^[A-Z]{3,} /.test(error.message));

/**
 * Runs commands with a time bound and the caller's signal, turning every failure into a typed
 * error: `ERR_ABORTED` when the caller gave up, otherwise `ERR_STORE_FAILURE` (`unavailable` for a
 * timeout, a lost connection or a server error; `corrupted` for a key of the wrong type).
 */
export class RedisCommands {
  readonly where: string;
  readonly redis: RedisConnection;
  readonly #timeoutMs: number;
  readonly #maxInFlight: number;
  #inFlight = 0;
  readonly #queue: Waiting[] = [];
  /** Scripts this client ran with `EVAL` (so the server has them, until a restart or flush). */
  readonly #loaded = new Set<string>();
  readonly #loading = new Map<string, Promise<void>>();

  constructor(
    redis: RedisConnection,
    options: { timeoutMs: number; where: string; maxInFlight?: number | undefined },
  ) {
    this.redis = redis;
    this.#timeoutMs = options.timeoutMs;
    this.#maxInFlight = Math.max(1, options.maxInFlight ?? 128);
    this.where = options.where;
  }

  /** One command touching `key`. */
  async send(key: string, args: readonly string[], signal?: AbortSignal): Promise<unknown> {
    try {
      return await this.#raw(key, args, signal);
    } catch (error) {
      throw this.#typed(error, signal);
    }
  }

  /**
   * `EVALSHA`, falling back to `EVAL` when the server lacks the script (a restart, a flush, a
   * cluster node that never ran it). A script's first run goes as `EVAL` while the other first
   * callers wait for it, so a burst of thousands does not turn into thousands of `NOSCRIPT` and
   * `EVAL` round trips. Every key of a script shares one hash tag.
   */
  async script(
    script: RedisScript,
    keys: readonly string[],
    args: readonly string[],
    signal?: AbortSignal,
  ): Promise<unknown> {
    const key = keys[0] ?? '';
    const tail = [String(keys.length), ...keys, ...args];
    if (!this.#loaded.has(script.sha1)) {
      const loading = this.#loading.get(script.sha1);
      if (loading === undefined) {
        const first = this.send(key, ['EVAL', script.source, ...tail], signal);
        const settled = first.then(
          () => {
            this.#loaded.add(script.sha1);
          },
          () => undefined,
        );
        this.#loading.set(script.sha1, settled);
        void settled.finally(() => this.#loading.delete(script.sha1));
        return first;
      }
      await loading;
    }
    try {
      return await this.#raw(key, ['EVALSHA', script.sha1, ...tail], signal);
    } catch (error) {
      if (!messageOf(error).startsWith('NOSCRIPT')) throw this.#typed(error, signal);
    }
    return this.send(key, ['EVAL', script.source, ...tail], signal);
  }

  /**
   * At most `maxInFlight` commands are out at once; the others wait here, in order, for the
   * caller's signal only. The timeout starts when a command is sent, so a burst of thousands
   * waiting in this process (its event loop busy with their replies) is not mistaken for an
   * unresponsive server. When the connection itself fails, every command still waiting fails at
   * once instead of timing out one batch after another.
   */
  #raw(key: string, args: readonly string[], signal: AbortSignal | undefined): Promise<unknown> {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    return new Promise<unknown>((resolve, reject) => {
      const waiting: Waiting = {
        start: () => {
          signal?.removeEventListener('abort', onQueuedAbort);
          this.#dispatch(key, args, signal).then(resolve, reject);
        },
        fail: (error) => {
          signal?.removeEventListener('abort', onQueuedAbort);
          reject(error);
        },
      };
      const onQueuedAbort = (): void => {
        const index = this.#queue.indexOf(waiting);
        if (index !== -1) this.#queue.splice(index, 1);
        reject(signal?.reason as Error);
      };
      if (this.#inFlight < this.#maxInFlight) {
        waiting.start();
      } else {
        signal?.addEventListener('abort', onQueuedAbort, { once: true });
        this.#queue.push(waiting);
      }
    });
  }

  async #dispatch(key: string, args: readonly string[], signal: AbortSignal | undefined): Promise<unknown> {
    this.#inFlight++;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const abortSignal = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    try {
      return await new Promise<unknown>((resolve, reject) => {
        // Covers a command already written when the server stops answering.
        const onAbort = (): void => reject(abortSignal.reason as Error);
        abortSignal.addEventListener('abort', onAbort, { once: true });
        this.redis.sendCommand(key, args, { abortSignal }).then(
          (reply) => {
            abortSignal.removeEventListener('abort', onAbort);
            resolve(reply);
          },
          (error: unknown) => {
            abortSignal.removeEventListener('abort', onAbort);
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
    } catch (error) {
      if (!abortSignal.aborted && !isReplyError(error)) this.#failWaiting(error);
      throw error;
    } finally {
      this.#inFlight--;
      this.#queue.shift()?.start();
    }
  }

  /** The connection failed: what waits behind it fails too. */
  #failWaiting(error: unknown): void {
    const waiting = this.#queue.splice(0);
    for (const entry of waiting) entry.fail(error instanceof Error ? error : new Error(String(error)));
  }

  #typed(error: unknown, signal: AbortSignal | undefined): Error {
    if (signal?.aborted === true) return abortedError({}, signal.reason);
    if (isConnectorError(error)) return error;
    const reason = messageOf(error).startsWith('WRONGTYPE') ? 'corrupted' : 'unavailable';
    return new StoreFailureError(reason, this.where, { cause: error });
  }
}

/** A bulk-string reply as text (`null` when absent). */
export function replyText(reply: unknown): string | null {
  if (reply === null || reply === undefined) return null;
  if (typeof reply === 'string') return reply;
  if (Buffer.isBuffer(reply)) return reply.toString('utf8');
  return String(reply as number);
}

/** An array reply (an empty one for anything else). */
export function replyArray(reply: unknown): unknown[] {
  return Array.isArray(reply) ? (reply as unknown[]) : [];
}

/** A hash reply (`HGETALL`): a flat field/value array (RESP2), an object or a `Map` (RESP3). */
export function hashFields(reply: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (Array.isArray(reply)) {
    for (let i = 0; i + 1 < reply.length; i += 2)
      fields.set(replyText(reply[i]) ?? '', replyText(reply[i + 1]) ?? '');
  } else if (reply instanceof Map) {
    for (const [field, value] of reply as Map<unknown, unknown>)
      fields.set(replyText(field) ?? '', replyText(value) ?? '');
  } else if (reply !== null && typeof reply === 'object') {
    for (const [field, value] of Object.entries(reply)) fields.set(field, replyText(value) ?? '');
  }
  return fields;
}
