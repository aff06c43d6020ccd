// A separate PROCESS using the built encrypted file store (dist), driven by encrypted-file-store.spec.ts.
//   hammer <path> <worker> <count>: <count> rounds of one own record set, one pending put and one
//     locked read-increment-write of the shared "counter" record; prints a JSON summary.
//   hold <path> <ttlMs>: takes the lock of "crash" with a short TTL, prints "locked" and waits to be killed.
// The store key comes from AIC_TEST_STORE_KEY (hex), as a host would pass it.
import { setInterval } from 'node:timers';
import { EncryptedFileTokenStore } from '../../dist/index.js';

const [mode, path, ...rest] = process.argv.slice(2);
const store = new EncryptedFileTokenStore({
  path,
  keys: { current: Buffer.from(process.env.AIC_TEST_STORE_KEY ?? '', 'hex') },
});

if (mode === 'hammer') {
  const [worker, count] = rest;
  let increments = 0;
  for (let i = 0; i < Number(count); i++) {
    await store.set(`w${worker}:${i}`, {
      status: 'active',
      tokens: { accessToken: `AT-w${worker}-${i}`, tokenType: 'Bearer', expiresAt: i + 1, issuedAt: i },
      updatedAt: i,
    });
    await store.pending.put(`p${worker}:${i}`, {
      connectorId: 'fixture',
      connectionId: `w${worker}`,
      stateDigest: `d${i}`,
      redirectUri: 'https://aic.test/callback',
      createdAt: i,
      expiresAt: Number.MAX_SAFE_INTEGER,
    });
    await store.withLock('counter', async () => {
      const record = await store.get('counter');
      await store.set('counter', { status: 'active', updatedAt: (record?.updatedAt ?? 0) + 1 });
      increments++;
    });
  }
  process.stdout.write(`${JSON.stringify({ worker, increments })}\n`);
} else if (mode === 'hold') {
  const [ttlMs] = rest;
  await store.withLock(
    'crash',
    () =>
      new Promise(() => {
        process.stdout.write('locked\n');
        setInterval(() => undefined, 1000);
      }),
    { ttlMs: Number(ttlMs) },
  );
} else {
  process.stderr.write(`unknown mode ${mode}\n`);
  process.exit(2);
}
