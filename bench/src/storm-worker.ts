/**
 * One process of the multi-process refresh storm: waits for "go" on stdin, fires `callers`
 * concurrent request() calls through a connector on the shared Redis store, prints a JSON summary.
 */
import { RedisTokenStore } from '@aic/store-redis';
import { createClient } from 'redis';
import { Agent } from 'undici';
import { benchConnection, benchConnector } from './provider.js';

const [redisUrl, base, callersArg, keyHex = ''] = process.argv.slice(2);
const client = createClient({ url: redisUrl ?? '' });
await client.connect();
const dispatcher = new Agent({ connections: 64, keepAliveTimeout: 60_000 });
const store = new RedisTokenStore(client, {
  keyPrefix: 'bench:',
  keys: { current: Buffer.from(keyHex, 'hex') },
});
const connector = benchConnector(dispatcher, store);
const connection = benchConnection(base ?? '', 'storm-shared');
process.stdout.write('ready\n');
process.stdin.once('data', () => {
  void (async () => {
    const results = await Promise.allSettled(
      Array.from({ length: Number(callersArg) }, () =>
        connector.request(connection, { method: 'GET', path: '/api/items' }),
      ),
    );
    const failures = results.filter((r) => r.status === 'rejected' || r.value.status !== 200).length;
    process.stdout.write(`${JSON.stringify({ failures })}\n`);
    await dispatcher.close();
    await store.close();
    await client.close();
    process.exit(0);
  })();
});
