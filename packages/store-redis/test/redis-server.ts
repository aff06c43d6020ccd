import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real `redis-server` for the integration tests: loopback only, a free port, its own temp
 * directory, no RDB snapshots, AOF only when persistence is asked for (`appendfsync always`, so
 * an acknowledged write survives a kill).
 */
export class RedisServer {
  readonly port: number;
  readonly dir: string;
  readonly #persistent: boolean;
  readonly #extra: readonly string[];
  #process: ChildProcess | undefined;

  private constructor(port: number, dir: string, persistent: boolean, extra: readonly string[]) {
    this.port = port;
    this.dir = dir;
    this.#persistent = persistent;
    this.#extra = extra;
  }

  /**
   * `cluster`: a Redis Cluster node (`--cluster-enabled yes`, its config file in its directory, a
   * port whose cluster bus port, +10 000, is free too). `extra`: more `redis-server` arguments.
   */
  static async start(
    options: { persistent?: boolean; cluster?: boolean; extra?: readonly string[] } = {},
  ): Promise<RedisServer> {
    ensureRedisServer();
    const cluster = options.cluster === true;
    const extra = [
      ...(cluster
        ? [
            '--cluster-enabled',
            'yes',
            '--cluster-config-file',
            'nodes.conf',
            '--cluster-node-timeout',
            '1500',
          ]
        : []),
      ...(options.extra ?? []),
    ];
    const server = new RedisServer(
      await freePort(cluster),
      await mkdtemp(join(tmpdir(), 'aic-redis-')),
      options.persistent === true,
      extra,
    );
    await server.restart();
    return server;
  }

  /** The running server's process id (for `SIGSTOP` and friends). */
  get pid(): number | undefined {
    return this.#process?.pid;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on the same port and directory; resolves when it accepts connections. */
  async restart(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--protected-mode',
      'yes',
      '--dir',
      this.dir,
      '--save',
      '',
      '--appendonly',
      this.#persistent ? 'yes' : 'no',
      '--appendfsync',
      'always',
      '--daemonize',
      'no',
      '--logfile',
      '',
      ...this.#extra,
    ];
    const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.#process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 15_000);
      const onData = (chunk: Buffer): void => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited (${code}):\n${output}`));
      });
    });
  }

  /** Stops the server: `SIGTERM` for a clean shutdown, `SIGKILL` for a crash. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await exited;
  }

  async dispose(): Promise<void> {
    await this.stop('SIGKILL');
    await rm(this.dir, { recursive: true, force: true });
  }
}

let checked = false;

/**
 * Makes sure `redis-server` is on PATH. On a fresh CI machine where we are root with apt-get (as
 * `.ci/run` also does), installs it; otherwise fails with what to do.
 */
export function ensureRedisServer(): void {
  if (checked) return;
  const present = (): boolean => spawnSync('redis-server', ['--version']).status === 0;
  const major = (): number =>
    Number(/v=(\d+)\./.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? 0);
  if (!present() && process.getuid?.() === 0 && spawnSync('apt-get', ['--version']).status === 0) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env, timeout: 300_000 });
    spawnSync('apt-get', ['install', '-y', '-qq', 'redis-server'], {
      stdio: 'ignore',
      env,
      timeout: 300_000,
    });
  }
  if (!present()) {
    throw new Error(
      'redis-server is not installed and could not be installed here. Install it (Debian/Ubuntu: ' +
        '`sudo apt-get install -y redis-server`; macOS: `brew install redis`) and run the tests again.',
    );
  }
  if (major() < 7) {
    throw new Error(
      'The Redis store needs redis-server 7 or newer (sharded pub/sub, SPUBLISH); this one is older. ' +
        'Install a newer one (Debian 12: `apt-get install -y redis-server` gives 7.0) and run the tests again.',
    );
  }
  checked = true;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function anyPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/** A free loopback port; for a cluster node, one whose bus port (+10 000) is free as well. */
async function freePort(clusterBus: boolean): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = clusterBus ? 20_000 + Math.floor(Math.random() * 30_000) : await anyPort();
    if (!clusterBus) return port;
    if ((await portIsFree(port)) && (await portIsFree(port + 10_000))) return port;
  }
  throw new Error('no free port pair for a cluster node');
}
