/**
 * A token store over a shared "disk" (a Map standing for durable storage) whose next `set` can
 * be made to fail the way a process does: throw, die before the write is durable, die after it,
 * or wait until released. A "restarted process" is a new store over the same disk.
 */
import { ErrorCode } from '../../src/errors/codes.js';
import { ConnectorError } from '../../src/errors/connector-error.js';
import { text } from '../../src/errors/localized.js';
import type { ConnectionRecord } from '../../src/stores/connection-record.js';
import { timedLease } from '../../src/stores/lease.js';
import { KeyedMutex } from '../../src/stores/memory-stores.js';
import { StoreConflictError } from '../../src/stores/store-failure.js';
import type { Lease, LockOptions, TokenStore, WriteOptions } from '../../src/stores/token-store.js';

export type Crash =
  /** `set` rejects with `ERR_STORE_FAILURE`; nothing is written. */
  | 'throw'
  /** The process dies inside `set` before the write is durable: never resolves, nothing written. */
  | 'die-before-write'
  /** The process dies right after the write is durable: never resolves, record written. */
  | 'die-after-write';

export type Disk = Map<string, ConnectionRecord>;

export class CrashableStore implements TokenStore {
  /** What happened, in order: `set:<refresh token>`, `durable:<refresh token>`, crashes. */
  readonly events: string[];
  readonly #disk: Disk;
  readonly #mutex = new KeyedMutex();
  #crash: Crash | undefined;
  #hold: Promise<void> | undefined;

  constructor(disk: Disk, events: string[] = []) {
    this.#disk = disk;
    this.events = events;
  }

  crashOnNextSet(crash: Crash): void {
    this.#crash = crash;
  }

  /** The next `set` waits until the returned function is called. */
  holdNextSet(): () => void {
    let release!: () => void;
    this.#hold = new Promise<void>((resolve) => (release = resolve));
    return release;
  }

  get(key: string): Promise<ConnectionRecord | undefined> {
    const record = this.#disk.get(key);
    return Promise.resolve(record === undefined ? undefined : structuredClone(record));
  }

  async set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    const current = this.#disk.get(key);
    if (options?.ifVersion !== undefined && (current?.version ?? 'absent') !== options.ifVersion) {
      throw new StoreConflictError('crash-store');
    }
    const label = record.tokens?.refreshToken ?? 'none';
    this.events.push(`set:${label}`);
    const crash = this.#crash;
    const hold = this.#hold;
    this.#crash = undefined;
    this.#hold = undefined;
    if (hold !== undefined) await hold;
    if (crash === 'throw') {
      this.events.push('crash:throw');
      throw new ConnectorError(
        ErrorCode.StoreFailure,
        text(
          'El almacén de tokens no pudo escribir (falla inyectada).',
          'The token store could not write (injected fault).',
        ),
      );
    }
    if (crash === 'die-before-write') {
      this.events.push('crash:before-write');
      return new Promise<void>(() => undefined);
    }
    this.#disk.set(key, structuredClone({ ...record, version: (current?.version ?? 0) + 1 }));
    this.events.push(`durable:${label}`);
    if (crash === 'die-after-write') {
      this.events.push('crash:after-write');
      return new Promise<void>(() => undefined);
    }
  }

  delete(key: string): Promise<void> {
    this.#disk.delete(key);
    return Promise.resolve();
  }

  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions): Promise<T> {
    return this.#mutex.run(key, () => timedLease(options?.ttlMs, fn), options);
  }
}
