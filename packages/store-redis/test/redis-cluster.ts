import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createClient, createCluster } from 'redis';
import { RedisServer } from './redis-server.js';

/**
 * A real 3-master Redis Cluster on loopback: three `redis-server --cluster-enabled yes` on free
 * ports (AOF with fsync on every write, so a restarted node keeps its data and its `nodes.conf`),
 * joined by `redis-cli --cluster create … --cluster-yes`.
 */
export class RedisClusterServers {
  readonly nodes: readonly RedisServer[];

  private constructor(nodes: readonly RedisServer[]) {
    this.nodes = nodes;
  }

  static async start(): Promise<RedisClusterServers> {
    const nodes: RedisServer[] = [];
    try {
      for (let i = 0; i < 3; i++) nodes.push(await RedisServer.start({ cluster: true, persistent: true }));
      await run('redis-cli', [
        '--cluster',
        'create',
        ...nodes.map((node) => `127.0.0.1:${node.port}`),
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ]);
      const cluster = new RedisClusterServers(nodes);
      await cluster.untilHealthy();
      return cluster;
    } catch (error) {
      await Promise.all(nodes.map((node) => node.dispose()));
      throw error;
    }
  }

  get rootNodes(): { url: string }[] {
    return this.nodes.map((node) => ({ url: node.url }));
  }

  /** A connected node-redis cluster client that reconnects quickly. */
  async client(): Promise<ReturnType<typeof newCluster>> {
    const cluster = newCluster(this.rootNodes);
    cluster.on('error', () => undefined);
    await cluster.connect();
    return cluster;
  }

  /** Resolves once every node reports `cluster_state:ok` (all 16 384 slots served). */
  async untilHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const states = await Promise.all(this.nodes.map((node) => clusterState(node.url)));
      if (states.every((state) => state === 'ok')) return;
      if (Date.now() > deadline) throw new Error(`cluster not healthy: ${states.join(', ')}`);
      await sleep(100);
    }
  }

  async dispose(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.dispose()));
  }
}

const newCluster = (rootNodes: { url: string }[]) =>
  createCluster({
    rootNodes,
    defaults: { socket: { reconnectStrategy: () => 100, connectTimeout: 2_000 } },
  });

async function clusterState(url: string): Promise<string> {
  const client = createClient({ url, socket: { reconnectStrategy: false, connectTimeout: 1_000 } });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const info = String(await client.sendCommand(['CLUSTER', 'INFO']));
    return /cluster_state:(\w+)/.exec(info)?.[1] ?? 'unknown';
  } catch {
    return 'down';
  } finally {
    if (client.isOpen) client.destroy();
  }
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} exited ${code}:\n${output}`)),
    );
  });
}
