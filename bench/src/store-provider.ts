import {
  OAuthConnector,
  endpointPolicy,
  silentLogger,
  systemClock,
  type ConnectionRecord,
  type PendingAuthorizationStore,
  type TokenRequestLimiter,
  type TokenStore,
} from '@aic/connector-core';
import type { Dispatcher } from 'undici';
import { benchDefinition } from './provider.js';

/**
 * The benchmark's client-credentials connector on a given store (and limiter), allowed to call the
 * loopback benchmark server (development endpoint policy, as a test host binds it).
 */
export function connectorOnStore(
  dispatcher: Dispatcher,
  stores: {
    readonly tokenStore: TokenStore;
    readonly pendingStore: PendingAuthorizationStore;
    readonly tokenLimiter?: TokenRequestLimiter | undefined;
  },
): OAuthConnector<typeof benchDefinition.credentialSchema> {
  return new OAuthConnector(benchDefinition, {
    tokenStore: stores.tokenStore,
    pendingStore: stores.pendingStore,
    clock: systemClock,
    logger: silentLogger,
    dispatcher,
    endpointPolicy: endpointPolicy({ development: true }),
    ...(stores.tokenLimiter === undefined ? {} : { tokenLimiter: stores.tokenLimiter }),
  });
}

/** A stored connection record whose access token expires at `expiresAt` (100-character tokens). */
export function benchRecord(n: number, issuedAt: number, expiresAt: number): ConnectionRecord {
  return {
    status: 'active',
    tokens: {
      accessToken: `at-${String(n).padStart(8, '0')}-${'x'.repeat(88)}`,
      tokenType: 'Bearer',
      issuedAt,
      expiresAt,
      refreshToken: `rt-${String(n).padStart(8, '0')}-${'y'.repeat(88)}`,
    },
    updatedAt: issuedAt,
  };
}

/** Milliseconds statistics of one operation: median and p95 over all samples, spread of round medians. */
export interface LatencyFigure {
  readonly samples: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  /** Lowest and highest median of the repetitions (rounds). */
  readonly roundMedianMs: readonly [number, number];
}

const quantile = (sorted: readonly number[], q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** Runs `rounds` × `ops` timed calls of `op(i)` and summarizes them. */
export async function timeOperation(
  rounds: number,
  ops: number,
  op: (round: number, i: number) => Promise<unknown>,
  beforeRound?: (round: number) => Promise<void> | void,
): Promise<LatencyFigure> {
  const all: number[] = [];
  const medians: number[] = [];
  for (let round = 0; round < rounds; round++) {
    await beforeRound?.(round);
    const samples: number[] = [];
    for (let i = 0; i < ops; i++) {
      const started = performance.now();
      await op(round, i);
      samples.push(performance.now() - started);
    }
    samples.sort((a, b) => a - b);
    medians.push(quantile(samples, 0.5));
    all.push(...samples);
  }
  all.sort((a, b) => a - b);
  return {
    samples: all.length,
    medianMs: quantile(all, 0.5),
    p95Ms: quantile(all, 0.95),
    roundMedianMs: [Math.min(...medians), Math.max(...medians)],
  };
}
