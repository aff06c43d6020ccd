import { Agent } from 'undici';
import { MemoryTokenStore, connectionKey } from '@aic/connector-core';
import { benchConnection, benchConnector } from './provider.js';
import type { ServerProcess } from './server-process.js';

export interface StormResult {
  readonly callers: number;
  readonly tokenRequests: number;
  readonly allCompletedMs: number;
  readonly failures: number;
}

/**
 * `callers` concurrent `request()` calls on a connection whose token has expired: the engine must
 * make exactly one token request and every caller must complete.
 */
export async function measureRefreshStorm(server: ServerProcess, callers: number): Promise<StormResult> {
  const store = new MemoryTokenStore();
  const dispatcher = new Agent({ connections: 256, keepAliveTimeout: 60_000 });
  const connector = benchConnector(dispatcher, store);
  const connection = benchConnection(server.base, 'storm');
  const past = Date.now() - 7_200_000;
  await store.set(connectionKey('bench', connection.id), {
    status: 'active',
    tokens: { accessToken: 'expired', tokenType: 'Bearer', issuedAt: past, expiresAt: past + 3_600_000 },
    updatedAt: past,
  });
  await server.post('/reset');
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: callers }, () =>
      connector.request(connection, { method: 'GET', path: '/api/items' }),
    ),
  );
  const allCompletedMs = performance.now() - started;
  const { tokenCalls } = await server.stats();
  await dispatcher.close();
  return {
    callers,
    tokenRequests: tokenCalls,
    allCompletedMs,
    failures: results.filter((r) => r.status === 'rejected' || r.value.status !== 200).length,
  };
}
