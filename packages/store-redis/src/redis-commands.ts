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

/**
 * Runs commands with a time bound and the caller's signal, turning every failure into a typed
 * error: `ERR_ABORTED` when the caller gave up, otherwise `ERR_STORE_FAILURE` (`unavailable` for a
 * timeout, a lost connection or a server error; `corrupted` for a key of the wrong type).
 */
export class RedisCommands {
  readonly where: string;
  readonly redis: RedisConnection;
  readonly #timeoutMs: number;

  constructor(redis: RedisConnection, options: { timeoutMs: number; where: string }) {
    this.redis = redis;
    this.#timeoutMs = options.timeoutMs;
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
   * `EVALSHA`, falling back to `EVAL` once when the server lacks the script (a restart, a flush,
   * a cluster node that never ran it). Every key of a script shares one hash tag.
   */
  async script(
    script: RedisScript,
    keys: readonly string[],
    args: readonly string[],
    signal?: AbortSignal,
  ): Promise<unknown> {
    const key = keys[0] ?? '';
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.#raw(key, ['EVALSHA', script.sha1, ...tail], signal);
    } catch (error) {
      if (!messageOf(error).startsWith('NOSCRIPT')) throw this.#typed(error, signal);
    }
    return this.send(key, ['EVAL', script.source, ...tail], signal);
  }

  #raw(key: string, args: readonly string[], signal: AbortSignal | undefined): Promise<unknown> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const abortSignal = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    if (abortSignal.aborted) return Promise.reject(abortSignal.reason as Error);
    return new Promise<unknown>((resolve, reject) => {
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
