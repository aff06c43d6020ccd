// Packs the local build of @aic/connector-core and @aic/conformance as npm tarballs, so a
// connector outside this repository can test against them before they are published (run it
// through `pnpm pack:local [directory]`, which builds first). A `file:` link to a workspace package
// does not work: its `workspace:^` dependency only resolves inside this workspace
// (ERR_PNPM_WORKSPACE_PKG_NOT_FOUND). `pnpm pack` rewrites `workspace:^` into a version range, and
// an override points that range at the core tarball instead of the registry.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const destination = resolve(process.argv[2] ?? join(root, 'local-packs'));
mkdirSync(destination, { recursive: true });

// Run by `pnpm pack:local`, npm_execpath is pnpm's own script; otherwise pnpm from the PATH.
const pnpm = process.env.npm_execpath;
const run = (args, cwd) =>
  pnpm !== undefined && pnpm.endsWith('.cjs')
    ? execFileSync(process.execPath, [pnpm, ...args], { cwd, encoding: 'utf8' })
    : execFileSync('pnpm', args, { cwd, encoding: 'utf8' });

const tarballs = {};
for (const name of ['connector-core', 'conformance']) {
  const directory = join(root, 'packages', name);
  const { version } = JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8'));
  run(['pack', '--pack-destination', destination], directory);
  tarballs[`@aic/${name}`] = join(destination, `aic-${name}-${version}.tgz`);
}

const core = `file:${tarballs['@aic/connector-core']}`;
const kit = `file:${tarballs['@aic/conformance']}`;
process.stdout.write(
  [
    `Packed into ${destination}:`,
    ...Object.values(tarballs).map((path) => `  ${path}`),
    '',
    "In the connector's package.json (pnpm):",
    JSON.stringify(
      {
        dependencies: { '@aic/connector-core': core },
        devDependencies: { '@aic/conformance': kit },
        pnpm: { overrides: { '@aic/connector-core': core } },
      },
      null,
      2,
    ),
    '',
    'With npm, the same dependencies and "overrides": { "@aic/connector-core": "<the same file: path>" }.',
    'Then install, and run `aic-conformance --connector .` or the jest adapter.',
    '',
  ].join('\n'),
);
