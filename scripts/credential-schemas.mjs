// Writes each connector package's published credential schemas from its TypeScript schema (the
// one source of truth): `credentials.schema.json` (Spanish, the default) and
// `credentials.schema.en.json` (English), with core's `credentialSchemaJson(schema, lang)`.
//
//   pnpm schemas                                   every package exporting ./credentials.schema.json
//   node scripts/credential-schemas.mjs [--check] [package dir…]
//
// It reads the built packages (`tsc -b` first; the package scripts `schema` / `schema:check` and
// the root `schemas` build before). With `--check` it writes nothing and exits 1 when a committed
// file differs from what the generator produces. The providers' specs check the same in `pnpm test`.
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const check = args.includes('--check');
const named = args.filter((arg) => arg !== '--check').map((dir) => resolve(process.cwd(), dir));

const core = join(root, 'packages', 'connector-core', 'dist', 'index.js');
if (!existsSync(core)) {
  process.stderr.write('connector-core is not built: run `pnpm exec tsc -b` first.\n');
  process.exit(2);
}
const { CREDENTIAL_SCHEMA_FILES, credentialSchemaJson } = await import(pathToFileURL(core).href);

async function connectorPackages() {
  const found = [];
  for (const group of ['packages', 'examples']) {
    for (const entry of (await readdir(join(root, group))).sort()) found.push(join(root, group, entry));
  }
  return found.filter((dir) => existsSync(join(dir, 'package.json')));
}

const stale = [];
let checked = 0;
for (const dir of named.length > 0 ? named : await connectorPackages()) {
  const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8'));
  if (pkg.exports?.['./credentials.schema.json'] === undefined) {
    if (named.length > 0) throw new Error(`${pkg.name} does not export ./credentials.schema.json`);
    continue;
  }
  const entry = join(dir, 'dist', 'index.js');
  if (!existsSync(entry)) throw new Error(`${pkg.name} is not built (${relative(root, entry)} is missing)`);
  const { credentialSchema } = await import(pathToFileURL(entry).href);
  if (credentialSchema === undefined) throw new Error(`${pkg.name} exports no credentialSchema`);
  for (const [lang, name] of Object.entries(CREDENTIAL_SCHEMA_FILES)) {
    const file = join(dir, name);
    const generated = credentialSchemaJson(credentialSchema, lang);
    checked += 1;
    if (check) {
      const committed = await readFile(file, 'utf8').catch(() => undefined);
      if (committed !== generated) stale.push(relative(root, file));
    } else {
      await writeFile(file, generated);
      process.stdout.write(`wrote ${relative(root, file)}\n`);
    }
  }
}

if (check && stale.length > 0) {
  process.stderr.write(`stale (run \`pnpm schemas\`):\n${stale.map((file) => `  ${file}\n`).join('')}`);
  process.exitCode = 1;
} else if (check) {
  process.stdout.write(`${checked} credential schema file(s) up to date\n`);
}
