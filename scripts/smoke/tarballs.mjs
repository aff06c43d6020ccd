// Packing the published packages and checking what a registry user would download: contents,
// package.json metadata, source maps, README links, publint and attw.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, stat } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const REPOSITORY = 'https://github.com/arandasoft/aic-connectors';

/** Every file below `dir`, as POSIX paths relative to it. */
async function walk(dir, prefix = '') {
  const out = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) out.push(...(await walk(dir, path)));
    else out.push(path);
  }
  return out.sort();
}

/** The workspace's published packages: `packages/*` whose package.json is not private. */
export async function publishedPackages(root) {
  const found = [];
  for (const entry of (await readdir(join(root, 'packages'))).sort()) {
    const file = join(root, 'packages', entry, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(await readFile(file, 'utf8'));
    if (pkg.private === true) continue;
    found.push({ name: pkg.name, version: pkg.version, directory: `packages/${entry}` });
  }
  return found;
}

/** `pnpm pack` one package into `dest` and unpack it beside; returns what was packed. */
export async function packOne(root, pkg, dest, env) {
  const { name, version, directory } = pkg;
  await run('pnpm', ['pack', '--pack-destination', dest], {
    cwd: join(root, directory),
    env,
    timeout: 120_000,
  });
  const tarball = join(dest, `${name.replace(/^@/, '').replace('/', '-')}-${version}.tgz`);
  if (!existsSync(tarball)) throw new Error(`pnpm pack of ${name} wrote no ${basename(tarball)}`);
  const unpacked = join(dest, 'unpacked', name);
  await mkdir(unpacked, { recursive: true });
  await run('tar', ['xzf', tarball, '-C', unpacked]);
  const packageDir = join(unpacked, 'package');
  return {
    ...pkg,
    tarball,
    size: (await stat(tarball)).size,
    packageDir,
    files: await walk(packageDir),
    manifest: JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')),
  };
}

/** The floor a package declares: undici 8 needs 22.19.0; nock 15 (the kit ships it) 22.20.0. */
export const expectedFloor = (manifest) =>
  manifest.dependencies?.nock !== undefined ? '22.20.0' : '22.19.0';

/** The files an `exports` map or `bin` points at. */
function targets(value) {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(targets);
}

/** Relative links of a README that do not resolve inside the package (they break on the registry). */
function brokenReadmeLinks(readme, files) {
  const prose = readme.replace(/```[\s\S]*?```/g, '');
  const broken = [];
  for (const match of prose.matchAll(/\]\(([^)\s]+)\)|<img[^>]+src="([^"]+)"/g)) {
    const target = match[1] ?? match[2];
    if (/^(?:[a-z]+:|#)/i.test(target)) continue;
    const path = posix.normalize(target.split('#')[0]).replace(/\/$/, '');
    const inside =
      !path.startsWith('..') && files.some((file) => file === path || file.startsWith(`${path}/`));
    if (!inside) broken.push(target);
  }
  return broken;
}

/** Source maps whose sources are not shipped, and compiled files whose map is missing. */
async function mapProblems(packed) {
  const problems = [];
  const files = new Set(packed.files);
  for (const file of packed.files) {
    if (file.endsWith('.map')) {
      const map = JSON.parse(await readFile(join(packed.packageDir, file), 'utf8'));
      for (const source of map.sources ?? []) {
        const resolved = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
        if (!files.has(resolved)) problems.push(`${file}: source ${source} is not in the package`);
      }
    } else if (/\.(?:js|d\.ts)$/.test(file)) {
      const text = await readFile(join(packed.packageDir, file), 'utf8');
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(text)?.[1];
      if (url !== undefined && !files.has(posix.join(posix.dirname(file), url)))
        problems.push(`${file}: its map ${url} is not in the package`);
    }
  }
  return problems;
}

/** Everything wrong with one packed package; empty when it is publishable. */
export async function contentProblems(root, packed) {
  const { manifest: m, files, directory } = packed;
  const problems = [];
  const forbidden = files.filter((f) => /\.tsbuildinfo$|\.spec\.|__fixtures__|^test\/|^scripts\//.test(f));
  if (forbidden.length > 0)
    problems.push(`ships build info, specs, tests or fixtures: ${forbidden.join(', ')}`);
  for (const required of ['package.json', 'README.md', 'LICENSE']) {
    if (!files.includes(required)) problems.push(`has no ${required}`);
  }
  if (files.includes('LICENSE')) {
    const [shipped, license] = await Promise.all([
      readFile(join(packed.packageDir, 'LICENSE'), 'utf8'),
      readFile(join(root, 'LICENSE'), 'utf8'),
    ]);
    if (shipped !== license) problems.push('LICENSE differs from the repository LICENSE');
  }
  const expected = {
    license: 'MIT',
    repository: { type: 'git', url: `git+${REPOSITORY}.git`, directory },
    homepage: `${REPOSITORY}/tree/main/${directory}#readme`,
    bugs: { url: `${REPOSITORY}/issues` },
    engines: { node: `>=${expectedFloor(m)}` },
  };
  for (const [key, value] of Object.entries(expected)) {
    if (JSON.stringify(m[key]) !== JSON.stringify(value))
      problems.push(`package.json ${key} is ${JSON.stringify(m[key])}, not ${JSON.stringify(value)}`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(m[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}.${dep} is still ${range}`);
    }
  }
  if (m.dependencies?.['reflect-metadata'] !== undefined)
    problems.push('depends on reflect-metadata (unused)');
  const sharesContainer =
    m.aicConnector !== undefined || ['@aic/connector-core', '@aic/conformance'].includes(m.name);
  if (
    sharesContainer &&
    (m.peerDependencies?.inversify === undefined || m.dependencies?.inversify !== undefined)
  )
    problems.push(
      'inversify must be a peer dependency (one container shared with the host), not a dependency',
    );
  for (const target of [...targets(m.exports), ...targets(m.bin)]) {
    if (!files.includes(posix.normalize(target)))
      problems.push(`exports/bin target ${target} is not in the package`);
  }
  if (files.includes('README.md')) {
    const broken = brokenReadmeLinks(await readFile(join(packed.packageDir, 'README.md'), 'utf8'), files);
    if (broken.length > 0) problems.push(`README links that break on the registry: ${broken.join(', ')}`);
  }
  problems.push(...(await mapProblems(packed)));
  return problems;
}

/** publint on the tarball, warnings counted as errors; returns the messages to show. */
export async function publintProblems(packed) {
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const tarball = await readFile(packed.tarball);
  const { messages, pkg } = await publint({
    pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
    level: 'warning',
    strict: true,
  });
  return messages
    .filter((message) => message.type === 'error' || message.type === 'warning')
    .map((message) => `publint ${message.code}: ${formatMessage(message, pkg, { color: false }) ?? ''}`);
}

/**
 * attw on the tarball with the `esm-only` profile: these packages are ESM-only on purpose, so the
 * `node10` and `node16` (from CommonJS) resolutions are not checked (they report exactly
 * `cjs-resolves-to-esm` and, for subpaths, `no-resolution`); every other rule is.
 */
export async function attwProblems(root, packed) {
  const attw = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'attw.cmd' : 'attw');
  try {
    await run(
      attw,
      [packed.tarball, '--profile', 'esm-only', '--format', 'ascii', '--no-emoji', '--no-color'],
      {
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return [];
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || error.message;
    return [`attw (esm-only profile) found problems:\n${output}`];
  }
}
