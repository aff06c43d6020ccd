import { Agent } from 'undici';
import { MemoryTokenStore, connectionKey, type ConnectionRecord } from '@aic/connector-core';
import { benchConnection, benchConnector } from './provider.js';

const token = (n: number): string => `at-${String(n).padStart(8, '0')}-${'x'.repeat(88)}`;

function freshRecord(n: number, now: number): ConnectionRecord {
  return {
    status: 'active',
    tokens: {
      accessToken: token(n),
      tokenType: 'Bearer',
      issuedAt: now,
      expiresAt: now + 3_600_000,
      refreshToken: `rt-${'y'.repeat(97)}`,
    },
    updatedAt: now,
  };
}

/** Cache hits per second of `getAccessToken` on one connection (one core, sequential awaits). */
export async function measureCacheHits(
  iterations: number,
): Promise<{ opsPerSecond: number; iterations: number }> {
  const store = new MemoryTokenStore();
  const connector = benchConnector(new Agent(), store);
  const connection = benchConnection('http://127.0.0.1:9');
  await store.set(connectionKey('bench', connection.id), freshRecord(0, Date.now()));
  await connector.getAccessToken(connection);
  for (let i = 0; i < 10_000; i++) await connector.getAccessToken(connection); // warm-up
  const started = performance.now();
  for (let i = 0; i < iterations; i++) await connector.getAccessToken(connection);
  const elapsed = performance.now() - started;
  return { opsPerSecond: (iterations / elapsed) * 1000, iterations };
}

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

/**
 * Heap bytes per cached connection: `count` connections, each with a stored record (100-char
 * tokens, HP's recommendation) and a warm cache entry. Needs `--expose-gc` for a stable figure.
 */
export async function measureHeapPerConnection(
  count: number,
): Promise<{ bytesPerConnection: number; count: number; gcExposed: boolean }> {
  const store = new MemoryTokenStore();
  const connector = benchConnector(new Agent(), store);
  gc();
  const before = process.memoryUsage().heapUsed;
  const now = Date.now();
  const connections = Array.from({ length: count }, (_, i) =>
    benchConnection('http://127.0.0.1:9', `conn-${i}`),
  );
  for (const [i, connection] of connections.entries()) {
    await store.set(connectionKey('bench', connection.id), freshRecord(i, now));
    await connector.getAccessToken(connection);
  }
  gc();
  const after = process.memoryUsage().heapUsed;
  // Keep everything reachable until measured.
  if (connections.length !== count || store.size !== count) throw new Error('lost connections');
  return {
    bytesPerConnection: (after - before) / count,
    count,
    gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function',
  };
}
