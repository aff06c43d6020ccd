import { readFile } from 'node:fs/promises';

/** Name and version of this package, from its package.json (one level above `src`/`dist`). */
export async function cliVersion(): Promise<{ name: string; version: string }> {
  const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
    name: string;
    version: string;
  };
  return { name: pkg.name, version: pkg.version };
}
