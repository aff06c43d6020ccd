import { fork, type ChildProcess } from 'node:child_process';
import { compiledScript } from './child-script.js';

/** The benchmark server running in its own process. */
export interface ServerProcess {
  readonly base: string;
  stats(): Promise<{ tokenCalls: number }>;
  post(path: '/reset' | '/expire-all'): Promise<void>;
  stop(): Promise<void>;
}

export async function startServer(): Promise<ServerProcess> {
  const child: ChildProcess = fork(compiledScript('server.js'), [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    execArgv: [],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n')[0];
      if (buffer.includes('\n') && line !== undefined) resolve((JSON.parse(line) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`bench server exited with ${String(code)}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    stats: async () => (await (await fetch(`${base}/stats`)).json()) as { tokenCalls: number },
    post: async (path) => {
      await (await fetch(`${base}${path}`, { method: 'POST' })).arrayBuffer();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.disconnect();
      }),
  };
}
