const { measureRedisStorm } = await import('./dist/redis-storm.js');
const r = await measureRedisStorm({ processes: 4, connections: 5000, concurrency: 32, tokenDelayMs: 50, rounds: 3 });
console.log(JSON.stringify(r.rounds.map((x) => ({ wall: Math.round(x.wallMs), rps: Math.round(x.refreshesPerSecond), fail: x.failedCalls, cmd: x.commandsPerRefresh.toFixed(3), exec: x.executedPerRefresh.toFixed(1), max: x.maxConcurrentTokenRequests, twice: x.connectionsRefreshedTwice, failures: x.failures, reused: x.refreshTokensSentTwice, refreshes: x.refreshes }))));
