import { MemoryTokenStore, type ConnectionRecord, type WriteOptions } from '@aic/connector-core';
import type { Sequence } from './sequence.js';

/** One completed `set`, stamped on the scenario's sequence (shared with recorded requests). */
export interface StoreWrite {
  readonly seq: number;
  readonly key: string;
  readonly record: ConnectionRecord;
}

/**
 * The token store the kit binds: a {@link MemoryTokenStore} that also remembers every completed
 * write, so a scenario can tell whether a rotated refresh token was durable before the access
 * token that came with it was first sent to the API.
 */
export class KitTokenStore extends MemoryTokenStore {
  readonly writes: StoreWrite[] = [];
  readonly #sequence: Sequence;

  constructor(sequence: Sequence) {
    super();
    this.#sequence = sequence;
  }

  override async set(key: string, record: ConnectionRecord, options?: WriteOptions): Promise<void> {
    await super.set(key, record, options);
    this.writes.push({ seq: this.#sequence.next(), key, record });
  }

  /** The first completed write of `key` whose refresh token is `refreshToken`. */
  firstWriteWithRefreshToken(key: string, refreshToken: string): StoreWrite | undefined {
    return this.writes.find((w) => w.key === key && w.record.tokens?.refreshToken === refreshToken);
  }
}
