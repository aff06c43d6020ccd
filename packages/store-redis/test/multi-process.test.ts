import { connectionKey } from '@aic/connector-core';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RedisTokenStore } from '../src/index.js';
import { seedExpiredConnection, useIntegration } from './integration-harness.js';

const here = dirname(fileURLToPath(import.meta.url));
const worker = join(here, 'fixtures/refresh-worker.mjs');
const built = [resolve(here, '../dist/index.js'), resolve(here, '../../connector-core/dist/index.js')];

const WORKERS = 4;
const CALLS = 250;
/** Access token lifetime: each worker's 250 calls span many expiry windows. */
const LIFETIME_MS = 120;
const PREFIX = 'multi:';

interface WorkerReport {
  calls: number;
  errors: string[];
  tokens: string[];
}

beforeAll(() => {
  for (const file of built) {
    if (!existsSync(file)) throw new Error(`build first (pnpm exec tsc -b): ${file} is missing`);
  }
});
const integration = useIntegration({ tokenLifetimeMs: LIFETIME_MS });

function runWorker(): Promise<WorkerReport> {
  const { server, endpoint } = integration;
  return new Promise((resolveReport, reject) => {
    // process.execPath: the Node 24 running jest (node_modules/.bin/node is a shell wrapper).
    const child = spawn(process.execPath, [worker, server.url, endpoint.baseUrl, PREFIX, String(CALLS)], {
      stdio: 'pipe',
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolveReport(JSON.parse(out) as WorkerReport)
        : reject(new Error(`worker ${code}: ${err}`)),
    );
  });
}

it(`${WORKERS} processes × ${CALLS} getAccessToken calls with forced expiries: one refresh per expiry, no invalid_grant, no lost refresh token`, async () => {
  const { endpoint, client } = integration;
  const store = new RedisTokenStore(client, { keyPrefix: PREFIX });
  const key = connectionKey('fixture', 'conn-1');
  // An authorized connection whose access token has just expired: every worker starts by racing to refresh.
  await seedExpiredConnection(store, key);

  const reports = await Promise.all(Array.from({ length: WORKERS }, () => runWorker()));

  expect(reports.map((report) => ({ calls: report.calls, errors: report.errors }))).toEqual(
    Array.from({ length: WORKERS }, () => ({ calls: CALLS, errors: [] })),
  );
  expect(endpoint.invalidGrants).toBe(0);
  expect(endpoint.unexpectedRequests).toBe(0);
  // No refresh while the current token was still valid: exactly one refresh per expiry window.
  expect(endpoint.earlyRefreshes).toBe(0);
  // The run spanned many windows (otherwise this test would prove nothing).
  expect(endpoint.generation).toBeGreaterThanOrEqual(5);
  // Every token a caller got was issued by the provider.
  for (const token of reports.flatMap((report) => report.tokens))
    expect(endpoint.issued.has(token)).toBe(true);
  // The last rotated refresh token is the stored one: nothing lost.
  const stored = await store.get(key);
  expect(stored?.tokens?.refreshToken).toBe(endpoint.refreshToken);
  expect(stored?.tokens?.accessToken).toBe(endpoint.accessToken);
  expect(await client.exists(`${PREFIX}lock:${key}`)).toBe(0);
  console.log(
    `multi-process: ${WORKERS} workers × ${CALLS} calls, ${endpoint.generation} refreshes (one per expiry window), ` +
      `${endpoint.invalidGrants} invalid_grant, ${endpoint.earlyRefreshes} duplicate refreshes, 0 lost refresh tokens`,
  );
}, 120_000);
