import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { abortedError } from '../support/abort.js';
import type { Logger } from '../support/logger.js';
import type { HeldLease, LeaseRequest } from './leased-lock.js';
import { StoreFailureError } from './store-failure.js';

/** A guard file older than this belongs to a process that died inside a microsecond section. */
const GUARD_STALE_MS = 2_000;
/** A lease file without readable content (creator died between create and write) lapses after this. */
const UNWRITTEN_GRACE_MS = 2_000;
const MAX_POLL_MS = 50;

interface LeaseContent {
  /** `undefined` when the file has no readable content yet. */
  readonly owner: string | undefined;
  readonly expiresAt: number;
}

const errno = (error: unknown): string | undefined => (error as { code?: string } | null)?.code;

const aborted = (signal: AbortSignal): Error => abortedError({}, signal.reason);

/**
 * A lease on a lock file, exclusive across processes on one machine (or on a file system with
 * atomic `O_EXCL` create and `rename`).
 *
 * - Acquire: create `path` with `O_EXCL` (`wx`) holding `{ owner, pid, expiresAt }`; while it
 *   exists and has not expired, poll with jittered backoff, honouring `waitMs` and the signal.
 * - A lease is never renewed: it lapses `ttlMs` after it was taken, whether its holder is done,
 *   stalled or crashed (writes under it are fenced by record version, so a lapsed holder cannot
 *   overwrite a newer record).
 * - Breaking a lapsed lease, renewing and releasing all run under a short guard file
 *   (`path.guard`), and re-check the owner first: a release removes the lease only if it is still
 *   the releaser's, and a breaker removes only the very lease it saw lapse.
 *
 * Wall-clock time (`Date.now()`) is used on purpose: leases are shared between processes, which
 * share the system clock and nothing else.
 */
export class FileLease {
  readonly #path: string;
  readonly #where: string;
  readonly #random: () => number;
  readonly #logger: Logger | undefined;

  constructor(path: string, options: { where: string; random?: () => number; logger?: Logger | undefined }) {
    this.#path = path;
    this.#where = options.where;
    this.#random = options.random ?? Math.random;
    this.#logger = options.logger;
  }

  async acquire(request: LeaseRequest): Promise<HeldLease | undefined> {
    const owner = randomUUID();
    const deadline = Date.now() + request.waitMs;
    for (let attempt = 0; ; attempt++) {
      if (request.signal?.aborted === true) throw aborted(request.signal);
      const grantedAt = performance.now();
      if (await this.#tryCreate(owner, request.ttlMs)) return this.#held(owner, grantedAt);
      const seen = await this.#read();
      if (seen === undefined) continue;
      if (seen.expiresAt <= Date.now()) {
        await this.#breakLapsed(seen);
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new StoreFailureError('lock_timeout', this.#where);
      const backoff = Math.min(MAX_POLL_MS, 2 ** Math.min(attempt, 6)) * (0.5 + this.#random() / 2);
      try {
        await sleep(Math.max(1, Math.min(remaining, backoff)), undefined, { signal: request.signal });
      } catch (error) {
        // `sleep` only rejects when the signal aborts.
        throw request.signal === undefined ? error : aborted(request.signal);
      }
      if (request.afterWait !== undefined && (await request.afterWait())) return undefined;
    }
  }

  #content(owner: string, ttlMs: number): string {
    return JSON.stringify({ owner, pid: process.pid, expiresAt: Date.now() + ttlMs });
  }

  async #tryCreate(owner: string, ttlMs: number): Promise<boolean> {
    let handle;
    try {
      handle = await open(this.#path, 'wx', 0o600).catch(async (error: unknown) => {
        if (errno(error) !== 'ENOENT') throw error;
        // First use: create the store's directory (private to the host's user).
        await mkdir(dirname(this.#path), { recursive: true, mode: 0o700 });
        return open(this.#path, 'wx', 0o600);
      });
    } catch (error) {
      if (errno(error) === 'EEXIST') return false;
      throw new StoreFailureError('io', this.#where, { cause: error });
    }
    try {
      await handle.writeFile(this.#content(owner, ttlMs), 'utf8');
    } finally {
      await handle.close();
    }
    return true;
  }

  /** The current lease, or `undefined` when there is none. */
  async #read(): Promise<LeaseContent | undefined> {
    let raw: string;
    try {
      raw = await readFile(this.#path, 'utf8');
    } catch (error) {
      if (errno(error) === 'ENOENT') return undefined;
      throw new StoreFailureError('io', this.#where, { cause: error });
    }
    try {
      const parsed = JSON.parse(raw) as { owner?: unknown; expiresAt?: unknown };
      if (typeof parsed.owner === 'string' && typeof parsed.expiresAt === 'number') {
        return { owner: parsed.owner, expiresAt: parsed.expiresAt };
      }
    } catch {
      // Not written yet (or garbage): lapses a short while after the file was created.
    }
    const info = await stat(this.#path).catch(() => undefined);
    return info === undefined
      ? undefined
      : { owner: undefined, expiresAt: info.mtimeMs + UNWRITTEN_GRACE_MS };
  }

  async #breakLapsed(seen: LeaseContent): Promise<void> {
    await this.#guarded(async () => {
      const now = await this.#read();
      if (now !== undefined && now.owner === seen.owner && now.expiresAt <= Date.now()) {
        await unlink(this.#path).catch(() => undefined);
        this.#logger?.log('warn', 'broke a lapsed store lock (its holder crashed or stalled)', {
          lock: this.#path,
        });
      }
    });
  }

  /** Runs `fn` while holding the guard file: the only place a lease file is replaced or removed. */
  async #guarded(fn: () => Promise<void>): Promise<void> {
    const guard = `${this.#path}.guard`;
    const deadline = Date.now() + 10 * GUARD_STALE_MS;
    for (;;) {
      try {
        await (await open(guard, 'wx', 0o600)).close();
        break;
      } catch (error) {
        if (errno(error) !== 'EEXIST') throw new StoreFailureError('io', this.#where, { cause: error });
      }
      const info = await stat(guard).catch(() => undefined);
      if (info !== undefined && Date.now() - info.mtimeMs > GUARD_STALE_MS) {
        await unlink(guard).catch(() => undefined);
      } else if (Date.now() > deadline) {
        throw new StoreFailureError('lock_timeout', this.#where);
      } else {
        await sleep(1 + this.#random() * 4);
      }
    }
    try {
      await fn();
    } finally {
      await unlink(guard).catch(() => undefined);
    }
  }

  #held(owner: string, grantedAt: number): HeldLease {
    let lost = false;
    return {
      grantedAt,
      release: async () => {
        try {
          await this.#guarded(async () => {
            const now = await this.#read();
            if (now?.owner === owner) await unlink(this.#path);
            else lost = true;
          });
        } catch {
          // The lease lapses by its TTL; nothing else to do.
        }
        if (lost) {
          this.#logger?.log('warn', 'a store lock lapsed while held (the holder stalled past its TTL)', {
            lock: this.#path,
          });
        }
      },
    };
  }
}
