import {
  connectionKey,
  decodePendingAuthorization,
  systemClock,
  type Clock,
  type PendingAuthorization,
  type PendingAuthorizationStore,
} from '@aic/connector-core';
import type { KeyLayout } from './key-layout.js';
import type { RecordCodec } from './record-codec.js';
import { replyArray, replyText, type RedisCommands } from './redis-commands.js';
import { INDEX_PENDING } from './scripts.js';

/**
 * Pending authorizations in Redis: `aic:{p:<digest>}` with a `PX` TTL (expiry plus a grace
 * period), and `take` as one atomic `GETDEL` (Redis ≥ 6.2), so a state is usable once across all
 * instances. Each connection indexes its pending digests in `aic:{<connection>}:pending` (written
 * first, so a crash between the two writes leaves an index entry pointing nowhere, never a pending
 * authorization `forgetConnection` cannot find). Obtain it from `RedisTokenStore.pending`.
 */
export class RedisPendingAuthorizationStore implements PendingAuthorizationStore {
  readonly #commands: RedisCommands;
  readonly #layout: KeyLayout;
  readonly #codec: RecordCodec;
  readonly #clock: Clock;
  readonly #graceMs: number;

  /** @internal Use `RedisTokenStore.pending`. */
  constructor(
    commands: RedisCommands,
    layout: KeyLayout,
    codec: RecordCodec,
    options: { readonly clock?: Clock | undefined; readonly pendingGraceMs?: number | undefined },
  ) {
    this.#commands = commands;
    this.#layout = layout;
    this.#codec = codec;
    this.#clock = options.clock ?? systemClock;
    this.#graceMs = options.pendingGraceMs ?? 10 * 60_000;
  }

  async put(key: string, pending: PendingAuthorization): Promise<void> {
    const ttl = String(Math.max(1, Math.ceil(pending.expiresAt + this.#graceMs - this.#clock.now())));
    const index = this.#layout.connection(
      connectionKey(pending.connectorId, pending.connectionId),
    ).pendingIndex;
    await this.#commands.script(INDEX_PENDING, [index], [key, ttl]);
    const stored = this.#layout.pendingKey(key);
    await this.#commands.send(stored, [
      'SET',
      stored,
      this.#codec.encode('pending', key, pending),
      'PX',
      ttl,
    ]);
  }

  async take(key: string): Promise<PendingAuthorization | undefined> {
    const stored = this.#layout.pendingKey(key);
    const reply = await this.#commands.send(stored, ['GETDEL', stored]);
    return this.#codec.decode('pending', key, reply, decodePendingAuthorization);
  }

  /** Drops the connection's pending authorizations, found through its index. */
  async forgetConnection(connectorId: string, connectionId: string): Promise<number> {
    const index = this.#layout.connection(connectionKey(connectorId, connectionId)).pendingIndex;
    const members = replyArray(await this.#commands.send(index, ['SMEMBERS', index]));
    let dropped = 0;
    // One DEL per key: in a cluster each pending authorization lives in its own slot.
    for (const member of members) {
      const stored = this.#layout.pendingKey(replyText(member) ?? '');
      dropped += Number(await this.#commands.send(stored, ['DEL', stored]));
    }
    await this.#commands.send(index, ['DEL', index]);
    return dropped;
  }
}
