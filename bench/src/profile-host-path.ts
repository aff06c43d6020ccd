/**
 * One host-path contender alone under load, for a CPU profile of where its time goes:
 *
 *   pnpm exec tsc -b
 *   pnpm exec node --cpu-prof --cpu-prof-dir=/tmp/prof bench/dist/profile-host-path.js fresh 16 10
 *   pnpm exec node bench/dist/profile-summary.js /tmp/prof/*.cpuprofile
 *
 * Arguments: `raw` | `fresh` | `same`, concurrency, seconds. The provider runs in its own process
 * (not profiled); this process runs only the contender.
 */
import { benchAgent, ours, rawUndici } from './contenders.js';
import { runLoad } from './load.js';
import { startServer } from './server-process.js';

const [which = 'fresh', concurrencyArg = '16', secondsArg = '10', connectionsArg = '1000'] =
  process.argv.slice(2);
const server = await startServer();
const dispatcher = benchAgent();
try {
  const contender =
    which === 'raw'
      ? rawUndici(server.base, dispatcher)
      : await ours(server.base, dispatcher, Number(connectionsArg), which === 'same' ? 'same' : 'fresh');
  await runLoad(contender.call, Number(concurrencyArg), 1_000);
  const result = await runLoad(contender.call, Number(concurrencyArg), Number(secondsArg) * 1_000);
  console.log(JSON.stringify({ contender: contender.name, concurrency: Number(concurrencyArg), ...result }));
} finally {
  await dispatcher.close();
  await server.stop();
}
