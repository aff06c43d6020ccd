import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Logger } from '../support/logger.js';
import { writeFileAtomic } from './atomic-file.js';
import { FileLease } from './file-lease.js';
import { RecordCipher, type StoreKeys } from './record-cipher.js';
import { StoreDocument, recordContext, type StoreSection } from './store-document.js';
import { StoreFailureError } from './store-failure.js';

/** The file-wide write lock only covers one read-modify-write: a short lease. */
const WRITE_LEASE_TTL_MS = 10_000;

interface QueuedUpdate {
  readonly mutate: (document: StoreDocument) => unknown;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The file engine shared by the encrypted token store and pending store of one file.
 *
 * - `read()` reads and authenticates the whole file on every call, so a reader always sees the
 *   latest write of any process (writes replace the file atomically).
 * - `update()` is a read-modify-write under a file-wide lease (`<path>.write.lock`), so two
 *   processes never lose each other's records. Updates queued in this process meanwhile are
 *   applied together in one write (group commit); each caller's promise resolves only after the
 *   write that contains its change is fsynced.
 */
export class EncryptedStoreFile {
  readonly path: string;
  readonly #cipher: RecordCipher;
  readonly #writeLease: FileLease;
  readonly #writeWaitMs: number;
  readonly #logger: Logger | undefined;
  #queue: QueuedUpdate[] = [];
  #draining = false;

  constructor(options: {
    path: string;
    keys: StoreKeys;
    logger?: Logger | undefined;
    writeLockWaitMs?: number | undefined;
  }) {
    this.path = resolve(options.path);
    this.#cipher = new RecordCipher(options.keys);
    this.#logger = options.logger;
    this.#writeWaitMs = options.writeLockWaitMs ?? 30_000;
    this.#writeLease = new FileLease(`${this.path}.write.lock`, { where: this.path, logger: this.#logger });
  }

  /** The lease that makes `withLock(key)` exclusive across processes. */
  keyLease(key: string): FileLease {
    const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, 32);
    return new FileLease(`${this.path}.${digest}.lock`, { where: this.path, logger: this.#logger });
  }

  /** The current document; an absent file is an empty store, anything unreadable throws. */
  async read(): Promise<StoreDocument> {
    let raw: string;
    try {
      raw = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return new StoreDocument();
      throw new StoreFailureError('io', this.path, { cause: error });
    }
    return StoreDocument.parse(raw, this.#cipher, this.path);
  }

  /** Decrypts and checks one record of `document`, or `undefined` when there is none. */
  open<T>(
    document: StoreDocument,
    section: StoreSection,
    key: string,
    decode: (value: unknown, where: string) => T,
  ): T | undefined {
    const sealed = document.get(section, key);
    if (sealed === undefined) return undefined;
    return decode(this.#cipher.open(recordContext(section, key), sealed, this.path), this.path);
  }

  /** Encrypts `value` with the current key into `document`. */
  seal(document: StoreDocument, section: StoreSection, key: string, value: unknown): void {
    document.put(section, key, this.#cipher.seal(recordContext(section, key), value));
  }

  /** Re-encrypts, with the current key, every record written with an older one. */
  reseal(document: StoreDocument): number {
    let count = 0;
    for (const section of ['tokens', 'pending'] as const) {
      for (const [key, sealed] of document.entries(section)) {
        if (this.#cipher.isCurrent(sealed)) continue;
        const context = recordContext(section, key);
        document.put(section, key, this.#cipher.seal(context, this.#cipher.open(context, sealed, this.path)));
        count++;
      }
    }
    document.touch();
    return count;
  }

  /**
   * Applies `mutate` to the latest document and writes it back durably. `mutate` must be
   * all-or-nothing: compute (and throw) first, then change the document.
   */
  update<T>(mutate: (document: StoreDocument) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#queue.push({ mutate, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) {
        this.#draining = true;
        void this.#drain();
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#commit(batch);
      } catch (error) {
        for (const update of batch) update.reject(error);
      }
    }
    this.#draining = false;
  }

  async #commit(batch: readonly QueuedUpdate[]): Promise<void> {
    // No `afterWait`: a write always needs the lease, so `acquire` always returns one.
    const lease = (await this.#writeLease.acquire({ ttlMs: WRITE_LEASE_TTL_MS, waitMs: this.#writeWaitMs }))!;
    let outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[];
    try {
      const document = await this.read();
      outcomes = batch.map((update) => {
        try {
          return { ok: true, value: update.mutate(document) };
        } catch (error) {
          return { ok: false, error };
        }
      });
      if (document.dirty) {
        try {
          await writeFileAtomic(this.path, document.serialize(this.#cipher));
        } catch (error) {
          throw new StoreFailureError('io', this.path, { cause: error });
        }
      }
    } finally {
      // Released before anyone hears back, so a process that exits right after a write
      // leaves no lock behind.
      await lease.release();
    }
    outcomes.forEach((outcome, index) => {
      const update = batch[index]!;
      if (outcome.ok) update.resolve(outcome.value);
      else update.reject(outcome.error);
    });
  }
}
