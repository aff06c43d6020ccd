import { ConnectorError, ErrorCode, text } from '@aic/connector-core';
import { keySlot, slotTag } from './key-slot.js';

/** Braces and `%` of a name are percent-encoded, so a name can never end or open a hash tag. */
const escapeTag = (name: string): string =>
  name.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The keys of one connection: one hash tag, so one slot, so every script touches one node. */
export interface ConnectionKeys {
  /** HASH: `r` the record, `v` its version counter (never deleted), `c` an unresolved grant spend. */
  readonly record: string;
  /** STRING: the refresh lock's owner token, with a `PX` TTL. */
  readonly lock: string;
  /** STRING: set while someone waits for the lock, so its release publishes a wake-up. */
  readonly wait: string;
  /** SET: the digests of the connection's pending authorizations (see `pendingKey`). */
  readonly pendingIndex: string;
  /** The sharded channel wake-ups of this connection's lock are published on. */
  readonly channel: string;
}

/** The keys of one token endpoint origin's request limiter (one hash tag). */
export interface LimiterKeys {
  /** ZSET: slot holders, scored by when they lapse. */
  readonly holders: string;
  /** LIST: waiting requests, first in first out. */
  readonly queue: string;
  /** HASH: waiting request → `<deadline>|<process>`. */
  readonly waiters: string;
  /** ZSET: processes with holders or waiters, scored by when they count as gone. */
  readonly processes: string;
  /** The sharded channel grants are published on. */
  readonly channel: string;
}

/**
 * Where the Redis stores put things. Every key starts with the prefix (default `aic:`) and carries
 * one hash tag: the connection (`aic:{fixture␟conn-1}:rec`), the pending authorization's digest,
 * or the limiter's origin. In a cluster, wake-ups go to one sharded channel per slot
 * (`aic:wake:{<tag of the slot>}`); on a single server, to one channel (`aic:wake`).
 */
export class KeyLayout {
  readonly prefix: string;
  readonly #cluster: boolean;

  constructor(prefix: string, cluster: boolean) {
    if (/[{}]/.test(prefix)) {
      throw new ConnectorError(
        ErrorCode.Configuration,
        text(
          `El prefijo de claves de Redis no puede contener "{" ni "}": las claves usan la etiqueta hash de Redis Cluster.`,
          `The Redis key prefix cannot contain "{" or "}": the keys use Redis Cluster hash tags.`,
        ),
      );
    }
    this.prefix = prefix;
    this.#cluster = cluster;
  }

  connection(key: string): ConnectionKeys {
    const base = `${this.prefix}{${escapeTag(key)}}:`;
    const record = `${base}rec`;
    return {
      record,
      lock: `${base}lock`,
      wait: `${base}wait`,
      pendingIndex: `${base}pending`,
      channel: this.wakeChannel(record),
    };
  }

  /** A pending authorization, under its own digest (its `take` does not know the connection). */
  pendingKey(key: string): string {
    return `${this.prefix}{p:${escapeTag(key)}}`;
  }

  limiter(origin: string): LimiterKeys {
    const base = `${this.prefix}{limit:${escapeTag(origin)}}:`;
    return {
      holders: `${base}holders`,
      queue: `${base}queue`,
      waiters: `${base}waiters`,
      processes: `${base}processes`,
      channel: `${base}granted`,
    };
  }

  /** The channel that serves the slot of `key`. */
  wakeChannel(key: string): string {
    return this.#cluster ? `${this.prefix}wake:{${slotTag(keySlot(key))}}` : `${this.prefix}wake`;
  }
}
