// The packages smoke, step of `pnpm test` after jest: what a host developer gets from the registry.
//
//  1. `pnpm pack` every published package; check each tarball (no build info, specs or fixtures;
//     LICENSE; repository/homepage/bugs/engines; source maps with their sources; README links that
//     work on the registry); publint and attw (esm-only profile) on each tarball.
//  2. `npm install` the tarballs into an empty project, then on Node 22.20.0 (the floor of the whole
//     set) import every entry point, load every connector through `loadConnectorPackage` into one
//     inversify container, check each manifest and schema file, and run the conformance kit's CLI
//     against HP TechPulse.
//  3. On Node 22.19.0 (the floor of everything but the kit) the same without the kit, whose entry
//     point and bin refuse with the one-line message.
//  4. On an old Node (the machine's Node 20, or one from the registry): every bin and every entry
//     point prints the one es/en line and exits non-zero.
//
// Node 22 comes from the npm registry into node_modules/.cache/aic-smoke (see smoke/node-binaries.mjs).
// Environment: AIC_SMOKE_NODE22 / AIC_SMOKE_NODE22_FLOOR / AIC_SMOKE_OLD_NODE = paths of binaries
// to use instead; AIC_SMOKE_KEEP=1 keeps the temporary directory.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import {
  atLeast,
  nodeFromRegistry,
  nodeFromVariable,
  npmSummary,
  oldNodeOnPath,
} from './smoke/node-binaries.mjs';
import { checkOldNode } from './smoke/old-node.mjs';
import {
  attwProblems,
  contentProblems,
  expectedFloor,
  packOne,
  publintProblems,
  publishedPackages,
} from './smoke/tarballs.mjs';

const exec = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const NODE22 = '22.20.0';
const NODE22_FLOOR = '22.19.0';
const OLD_NODE = '20.20.2';
const cache = join(root, 'node_modules', '.cache', 'aic-smoke');
const started = performance.now();
const ran = [];
/** Connector ids the host check loaded from the tarballs (the CLI must list the same). */
const loadedConnectors = new Set();

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const say = (line) => process.stdout.write(`${line}\n`);

/** Runs one step, printing what it did and how long it took; the first failure stops the smoke. */
async function step(title, action) {
  const t0 = performance.now();
  try {
    const detail = await action();
    const ms = performance.now() - t0;
    ran.push({ title, ms });
    say(`  ✓ ${title} (${seconds(ms)})${detail ? `: ${detail}` : ''}`);
  } catch (error) {
    say(`  ✗ ${title} (${seconds(performance.now() - t0)})`);
    throw error;
  }
}

/** Fails with every problem listed when there is any. */
function expectNone(problems, what) {
  if (problems.length > 0) throw new Error(`${what}:\n${problems.map((p) => `    - ${p}`).join('\n')}`);
}

/** The environment of every child: the workspace's Node 24 first on PATH, no jest/pnpm node options. */
const env = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => key !== 'NODE_OPTIONS' && !key.startsWith('npm_package_') && !key.startsWith('npm_lifecycle_'),
  ),
);
env.PATH = `${join(root, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`;

async function main() {
  say('\nPackages smoke: packed tarballs in an empty project, on Node 22 and an old Node');
  const work = await mkdtemp(join(tmpdir(), 'aic-smoke-'));
  try {
    await smoke(work);
  } finally {
    if (process.env.AIC_SMOKE_KEEP === '1') say(`  (kept ${work})`);
    else await rm(work, { recursive: true, force: true });
  }
  say(`Packages smoke passed: ${ran.length} steps in ${seconds(performance.now() - started)}.`);
}

async function smoke(work) {
  const coreDist = join(root, 'packages', 'connector-core', 'dist', 'index.js');
  const coreExports = Object.keys(
    await import(pathToFileURL(coreDist).href).catch(() => {
      throw new Error('packages are not built: run `pnpm exec tsc -b` first (pnpm test does)');
    }),
  ).sort();

  const packed = [];
  await step('pnpm pack every published package', async () => {
    const tarballs = join(work, 'tarballs');
    await mkdir(tarballs, { recursive: true });
    for (const pkg of await publishedPackages(root)) packed.push(await packOne(root, pkg, tarballs, env));
    return packed.map((p) => `${p.name.replace('@aic/', '')} ${(p.size / 1024).toFixed(1)} KB`).join(', ');
  });

  await step('tarball contents and package.json metadata', async () => {
    const problems = [];
    for (const p of packed) problems.push(...(await contentProblems(root, p)).map((x) => `${p.name}: ${x}`));
    expectNone(problems, 'tarballs not fit to publish');
    return `${packed.length} tarballs, ${packed.reduce((n, p) => n + p.files.length, 0)} files`;
  });

  await step('publint (strict) on every tarball', async () => {
    const problems = [];
    for (const p of packed) problems.push(...(await publintProblems(p)).map((x) => `${p.name}: ${x}`));
    expectNone(problems, 'publint');
    return `${packed.length} clean`;
  });

  await step('attw (esm-only profile: node10 and node16-from-CJS not checked) on every tarball', async () => {
    const problems = [];
    for (const p of packed) problems.push(...(await attwProblems(root, p)).map((x) => `${p.name}: ${x}`));
    expectNone(problems, 'attw');
    return `${packed.length} clean`;
  });

  const host = join(work, 'host');
  await step('npm install the tarballs into an empty project', async () => {
    await mkdir(host, { recursive: true });
    await writeFile(
      join(host, 'package.json'),
      '{ "name": "empty-host", "private": true, "type": "module" }\n',
    );
    const core = packed.find((p) => p.name === '@aic/connector-core');
    const inversify = `inversify@${core.manifest.peerDependencies.inversify}`;
    await exec(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', inversify, ...packed.map((p) => p.tarball)],
      { cwd: host, env, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    ).catch((error) => {
      throw new Error(`npm install from the registry failed:\n    ${npmSummary(error)}`, { cause: error });
    });
    await copyFile(join(root, 'scripts', 'smoke', 'host-check.mjs'), join(host, 'host-check.mjs'));
    return `${packed.length} packages + ${inversify}`;
  });

  const node22 = await obtain('AIC_SMOKE_NODE22', NODE22);
  await step(`Node ${node22.version}: every entry point, every connector in one container`, async () =>
    hostCheck(work, host, node22, packed, coreExports),
  );
  await step(`Node ${node22.version}: aic-conformance against @aic/provider-hp-techpulse`, async () =>
    conformanceRun(work, host, node22),
  );
  await step(`Node ${node22.version}: aic --version and aic connectors`, async () =>
    cliRun(host, node22, packed),
  );

  const floor = await obtain('AIC_SMOKE_NODE22_FLOOR', NODE22_FLOOR);
  await step(`Node ${floor.version}: everything but the kit loads; the kit refuses in one line`, async () => {
    const below = packed.filter((p) => !atLeast(expectedFloor(p.manifest), floor.version));
    const detail = await hostCheck(
      work,
      host,
      floor,
      packed.filter((p) => !below.includes(p)),
      coreExports,
    );
    const refused = await checkOldNode({ root, host, node: floor, packed: below, referenceHost: false });
    return `${detail}; refused: ${refused}`;
  });

  let oldNode;
  await step(`an old Node binary (older than ${NODE22_FLOOR})`, async () => {
    oldNode =
      (await nodeFromVariable('AIC_SMOKE_OLD_NODE')) ??
      (await oldNodeOnPath(NODE22_FLOOR)) ??
      (await nodeFromRegistry(OLD_NODE, cache, 'AIC_SMOKE_OLD_NODE'));
    if (atLeast(NODE22_FLOOR, oldNode.version))
      throw new Error(`AIC_SMOKE_OLD_NODE is Node ${oldNode.version}, not older than ${NODE22_FLOOR}`);
    return `${oldNode.version}, ${oldNode.source}: ${oldNode.binary}`;
  });
  await step(`Node ${oldNode.version}: every bin and entry point refuses in one es/en line`, async () =>
    checkOldNode({ root, host, node: oldNode, packed, referenceHost: true }),
  );
}

/** A Node binary: the one an environment variable names, or `version` from the registry. */
async function obtain(variable, version) {
  let node;
  await step(`Node ${version} binary`, async () => {
    node = (await nodeFromVariable(variable)) ?? (await nodeFromRegistry(version, cache, variable));
    return node.downloaded
      ? `downloaded from the npm registry into ${cache}`
      : `${node.source}: ${node.binary}`;
  });
  return node;
}

/** Runs host-check.mjs in the host project with `node` and checks every value it reports. */
async function hostCheck(work, host, node, packages, coreExports) {
  const plan = {
    coreExports,
    packages: packages.map((p) => ({
      name: p.name,
      version: p.version,
      exports: Object.keys(p.manifest.exports).filter((s) => s !== './package.json'),
      connector: p.manifest.aicConnector !== undefined,
    })),
  };
  const planFile = join(work, `plan-${node.version}.json`);
  await writeFile(planFile, JSON.stringify(plan));
  const { stdout } = await exec(node.binary, ['host-check.mjs', planFile], {
    cwd: host,
    env,
    timeout: 120_000,
  });
  const report = JSON.parse(stdout.trim().split('\n').at(-1));
  const problems = [];
  if (report.node !== node.version) problems.push(`ran on ${report.node}, not ${node.version}`);
  if (plan.packages.some((p) => p.name === '@aic/connector-core') && !report.coreExportsMatch)
    problems.push('@aic/connector-core from the tarball does not have the exports of the build');
  const connectors = plan.packages.filter((p) => p.connector);
  for (const p of plan.packages) {
    for (const subpath of p.exports) {
      const id = subpath === '.' ? p.name : `${p.name}/${subpath.slice(2)}`;
      const got = report.entries[id];
      if (got === undefined || (Array.isArray(got) && got.length === 0))
        problems.push(`${id}: nothing imported`);
    }
  }
  const ids = [];
  for (const p of connectors) {
    const c = report.connectors[p.name];
    ids.push(c?.id);
    const expected = {
      loaded: p.name,
      loadedVersion: p.version,
      id: c?.id,
      version: p.version,
      sameManifest: true,
      moduleIsBound: true,
      spanishFileIsManifestSchema: true,
      englishFileIsGenerated: true,
      englishTitle: true,
      labelledEnums: c?.enums,
      enums: c?.enums,
    };
    if (JSON.stringify(c) !== JSON.stringify(expected) || c.enums.length === 0)
      problems.push(`${p.name}: ${JSON.stringify(c)}`);
  }
  for (const id of ids) loadedConnectors.add(id);
  if (JSON.stringify(report.registry) !== JSON.stringify(ids))
    problems.push(`the registry holds ${JSON.stringify(report.registry)}, not ${JSON.stringify(ids)}`);
  expectNone(problems, `host check on Node ${node.version}`);
  const entries = plan.packages.reduce((n, p) => n + p.exports.length, 0);
  return `${entries} entry points, connectors ${ids.join(', ')}`;
}

async function conformanceRun(work, host, node) {
  const report = join(work, 'conformance-report.json');
  const bin = join(host, 'node_modules', '@aic', 'conformance', 'bin', 'aic-conformance.js');
  const args = [
    bin,
    '--connector',
    '@aic/provider-hp-techpulse',
    '--report',
    report,
    '--junit',
    join(work, 'junit.xml'),
  ];
  try {
    await exec(node.binary, args, { cwd: host, env, timeout: 300_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    throw new Error(`aic-conformance failed (exit ${error.code}):\n${error.stdout}${error.stderr}`, {
      cause: error,
    });
  }
  const { ok, totals, connectors } = JSON.parse(await readFile(report, 'utf8'));
  const [hp] = connectors;
  if (!ok || totals.fail !== 0 || totals.pass < 30 || hp?.connectorId !== 'hp-techpulse' || hp.loadError)
    throw new Error(
      `unexpected conformance report: ${JSON.stringify({ ok, totals, loadError: hp?.loadError })}`,
    );
  return `${totals.pass} passed, ${totals.fail} failed, ${totals.skip} skipped`;
}

async function cliRun(host, node, packed) {
  const cli = packed.find((p) => p.name === '@aic/cli');
  const bin = join(host, 'node_modules', '@aic', 'cli', 'bin', 'aic.js');
  const version = (await exec(node.binary, [bin, '--version'], { cwd: host, env })).stdout.trim();
  const listed = JSON.parse(
    (await exec(node.binary, [bin, 'connectors', '--json'], { cwd: host, env })).stdout,
  );
  const ids = listed.connectors.map((c) => c.id).sort();
  const expected = [...loadedConnectors].sort();
  if (version !== `aic ${cli.version}` || !listed.ok || JSON.stringify(ids) !== JSON.stringify(expected))
    throw new Error(`aic answered ${JSON.stringify({ version, ok: listed.ok, ids })}, expected ${expected}`);
  return `${version}; ${ids.join(', ')}`;
}

try {
  await main();
} catch (error) {
  say(`\nPackages smoke FAILED after ${seconds(performance.now() - started)}: ${error.message}`);
  process.exitCode = 1;
}
