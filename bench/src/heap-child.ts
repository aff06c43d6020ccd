/**
 * One process of the heap measurement (run with `--expose-gc`): `node heap-child.js <mode> <n> <warmup>`.
 *
 * Every mode does the same work except the engine calls: it creates the connector, fills a memory
 * store with `n` records (100-character access and refresh tokens, as HP advises sizing them), and
 * builds every connection object as a host reading its database would (new strings, new objects),
 * then drops it. Then:
 *
 * - `baseline`: nothing more;
 * - `opened`: `getStatus()` once per connection (opens it: validated, frozen credentials and the
 *   opener's by-id cache entry; no token cached);
 * - `cached`: `getAccessToken()` twice per connection, each time with a new object (a miss that
 *   reads the store, then a hit).
 *
 * With `warmup > 0`, every mode first opens and caches `warmup` other connections on a second
 * connector and store of the same provider, kept reachable: one-time costs (ajv compiling the
 * schema, compiled code, hidden classes) are then in every process and cancel out.
 *
 * Then it collects garbage repeatedly (a full GC and a macrotask between, until `heapUsed` is stable)
 * and prints `heapUsed` as one JSON line. The store and connectors stay reachable until after the
 * reading (they are used after it): V8 may free what it sees no later use of. With `census` as a
 * 4th argument it then also takes a heap snapshot and reports bytes by kind of object.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  MemoryPendingAuthorizationStore,
  MemoryTokenStore,
  OAuthConnector,
  connectionKey,
  silentLogger,
  systemClock,
  type ConnectionRecord,
} from '@aic/connector-core';
import { hpTechPulse } from '@aic/provider-hp-techpulse';
import { Agent } from 'undici';
import { heapCensus, type HeapCensus } from './heap-snapshot.js';

export type HeapMode = 'baseline' | 'opened' | 'cached';

export interface HeapReading {
  readonly mode: HeapMode;
  readonly n: number;
  readonly warmup: number;
  readonly heapUsed: number;
  /** Connections whose second getAccessToken returned the cached AccessToken of the first. */
  readonly hits: number;
  readonly storeSize: number;
  readonly connector: string;
  readonly warmStoreSize: number;
  readonly warmConnector: string;
  /** With `census` as 4th argument: the heap by kind of object, from a snapshot taken after the reading. */
  readonly census?: HeapCensus | undefined;
}

const [modeArg, nArg, warmupArg, censusArg] = process.argv.slice(2);
const mode = modeArg as HeapMode;
const n = Number(nArg);
const warmup = Number(warmupArg ?? 0);
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('heap-child needs --expose-gc');
if (!['baseline', 'opened', 'cached'].includes(mode) || !(n > 0))
  throw new Error('usage: heap-child <mode> <n> <warmup>');

const HOUR = 3_600_000;
const now = Date.now();

/** A connection as read from a database: new strings and objects on every read. */
function readConnection(prefix: string, i: number): { id: string; credentials: unknown } {
  const serial = String(i).padStart(6, '0');
  return {
    id: `${prefix}-${serial}`,
    credentials: {
      clientId: `ApiKey${serial}abcdefABCDEF0123456789`,
      clientSecret: `secret-${serial}-0123456789abcdefghijklmnopqrstuv`,
      clientSecretCreatedAt: `2026-11-${String(1 + (i % 28)).padStart(2, '0')}`,
      redirectUri: `https://aic.example.com/oauth/callback?tenant=${serial}`,
      region: i % 2 === 0 ? 'us' : 'eu',
    },
  };
}

function record(prefix: string, i: number): ConnectionRecord {
  const serial = `${prefix}${String(i).padStart(8, '0')}`;
  const host = i % 2 === 0 ? 'https://daas.api.hp.com' : 'https://eu.daas.api.hp.com';
  return {
    status: 'active',
    tokens: {
      accessToken: `at-${serial}-${'a'.repeat(100 - 4 - serial.length)}`,
      tokenType: 'Bearer',
      issuedAt: now,
      expiresAt: now + HOUR,
      refreshToken: `rt-${serial}-${'r'.repeat(100 - 4 - serial.length)}`,
    },
    authorizedAt: now,
    updatedAt: now,
    origins: { token: host, apiBase: host },
  };
}

function connectorOn(store: MemoryTokenStore): OAuthConnector {
  return new OAuthConnector(hpTechPulse, {
    tokenStore: store,
    pendingStore: new MemoryPendingAuthorizationStore(),
    clock: systemClock,
    logger: silentLogger,
    dispatcher: new Agent(),
  });
}

async function fill(store: MemoryTokenStore, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++)
    await store.set(
      connectionKey('hp-techpulse', `${prefix}-${String(i).padStart(6, '0')}`),
      record(prefix, i),
    );
}

/** Full GCs with a macrotask between, until two readings agree within 1 KiB (at most 12). */
async function settledHeap(): Promise<number> {
  let previous = Number.NaN;
  for (let round = 0; round < 12; round++) {
    gc!();
    await sleep(5);
    const used = process.memoryUsage().heapUsed;
    if (round >= 3 && Math.abs(used - previous) < 1024) return used;
    previous = used;
  }
  return previous;
}

const warmStore = new MemoryTokenStore();
const warmConnector = connectorOn(warmStore);
await fill(warmStore, 'warm', warmup);
for (let i = 0; i < warmup; i++) {
  await warmConnector.getStatus(readConnection('warm', i));
  await warmConnector.getAccessToken(readConnection('warm', i));
  await warmConnector.getAccessToken(readConnection('warm', i));
}

const store = new MemoryTokenStore();
const connector = connectorOn(store);
await fill(store, 'conn', n);
let hits = 0;
let built = 0;
for (let i = 0; i < n; i++) {
  if (mode === 'baseline') {
    built += readConnection('conn', i).id.length; // built and dropped, like the host's own reads
  } else if (mode === 'opened') {
    await connector.getStatus(readConnection('conn', i));
  } else {
    const first = await connector.getAccessToken(readConnection('conn', i));
    const second = await connector.getAccessToken(readConnection('conn', i));
    if (second === first) hits++;
  }
}
if (mode === 'baseline' && built === 0) throw new Error('no connection built');

// Reachable from a global until the end, and read after the measurement: nothing here is collectable
// before it.
(globalThis as { benchKeep?: unknown }).benchKeep = [store, connector, warmStore, warmConnector];
const heapUsed = await settledHeap();
const reading: HeapReading = {
  mode,
  n,
  warmup,
  heapUsed,
  hits,
  storeSize: store.size,
  connector: connector.manifest.id,
  warmStoreSize: warmStore.size,
  warmConnector: warmConnector.manifest.id,
  census: censusArg === 'census' ? heapCensus() : undefined,
};
process.stdout.write(`${JSON.stringify(reading)}\n`);
