import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A compiled bench script run in its own process: beside this file in dist/, or in ../dist when
 * the bench runs from its sources (jest).
 */
export function compiledScript(name: string): string {
  const beside = fileURLToPath(new URL(`./${name}`, import.meta.url));
  return existsSync(beside) ? beside : fileURLToPath(new URL(`../dist/${name}`, import.meta.url));
}

/** A host process started by {@link startHostProcess}. */
export interface HostProcess<S> {
  /** Resolves once it printed `ready`. */
  readonly ready: Promise<void>;
  /** On exit: the first JSON line it printed, or undefined (it died without a summary). */
  readonly done: Promise<S | undefined>;
  /** Tells it to start (a line on its stdin). */
  go(): void;
}

/**
 * Starts `node <script> <args…>`: a process that prints `ready`, waits for a line on stdin, does its
 * work, prints one JSON summary line and exits (the storm hosts).
 */
export function startHostProcess<S>(
  script: string,
  args: readonly string[],
  env?: NodeJS.ProcessEnv,
): HostProcess<S> {
  const child = spawn(process.execPath, [compiledScript(script), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    ...(env === undefined ? {} : { env: { ...process.env, ...env } }),
  });
  let out = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    if (out.split('\n').includes('ready')) markReady();
  });
  const done = new Promise<S | undefined>((resolve) =>
    child.once('exit', () => {
      const line = out.split('\n').find((candidate) => candidate.startsWith('{'));
      resolve(line === undefined ? undefined : (JSON.parse(line) as S));
    }),
  );
  return { ready, done, go: () => child.stdin.end('go\n') };
}
