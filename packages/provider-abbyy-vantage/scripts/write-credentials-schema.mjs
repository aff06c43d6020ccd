// Regenerates credentials.schema.json, the published JSON copy of the TypeScript credential
// schema (src/credentials.ts is the one source of truth). It reads the built package, so run it
// through the package script, which builds first:
//
//   pnpm --filter @aic/provider-abbyy-vantage run schema          # rewrite the file
//   pnpm --filter @aic/provider-abbyy-vantage run schema:check    # exit 1 if it is stale
//
// The output is formatted with the repository's Prettier settings so `prettier --check .` passes.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { credentialSchema } from '../dist/index.js';

const file = fileURLToPath(new URL('../credentials.schema.json', import.meta.url));
const options = { ...((await prettier.resolveConfig(file)) ?? {}), filepath: file };
const generated = await prettier.format(JSON.stringify(credentialSchema), options);

if (process.argv.slice(2).includes('--check')) {
  const committed = await readFile(file, 'utf8').catch(() => undefined);
  if (committed === generated) {
    process.stdout.write(`up to date: ${file}\n`);
  } else {
    process.stderr.write(`stale: ${file}\nrun: pnpm --filter @aic/provider-abbyy-vantage run schema\n`);
    process.exitCode = 1;
  }
} else {
  await writeFile(file, generated);
  process.stdout.write(`written: ${file}\n`);
}
