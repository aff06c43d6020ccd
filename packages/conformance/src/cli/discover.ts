import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';

interface PackageJson {
  name?: string;
  private?: boolean;
  workspaces?: string[] | { packages?: string[] };
  aicConnector?: unknown;
}

async function readJson(path: string): Promise<PackageJson | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

/** The `packages:` globs of a pnpm-workspace.yaml (the list form pnpm documents). */
export function pnpmWorkspaceGlobs(yaml: string): string[] {
  const globs: string[] = [];
  let inPackages = false;
  for (const line of yaml.split(/\r?\n/)) {
    if (/^packages:\s*$/.test(line)) {
      inPackages = true;
      continue;
    }
    if (!inPackages) continue;
    const item = /^\s+-\s*['"]?([^'"#\s]+)['"]?/.exec(line);
    if (item?.[1] !== undefined) globs.push(item[1]);
    else if (/^\S/.test(line)) inPackages = false;
  }
  return globs;
}

/** The nearest directory, from `from` upwards, that is a pnpm or npm/yarn workspace root. */
export async function findWorkspaceRoot(from: string): Promise<string | undefined> {
  for (let dir = from; ; dir = dirname(dir)) {
    if (await exists(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if ((await readJson(join(dir, 'package.json')))?.workspaces !== undefined) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

async function workspaceGlobs(root: string): Promise<string[]> {
  try {
    return pnpmWorkspaceGlobs(await readFile(join(root, 'pnpm-workspace.yaml'), 'utf8'));
  } catch {
    const workspaces = (await readJson(join(root, 'package.json')))?.workspaces;
    return Array.isArray(workspaces) ? workspaces : (workspaces?.packages ?? []);
  }
}

/** Directories a glob of the forms `dir`, `dir/*` or `dir/**` names (negations are ignored). */
async function expand(root: string, glob: string): Promise<string[]> {
  if (glob.startsWith('!')) return [];
  const star = /^(.*?)\/\*{1,2}$/.exec(glob);
  if (star === null) return [join(root, glob)];
  const parent = join(root, star[1] ?? '');
  try {
    const entries = await readdir(parent, { withFileTypes: true });
    return entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => join(parent, e.name));
  } catch {
    return [];
  }
}

/**
 * The connector packages of a workspace: every workspace package that declares `aicConnector`
 * and is published (not `private` — examples and hosts are private), sorted by name.
 */
export async function workspaceConnectors(root: string): Promise<{ name: string; directory: string }[]> {
  const found: { name: string; directory: string }[] = [];
  for (const glob of await workspaceGlobs(root)) {
    for (const directory of await expand(root, glob)) {
      const pkg = await readJson(join(directory, 'package.json'));
      if (pkg?.aicConnector !== undefined && pkg.private !== true) {
        found.push({ name: pkg.name ?? directory, directory });
      }
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}
