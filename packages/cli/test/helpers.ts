import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { ManualClock } from '@aic/connector-core';
import { MemoryIo } from '../src/__fixtures__/memory-io.js';
import { run, type CliOptions } from '../src/run.js';

/** The fixture connector package, loaded by path like a third-party package. */
export const FIXTURE_PACKAGE = fileURLToPath(new URL('./fixtures/fixture-connectors', import.meta.url));

/** Secrets the tests use: no output may ever contain them (except a token with --reveal). */
export const CODE_SECRET = 'cli-code-secret-Ñ-5f2c9a';
export const CLIENT_SECRET = 'cli-client-secret-77d1e0';
export const ACCESS_TOKEN = 'AT-cli-0123456789abcdefghijklmnop';
export const REFRESH_TOKEN = 'RT-cli-9876543210zyxwvutsrqponm';
export const AUTH_CODE = 'auth-code-4b7e1f';
export const STORE_KEY = Buffer.alloc(32, 7).toString('base64');

export const NOW = Date.UTC(2026, 5, 1, 12, 0, 0);

/** The zone human-readable times are shown in (UTC-5 all year: no daylight saving surprises). */
export const TEST_ZONE = 'America/Bogota';

/** A temporary working directory with a clock, and a way to run `aic` in it. */
export class Workspace {
  readonly dir: string;
  readonly clock = new ManualClock(NOW);
  env: Record<string, string | undefined> = { AIC_STORE: 'memory', LANG: 'C', TZ: TEST_ZONE };

  private constructor(dir: string) {
    this.dir = dir;
  }

  static async create(): Promise<Workspace> {
    return new Workspace(await mkdtemp(join(tmpdir(), 'aic-cli-')));
  }

  /** Writes a JSON file in the workspace and returns its absolute path. */
  async file(name: string, content: unknown): Promise<string> {
    const path = join(this.dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  }

  /** A fresh Io for one invocation (stdin lines may be typed while it runs). */
  io(signal?: AbortSignal): MemoryIo {
    return new MemoryIo({ env: this.env, cwd: this.dir, ...(signal === undefined ? {} : { signal }) });
  }

  /** Runs `aic` with the fixture package as the only built-in connector package. */
  async run(
    argv: string[],
    io: MemoryIo = this.io(),
    options: CliOptions = {},
  ): Promise<{ code: number; io: MemoryIo }> {
    const code = await run(argv, io, { builtinConnectors: [FIXTURE_PACKAGE], clock: this.clock, ...options });
    return { code, io };
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** Every secret a test used, checked against everything the CLI printed. */
export function expectNoSecrets(
  output: string,
  secrets: readonly string[] = [
    CODE_SECRET,
    CLIENT_SECRET,
    ACCESS_TOKEN,
    REFRESH_TOKEN,
    AUTH_CODE,
    STORE_KEY,
  ],
): void {
  for (const secret of secrets) expect(output).not.toContain(secret);
}

/** Fails when a scripted call was not made, then clears nock. */
export function assertNoPendingMocks(): void {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  if (pending.length > 0) throw new Error(`pending mocks: ${pending.join(', ')}`);
}

/** A port nothing listens on right now (for loopback redirect URIs). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

/** What the person's browser does when the provider redirects it: a plain GET. */
export async function browserGet(
  url: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  const { get } = await import('node:http');
  return new Promise((resolve, reject) => {
    get(url, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    }).on('error', reject);
  });
}

/** Credentials of the authorization code fixture connector. */
export const codeCredentials = (redirectUri: string): Record<string, string> => ({
  clientId: 'code-client',
  clientSecret: CODE_SECRET,
  redirectUri,
});

/** Credentials of the client credentials fixture connector. */
export const clientCredentials = (): Record<string, string> => ({
  clientId: 'cc-client',
  clientSecret: CLIENT_SECRET,
});

/** A token endpoint response. */
export const tokenResponse = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  access_token: ACCESS_TOKEN,
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: REFRESH_TOKEN,
  ...extra,
});
