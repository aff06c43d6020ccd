/**
 * The packages smoke's tarball checks catch what they are for: each defect of a doctored package
 * is reported, and a well-formed one passes (the smoke itself runs them on the real tarballs).
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REPOSITORY, contentProblems, expectedFloor } from '../tarballs.mjs';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const directory = 'packages/provider-example';

const manifest = {
  name: '@aic/provider-example',
  version: '0.1.0',
  license: 'MIT',
  repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory },
  homepage: `${REPOSITORY}/tree/main/${directory}#readme`,
  bugs: { url: `${REPOSITORY}/issues` },
  type: 'module',
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  engines: { node: '>=22.19.0' },
  dependencies: { '@aic/connector-core': '^0.1.0' },
  peerDependencies: { inversify: '^8.2.3' },
  aicConnector: { module: 'connectorModule' },
};

const goodFiles: Record<string, string> = {
  'README.md':
    '# Example\n\nSee [the license](LICENSE), [the guide](https://example.com/guide) and [below](#use).\n',
  'dist/index.js': 'export const x = 1;\n//# sourceMappingURL=index.js.map\n',
  'dist/index.js.map': JSON.stringify({
    version: 3,
    file: 'index.js',
    sources: ['../src/index.ts'],
    mappings: '',
  }),
  'dist/index.d.ts': 'export declare const x = 1;\n',
  'src/index.ts': 'export const x = 1;\n',
};

let work: string;

/** Writes a package (plus the repository LICENSE unless told otherwise) and returns what the checks read. */
async function packageOf(files: Record<string, string>, pkg: Record<string, unknown>, license = true) {
  const packageDir = await mkdtemp(join(work, 'package-'));
  const all = { ...files, 'package.json': JSON.stringify(pkg) };
  for (const [path, content] of Object.entries(all)) {
    await mkdir(dirname(join(packageDir, path)), { recursive: true });
    await writeFile(join(packageDir, path), content);
  }
  if (license) await copyFile(join(root, 'LICENSE'), join(packageDir, 'LICENSE'));
  const listed = [...Object.keys(all), ...(license ? ['LICENSE'] : [])].sort();
  return { manifest: pkg, files: listed, directory, packageDir };
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'aic-tarball-checks-'));
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('contentProblems', () => {
  it('passes a package with its license, metadata, mapped sources and registry-safe links', async () => {
    expect(await contentProblems(root, await packageOf(goodFiles, manifest))).toEqual([]);
  });

  it('reports build info, a missing LICENSE, stale engines, workspace ranges, inversify as a dependency, broken links, maps without sources and missing exports', async () => {
    const { peerDependencies: _peer, ...withoutPeer } = manifest;
    const { 'src/index.ts': _source, ...withoutSources } = goodFiles;
    const broken = await packageOf(
      {
        ...withoutSources,
        'README.md': 'Examples: [acme](../../examples/acme-connector).\n\n```ts\nconst a = [b](c);\n```\n',
        'dist/.tsbuildinfo': '{}',
        'dist/index.spec.js': '',
      },
      {
        ...withoutPeer,
        engines: { node: '>=24' },
        dependencies: {
          '@aic/connector-core': 'workspace:^',
          inversify: '^8.2.3',
          'reflect-metadata': '^0.2.2',
        },
        exports: { ...manifest.exports, './credentials.schema.json': './credentials.schema.json' },
      },
      false,
    );
    expect(
      await contentProblems(root, { ...broken, files: broken.files.filter((f) => f !== 'src/index.ts') }),
    ).toEqual([
      'ships build info, specs, tests or fixtures: dist/.tsbuildinfo, dist/index.spec.js',
      'has no LICENSE',
      'package.json engines is {"node":">=24"}, not {"node":">=22.19.0"}',
      'dependencies.@aic/connector-core is still workspace:^',
      'depends on reflect-metadata (unused)',
      'inversify must be a peer dependency (one container shared with the host), not a dependency',
      'exports/bin target ./credentials.schema.json is not in the package',
      'README links that break on the registry: ../../examples/acme-connector',
      'dist/index.js.map: source ../src/index.ts is not in the package',
    ]);
  });

  it('reports a LICENSE that is not the repository one and a compiled file whose map is missing', async () => {
    const { 'dist/index.js.map': _map, ...withoutMap } = goodFiles;
    const pkg = await packageOf({ ...withoutMap, LICENSE: 'All rights reserved.\n' }, manifest, false);
    expect(await contentProblems(root, pkg)).toEqual([
      'LICENSE differs from the repository LICENSE',
      'dist/index.js: its map index.js.map is not in the package',
    ]);
  });
});

describe('expectedFloor', () => {
  it('is undici 8’s 22.19.0, or nock 15’s 22.20.0 for a package that ships nock', () => {
    expect(expectedFloor(manifest)).toBe('22.19.0');
    expect(expectedFloor({ dependencies: { nock: '^15.0.6' } })).toBe('22.20.0');
  });
});
