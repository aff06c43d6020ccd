import type { Clock } from '../support/clock.js';
import { systemClock } from '../support/clock.js';
import type { Logger } from '../support/logger.js';
import type { ConnectionRecord } from './connection-record.js';
import { EncryptedStoreFile } from './encrypted-store-file.js';
import { LeasedKeyLock } from './leased-lock.js';
import type { StoreKeys } from './record-cipher.js';
import { decodeConnectionRecord, decodePendingAuthorization } from './record-codec.js';
import { StoreConflictError } from './store-failure.js';
import type { StoreDocument } from './store-document.js';
import type {
  Lease,
  LockOptions,
  PendingAuthorization,
  PendingAuthorizationStore,
  TokenStore,
  WriteOptions,
} from './token-store.js';

export { RecordCipher, decodeStoreKey, generateStoreKey } from './record-cipher.js';
export type { DocumentMac, SealedRecord, StoreKeys } from './record-cipher.js';
export { decodeConnectionRecord, decodePendingAuthorization } from './record-codec.js';
export { StoreConflictError, StoreFailureError, isStoreConflict, isStoreFailure } from './store-failure.js';
export type { StoreFailureReason } from './store-failure.js';

const DEFAULT_PENDING_GRACE_MS = 10 * 60_000;

export interface EncryptedFileStoreOptions {
  /** The store file. Its directory is created (mode 0700) on the first write. */
  readonly path: string;
  /** Supplied by the host (key file, secret manager, environment read by the host or CLI). */
  readonly keys: StoreKeys;
  /** Used to sweep expired pending authorizations. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Receives lock warnings (a lapsed or broken lock). Never given secrets. */
  readonly logger?: Logger | undefined;
  /**
   * How long a pending authorization is kept after it expires, so a late callback is told
   * "expired" rather than "unknown". Default 10 minutes.
   */
  readonly pendingGraceMs?: number | undefined;
  /** How long a write waits for the file-wide write lock held by another process. Default 30 s. */
  readonly writeLockWaitMs?: number | undefined;
}

/**
 * The embedded default {@link TokenStore}: one encrypted file shared by every process of a host
 * on one machine. Connection records and pending authorizations are each sealed with
 * AES-256-GCM (random IV, record identity as AAD); the file carries a keyed MAC and is replaced
 * atomically (temp file, fsync, rename, directory fsync) with mode 0600.
 *
 * - `get` re-reads the file, so a reader sees other processes' writes (the engine's re-read under
 *   the lock relies on it). A missing file is an empty store; a truncated, tampered or foreign
 *   file, or a wrong key, throws `ERR_STORE_FAILURE` — never an empty answer.
 * - `withLock(key)` is exclusive across processes: an in-process mutex in front of a lock file
 *   per connection (`<path>.<digest>.lock`, `O_EXCL`, owner + expiry, renewed while held, broken
 *   only after it lapses, released only by its owner).
 * - Key rotation: configure the new key as `current` and the old one in `previous`; reads accept
 *   both, writes use the new one, {@link rotateKeys} re-encrypts the rest. Then drop the old key.
 *
 * Bind it with its pending store: `bind(TokenStore).toConstantValue(store)`,
 * `bind(PendingAuthorizationStore).toConstantValue(store.pending)`.
 */
export class EncryptedFileTokenStore implements TokenStore {
  /** Pending authorizations in the same file. */
  readonly pending: EncryptedFilePendingAuthorizationStore;
  readonly #file: EncryptedStoreFile;
  readonly #lock: LeasedKeyLock;

  constructor(options: EncryptedFileStoreOptions) {
    this.#file = new EncryptedStoreFile(options);
    this.#lock = new LeasedKeyLock({
      acquire: (key, request) => this.#file.keyLease(key).acquire(request),
      where: this.#file.path,
    });
    this.pending = new EncryptedFilePendingAuthorizationStore(
      this.#file,
      options.clock ?? systemClock,
      options.pendingGraceMs ?? DEFAULT_PENDING_GRACE_MS,
    );
  }

  /** Absolute path of the store file. */
  get path(): string {
    return this.#file.path;
  }

  async get(key: string): Promise<ConnectionRecord | undefined> {
    const document = await this.#file.read();
    return this.#file.open(document, 'tokens', key, decodeConnectionRecord);
  }

  /**
   * Resolves once the record is on disk (fsynced file and directory). Its version is the stored
   * one plus one, or the wall-clock time in ms when that is larger, so a key re-created after a
   * delete does not reuse an old version.
   */
  set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    return this.#file.update((document) => {
      const current = this.#current(document, key, options);
      const version = Math.max((current?.version ?? 0) + 1, Date.now());
      this.#file.seal(document, 'tokens', key, { ...record, version });
    });
  }

  async delete(key: string, options?: WriteOptions): Promise<void> {
    await this.#file.update((document) => {
      this.#current(document, key, options);
      document.remove('tokens', key);
    });
  }

  withLock<T>(key: string, fn: (lease: Lease) => Promise<T>, options?: LockOptions<T>): Promise<T> {
    return this.#lock.run(key, fn, options);
  }

  /** The stored record, after checking a fenced write's expected version against it. */
  #current(
    document: StoreDocument,
    key: string,
    options: WriteOptions | undefined,
  ): ConnectionRecord | undefined {
    const current = this.#file.open(document, 'tokens', key, decodeConnectionRecord);
    const expected = options?.ifVersion;
    if (expected !== undefined && (current?.version ?? 'absent') !== expected) {
      throw new StoreConflictError(this.#file.path);
    }
    return current;
  }

  /**
   * Re-encrypts every record written with a previous key using the current one (and re-MACs the
   * file). Returns how many records were re-encrypted. Afterwards the previous keys can be
   * removed from the configuration.
   */
  rotateKeys(): Promise<number> {
    return this.#file.update((document) => this.#file.reseal(document));
  }
}

/**
 * Pending authorizations in an encrypted store file: `take` is an atomic read-and-delete under
 * the file's write lock, so a state is usable once even across processes. Obtain it from
 * {@link EncryptedFileTokenStore.pending}.
 */
export class EncryptedFilePendingAuthorizationStore implements PendingAuthorizationStore {
  readonly #file: EncryptedStoreFile;
  readonly #clock: Clock;
  readonly #graceMs: number;

  /** @internal Use {@link EncryptedFileTokenStore.pending}. */
  constructor(file: EncryptedStoreFile, clock: Clock, graceMs: number) {
    this.#file = file;
    this.#clock = clock;
    this.#graceMs = graceMs;
  }

  /** Stores `pending` and drops entries expired for longer than the grace period. */
  put(key: string, pending: PendingAuthorization): Promise<void> {
    return this.#file.update((document) => {
      const horizon = this.#clock.now() - this.#graceMs;
      const expired = document.entries('pending').filter(([other]) => {
        if (other === key) return false;
        try {
          return (
            this.#file.open(document, 'pending', other, decodePendingAuthorization)!.expiresAt <= horizon
          );
        } catch {
          return false;
        }
      });
      this.#file.seal(document, 'pending', key, pending);
      for (const [other] of expired) document.remove('pending', other);
    });
  }

  take(key: string): Promise<PendingAuthorization | undefined> {
    return this.#file.update((document) => {
      const pending = this.#file.open(document, 'pending', key, decodePendingAuthorization);
      document.remove('pending', key);
      return pending;
    });
  }

  forgetConnection(connectorId: string, connectionId: string): Promise<number> {
    return this.#file.update((document) => {
      const mine = document.entries('pending').filter(([key]) => {
        const pending = this.#file.open(document, 'pending', key, decodePendingAuthorization);
        return pending?.connectorId === connectorId && pending.connectionId === connectionId;
      });
      for (const [key] of mine) document.remove('pending', key);
      return mine.length;
    });
  }
}
