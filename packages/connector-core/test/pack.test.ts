/**
 * Packaging: each publishable package's `pnpm pack` tarball installs into an empty project with
 * npm and loads there, as a host would use it. Covers connector-core and every provider package
 * that has a package.json and a built `dist/` (the test command runs `tsc -b` first).
 *
 * Children run on the workspace's Node 24 (`node_modules/.bin` first on PATH); npm talks to the
 * configured registry for core's own dependencies (ajv, inversify, undici, ...).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..', '..');
const CORE = '@aic/connector-core';

interface Packed {
  readonly name: string;
  readonly directory: string;
  readonly tarball: string;
  readonly exportsSchema: boolean;
}

/** The environment of every child: Node 24 first on PATH, no inherited jest/pnpm node options. */
const childEnv = (): NodeJS.ProcessEnv => {
  const inherited = Object.entries(process.env).filter(
    ([key]) => key !== 'NODE_OPTIONS' && !key.startsWith('npm_package_') && !key.startsWith('npm_lifecycle_'),
  );
  return {
    ...Object.fromEntries(inherited),
    PATH: `${join(root, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`,
  };
};

async function publishable(): Promise<{ name: string; directory: string; exportsSchema: boolean }[]> {
  const found = [];
  for (const entry of (await readdir(join(root, 'packages'))).sort()) {
    const directory = join(root, 'packages', entry);
    const manifest = join(directory, 'package.json');
    if (entry !== 'connector-core' && !entry.startsWith('provider-')) continue;
    if (!existsSync(manifest) || !existsSync(join(directory, 'dist', 'index.js'))) continue;
    const pkg = JSON.parse(await readFile(manifest, 'utf8')) as {
      name: string;
      exports?: Record<string, unknown>;
    };
    found.push({
      name: pkg.name,
      directory,
      exportsSchema: pkg.exports?.['./credentials.schema.json'] !== undefined,
    });
  }
  return found;
}

async function node(cwd: string, script: string): Promise<Record<string, unknown>> {
  const { stdout } = await run('node', ['--input-type=module', '-e', script], {
    cwd,
    env: childEnv(),
    timeout: 30_000,
  });
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as Record<string, unknown>;
}

let work: string;
let project: string;
let packed: Packed[] = [];

beforeAll(async () => {
  if (!existsSync(join(root, 'packages', 'connector-core', 'dist', 'index.js'))) {
    throw new Error(
      'packages/connector-core/dist is missing: run `pnpm exec tsc -b` first (pnpm test does).',
    );
  }
  work = await mkdtemp(join(tmpdir(), 'aic-pack-'));
  project = join(work, 'project');
  const env = childEnv();
  packed = await Promise.all(
    (await publishable()).map(async (pkg) => {
      const { stdout } = await run('pnpm', ['pack', '--pack-destination', work], { cwd: pkg.directory, env });
      const tarball = stdout.trim().split('\n').at(-1) ?? '';
      return { ...pkg, tarball };
    }),
  );
  await run('mkdir', ['-p', project]);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'empty-host', private: true, type: 'module' }),
  );
  await run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', ...packed.map((p) => p.tarball)],
    {
      cwd: project,
      env,
      timeout: 90_000,
    },
  );
}, 120_000);

afterAll(async () => {
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('pnpm pack → npm install → import', () => {
  it('packs connector-core with its build, types and README, without specs or build info', async () => {
    const core = packed.find((p) => p.name === CORE);
    expect(core?.tarball).toMatch(/aic-connector-core-\d+\.\d+\.\d+\.tgz$/);
    const { stdout } = await run('tar', ['tzf', core!.tarball]);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/dist/index.js',
        'package/dist/index.d.ts',
      ]),
    );
    expect(files.filter((f) => /\.spec\.|__fixtures__|\.tsbuildinfo$|\/src\//.test(f))).toEqual([]);
  });

  it('imports connector-core with the same exports as the sources', async () => {
    const source = (await import('../src/index.js')) as Record<string, unknown>;
    const result = await node(
      project,
      `const m = await import('${CORE}');
       const { Container } = await import('inversify');
       const container = new Container();
       container.load(m.connectorCoreModule());
       console.log(JSON.stringify({
         exports: Object.keys(m).sort(),
         registry: container.get(m.ConnectorRegistryId).list().length,
         vector: m.formUrlEncode("client %&+-_.!~*'()"),
       }));`,
    );
    expect(result).toEqual({
      exports: Object.keys(source).sort(),
      registry: 0,
      vector: 'client+%25%26%2B%2D%5F%2E%21%7E%2A%27%28%29',
    });
  });

  it('loads every built provider package into an inversify container and resolves its connector', async () => {
    const providers = packed.filter((p) => p.name !== CORE);
    for (const provider of providers) {
      const result = await node(
        project,
        `const core = await import('${CORE}');
         const { Container } = await import('inversify');
         const pkg = await import('${provider.name}');
         const container = new Container();
         container.load(core.connectorCoreModule());
         const loaded = await core.loadConnectorPackage(container, '${provider.name}', { from: process.cwd() });
         const connector = container.get(core.ConnectorRegistryId).get(pkg.manifest.id);
         connector.validateCredentials(pkg.manifest.sampleCredentials);
         let schema = null;
         if (${String(provider.exportsSchema)}) {
           schema = (await import('${provider.name}/credentials.schema.json', { with: { type: 'json' } })).default.$schema;
         }
         console.log(JSON.stringify({
           loaded: loaded.packageName,
           id: connector.manifest.id,
           sameManifest: JSON.stringify(connector.manifest) === JSON.stringify(pkg.manifest),
           hasModule: typeof pkg.connectorModule?.load === 'function',
           schema,
         }));`,
      );
      expect({ provider: provider.name, ...result }).toEqual({
        provider: provider.name,
        loaded: provider.name,
        id: expect.any(String),
        sameManifest: true,
        hasModule: true,
        schema: provider.exportsSchema ? 'https://json-schema.org/draft/2020-12/schema' : null,
      });
    }
    console.log(
      `pack test: ${packed.length} package(s) packed, installed and loaded: ${packed.map((p) => p.name).join(', ')}`,
    );
  });
});
