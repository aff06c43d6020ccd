/**
 * What every host process of a store storm does, whatever its store: core's store fixture
 * connector on the store's token store and limiter, against the storm's rotating token endpoint.
 * It prints `ready`; on a line on stdin it calls `getAccessToken` once for every connection at the
 * same moment, prints `{ elapsedMs, failures: { 'code[/reason]': count }, store }` and exits.
 *
 *   node <store>-host.js <tokenBase> <idPrefix> <connections> <limit> <the store's arguments…>
 */
import { createInterface } from 'node:readline';
import type { PendingAuthorizationStore, TokenRequestLimiter, TokenStore } from '@aic/connector-core';
import { storeFixtureConnection, storeFixtureConnector } from '@aic/connector-core/testing';
import { Agent } from 'undici';

/** The arguments the storm driver gives every host, and the store's own after them. */
export interface StormHostArguments {
  readonly tokenBase: string;
  /** Connection ids: `<idPrefix>0` … `<idPrefix><connections − 1>`. */
  readonly ids: readonly string[];
  /** Token requests in flight per origin, all processes together: the store limiter's concurrency. */
  readonly limit: number;
  readonly storeArgs: readonly string[];
}

/** What a host summary carries (`store`: the store's own figures, e.g. its operation counts). */
export interface StormHostSummary {
  readonly elapsedMs: number;
  readonly failures: Readonly<Record<string, number>>;
  readonly store?: unknown;
}

export function stormHostArguments(argv: readonly string[] = process.argv.slice(2)): StormHostArguments {
  const [tokenBase = '', idPrefix = '', connections = '0', limit = '16', ...storeArgs] = argv;
  return {
    tokenBase,
    ids: Array.from({ length: Number(connections) }, (_, i) => `${idPrefix}${i}`),
    limit: Number(limit),
    storeArgs,
  };
}

/** The store side of one host. */
export interface StormHostStore {
  readonly tokenStore: TokenStore;
  readonly pendingStore: PendingAuthorizationStore;
  readonly tokenLimiter: TokenRequestLimiter;
  /** The store's figures for the summary. */
  figures?(): unknown;
  close(): Promise<void> | void;
}

/** Runs the host: ready, then on "go" the calls, the summary, exit. */
export function serveStormHost(args: StormHostArguments, store: StormHostStore): void {
  const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 60_000 });
  const connector = storeFixtureConnector({
    origin: args.tokenBase,
    // The endpoint's expires_in is in ms (1 h): a connection is refreshed once in the storm.
    expiresInUnit: 'milliseconds',
    tokenStore: store.tokenStore,
    pendingStore: store.pendingStore,
    tokenLimiter: store.tokenLimiter,
    dispatcher,
  });
  const lines = createInterface({ input: process.stdin });
  process.stdout.write('ready\n');
  lines.once('line', () => {
    void (async () => {
      const started = performance.now();
      const results = await Promise.allSettled(
        args.ids.map((id) => connector.getAccessToken(storeFixtureConnection(id))),
      );
      const elapsedMs = performance.now() - started;
      const failures: Record<string, number> = {};
      for (const result of results) {
        if (result.status === 'fulfilled') continue;
        const error = result.reason as { code?: string; reason?: string };
        const label = `${error.code ?? 'UNKNOWN'}${error.reason === undefined ? '' : `/${error.reason}`}`;
        failures[label] = (failures[label] ?? 0) + 1;
      }
      const summary: StormHostSummary = { elapsedMs, failures, store: store.figures?.() };
      process.stdout.write(`${JSON.stringify(summary)}\n`);
      lines.close();
      await store.close();
      await dispatcher.close();
      process.exit(0);
    })();
  });
}
