import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  StoreFailureError,
  abortedError,
  type HeldLease,
  type LeaseRequest,
  type Logger,
} from '@aic/connector-core';
import { RedisScript, replyText, type RedisCommands } from './redis-commands.js';

/** Deletes the lock only if it still holds our token (owner-only release). */
const RELEASE = new RedisScript(
  "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0",
);

const MAX_POLL_MS = 100;
const RELEASE_RETRY_MS = 250;

/**
 * A lease on one Redis key (the single-instance lock pattern of the Redis `SET` documentation):
 *
 * - acquire: `SET key <random token> NX PX ttl`; while another holder has it, poll with capped,
 *   jittered backoff, honouring `waitMs` (`lock_timeout`) and the signal (`ERR_ABORTED`);
 * - while held: never renewed — the lease lapses `ttl` after it was taken (the store's writes
 *   are fenced by record version, so a holder that outlives it cannot overwrite a newer record);
 * - release: delete the key only if it still holds our token. If Redis is unreachable at that
 *   moment, the release is retried in the background until it succeeds or the lease would have
 *   lapsed anyway — a lock never outlives a restart of Redis by its whole TTL.
 */
export class RedisLease {
  readonly #commands: RedisCommands;
  readonly #random: () => number;
  readonly #logger: Logger | undefined;

  constructor(commands: RedisCommands, options: { random: () => number; logger?: Logger | undefined }) {
    this.#commands = commands;
    this.#random = options.random;
    this.#logger = options.logger;
  }

  async acquire(key: string, request: LeaseRequest): Promise<HeldLease | undefined> {
    const token = randomBytes(18).toString('base64url');
    const deadline = Date.now() + request.waitMs;
    for (let attempt = 0; ; attempt++) {
      let reply: unknown;
      const grantedAt = performance.now();
      try {
        reply = await this.#commands.send(
          ['SET', key, token, 'NX', 'PX', String(request.ttlMs)],
          request.signal,
        );
      } catch (error) {
        // The SET may have reached Redis before the caller gave up or the reply was lost:
        // drop the lock if it became ours, so nobody waits out its TTL.
        this.#commands.script(RELEASE, [key], [token]).catch(() => undefined);
        throw error;
      }
      if (replyText(reply) === 'OK') return this.#held(key, token, request.ttlMs, grantedAt);
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new StoreFailureError('lock_timeout', this.#commands.where);
      const backoff = Math.min(MAX_POLL_MS, 4 * 2 ** Math.min(attempt, 5)) * (0.5 + this.#random() / 2);
      try {
        await sleep(Math.max(1, Math.min(remaining, backoff)), undefined, { signal: request.signal });
      } catch {
        // `sleep` only rejects when the signal aborts.
        throw abortedError({}, request.signal?.reason);
      }
      if (request.afterWait !== undefined && (await request.afterWait())) return undefined;
    }
  }

  #held(key: string, token: string, ttlMs: number, grantedAt: number): HeldLease {
    let lost = false;
    const validUntil = Date.now() + ttlMs;
    return {
      grantedAt,
      release: async () => {
        try {
          if ((await this.#commands.script(RELEASE, [key], [token])) !== 1) lost = true;
        } catch {
          this.#releaseLater(key, token, validUntil);
        }
        if (lost) {
          this.#logger?.log(
            'warn',
            'a Redis store lock lapsed while held (the holder stalled past its TTL)',
            {
              lock: key,
            },
          );
        }
      },
    };
  }

  #releaseLater(key: string, token: string, validUntil: number): void {
    this.#logger?.log('warn', 'could not release a Redis store lock; retrying in the background', {
      lock: key,
    });
    const retry = (): void => {
      if (Date.now() >= validUntil) return;
      this.#commands.script(RELEASE, [key], [token]).then(
        () => undefined,
        () => setTimeout(retry, RELEASE_RETRY_MS * (0.5 + this.#random())).unref(),
      );
    };
    setTimeout(retry, RELEASE_RETRY_MS * (0.5 + this.#random())).unref();
  }
}
