import { ErrorCode } from '../errors/codes.js';
import { ConnectorError } from '../errors/connector-error.js';
import { text } from '../errors/localized.js';
import { abandonOnAbort, throwIfAborted } from '../support/abort.js';
import type { Clock } from '../support/clock.js';
import { systemClock } from '../support/clock.js';
import type { ConnectionRecord } from './connection-record.js';
import { timedLease } from './lease.js';
import { StoreConflictError } from './store-failure.js';
import type {
  Lease,
  LockOptions,
  PendingAuthorization,
  PendingAuthorizationStore,
  TokenStore,
  WriteOptions,
} from './token-store.js';

/** Default bound of a wait for a lock (ms), as {@link LockOptions.waitMs} documents. */
const DEFAULT_WAIT_MS = 30_000;

/**
 * A per-key FIFO mutex for one process. Waiters queue on the previous holder's promise; a
 * waiter that stops waiting (its `signal` aborts: `ERR_ABORTED`; `waitMs` passes:
 * `ERR_STORE_FAILURE`) leaves the queue without breaking it. `ttlMs` has no meaning in one
 * process (a holder cannot crash without the process) and is ignored.
 */
export class KeyedMutex {
  readonly #tails = new Map<string, Promise<void>>();

  /** Runs `fn` alone for `key`; `fn` is told whether it had to wait for another holder first. */
  async run<T>(key: string, fn: (waited: boolean) => Promise<T>, options: LockOptions = {}): Promise<T> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = (previous ?? Promise.resolve()).then(() => mine);
    this.#tails.set(key, tail);
    try {
      throwIfAborted(options.signal);
      if (previous !== undefined) await waitForTurn(previous, options);
      return await fn(previous !== undefined);
    } finally {
      release();
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}

async function waitForTurn(turn: Promise<void>, options: LockOptions): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new ConnectorError(
            ErrorCode.StoreFailure,
            text(
              'Se agotó la espera del bloqueo de la conexión: otra operación lo retiene demasiado tiempo.',
              'Timed out waiting for the connection lock: another operation has held it too long.',
            ),
          ),
        ),
      options.waitMs ?? DEFAULT_WAIT_MS,
    );
    timer.unref();
  });
  try {
    await abandonOnAbort(Promise.race([turn, timedOut]), options.signal);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Tokens in process memory: the default, and right for a single-instance host that accepts
 * re-authorizing after a restart. Records are deep-frozen copies, so a caller cannot mutate
 * stored state. Versions come from one counter for the whole store, so a key never sees a
 * version twice, even across a delete.
 */
export class MemoryTokenStore implements TokenStore {
  readonly #records = new Map<string, ConnectionRecord>();
  readonly #mutex = new KeyedMutex();
  #version = 0;

  get(key: string): Promise<ConnectionRecord | undefined> {
    return Promise.resolve(this.#records.get(key));
  }

  set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    try {
      this.#check(key, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    this.#records.set(key, freezeCopy({ ...record, version: ++this.#version }));
    return Promise.resolve();
  }

  delete(key: string, options?: WriteOptions): Promise<void> {
    try {
      this.#check(key, options);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    this.#records.delete(key);
    return Promise.resolve();
  }

  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T> {
    return this.#mutex.run(
      key,
      async (waited) => {
        const early = waited ? await options?.afterWait?.() : undefined;
        return early !== undefined ? early : timedLease(options?.ttlMs, fn);
      },
      options,
    );
  }

  #check(key: string, options: WriteOptions | undefined): void {
    const expected = options?.ifVersion;
    if (expected === undefined) return;
    const actual = this.#records.get(key)?.version ?? 'absent';
    if (actual !== expected) throw new StoreConflictError('memory');
  }

  /** Number of stored connections. */
  get size(): number {
    return this.#records.size;
  }
}

function freezeCopy<T>(value: T): T {
  return deepFreeze(structuredClone(value));
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}

/**
 * Pending authorizations in memory. Expired entries are swept on every `put`, so abandoned
 * flows cannot grow the map without bound.
 */
export class MemoryPendingAuthorizationStore implements PendingAuthorizationStore {
  readonly #pending = new Map<string, PendingAuthorization>();
  readonly #clock: Clock;

  constructor(clock: Clock = systemClock) {
    this.#clock = clock;
  }

  put(key: string, pending: PendingAuthorization): Promise<void> {
    const now = this.#clock.now();
    for (const [k, v] of this.#pending) if (v.expiresAt <= now) this.#pending.delete(k);
    this.#pending.set(key, freezeCopy(pending));
    return Promise.resolve();
  }

  take(key: string): Promise<PendingAuthorization | undefined> {
    const pending = this.#pending.get(key);
    this.#pending.delete(key);
    return Promise.resolve(pending);
  }

  forgetConnection(connectorId: string, connectionId: string): Promise<number> {
    let dropped = 0;
    for (const [key, pending] of this.#pending) {
      if (pending.connectorId === connectorId && pending.connectionId === connectionId) {
        this.#pending.delete(key);
        dropped += 1;
      }
    }
    return Promise.resolve(dropped);
  }

  get size(): number {
    return this.#pending.size;
  }
}
