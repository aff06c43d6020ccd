// On a Node older than a package's floor, every entry point throws ERR_UNSUPPORTED_NODE whose
// message is the one es/en line, and every bin prints that line alone and exits 1 — instead of
// undici crashing while it is evaluated.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expectedFloor } from './tarballs.mjs';

/** The line core's node-guard prints (`@aic/connector-core/node-guard`, unsupportedNodeMessage). */
export const oneLine = (who, floor, version) =>
  `${who}: se necesita Node.js ≥ ${floor} (este es ${version}) / needs Node.js ≥ ${floor} (this is ${version})`;

/** Runs `binary args` and resolves with its exit code and output, whatever the code. */
function runAnyway(binary, args, cwd) {
  return new Promise((resolve) => {
    execFile(binary, args, { cwd, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : (error.code ?? 'killed'), stdout, stderr }),
    );
  });
}

/** Imports `id` and reports how it failed, as JSON on stderr. */
const importer = (id) =>
  `try { await import(${JSON.stringify(id)}); } catch (e) {
     process.stderr.write(JSON.stringify({ code: e.code, message: e.message })); process.exit(1); }`;

/** The guard module itself must load on an old Node and refuse when asked. */
const guardUser = `const g = await import('@aic/connector-core/node-guard');
  try { g.assertSupportedNode('probe', '22.19.0'); } catch (e) {
    process.stderr.write(JSON.stringify({ code: e.code, message: e.message })); process.exit(1); }`;

/**
 * Checks every JS entry point and bin of `packed` (installed in `host`) with `node`, plus the
 * reference host's bin from the workspace when `referenceHost`; throws listing what misbehaved.
 * Returns a summary of what was checked.
 */
export async function checkOldNode({ root, host, node, packed, referenceHost }) {
  const problems = [];
  let entries = 0;
  const bins = [];
  for (const p of packed) {
    const floor = expectedFloor(p.manifest);
    for (const subpath of Object.keys(p.manifest.exports)) {
      if (subpath.endsWith('.json')) continue;
      const id = subpath === '.' ? p.name : `${p.name}/${subpath.slice(2)}`;
      const isGuard = id === '@aic/connector-core/node-guard';
      const who = isGuard ? 'probe' : p.name;
      const want = JSON.stringify({
        code: 'ERR_UNSUPPORTED_NODE',
        message: oneLine(who, isGuard ? '22.19.0' : floor, node.version),
      });
      const got = await runAnyway(
        node.binary,
        ['--input-type=module', '-e', isGuard ? guardUser : importer(id)],
        host,
      );
      entries += 1;
      if (got.code !== 1 || got.stderr !== want)
        problems.push(`${id}: exit ${got.code}, ${got.stderr.trim().split('\n')[0]}`);
    }
    for (const [name, file] of Object.entries(p.manifest.bin ?? {})) {
      bins.push({ name, floor, path: join(host, 'node_modules', ...p.name.split('/'), file) });
    }
  }
  if (referenceHost) {
    const dir = join(root, 'examples', 'reference-host');
    const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
    for (const [name, file] of Object.entries(pkg.bin)) {
      bins.push({ name, floor: pkg.engines.node.replace(/^>=/, ''), path: join(dir, file) });
    }
  }
  for (const bin of bins) {
    const got = await runAnyway(node.binary, [bin.path, '--help'], host);
    const want = `${oneLine(bin.name, bin.floor, node.version)}\n`;
    if (got.code !== 1 || got.stdout !== '' || got.stderr !== want)
      problems.push(
        `${bin.name}: exit ${got.code}, stdout ${JSON.stringify(got.stdout.slice(0, 80))}, stderr ${JSON.stringify(got.stderr.slice(0, 200))}`,
      );
  }
  if (problems.length > 0)
    throw new Error(`on Node ${node.version}:\n${problems.map((p) => `    - ${p}`).join('\n')}`);
  return `${entries} entry points (ERR_UNSUPPORTED_NODE), ${bins.length} bins (${bins.map((b) => b.name).join(', ')}: exit 1, one line)`;
}
