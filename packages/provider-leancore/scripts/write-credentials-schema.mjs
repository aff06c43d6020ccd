// Writes credentials.schema.json from the TypeScript credential schema, its one source of truth.
// Reads the built package: run it as `pnpm --filter @aic/provider-leancore run schema` (builds
// first). With `--check` it writes nothing and exits 1 when the committed file is stale.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { credentialSchema } from '../dist/index.js';

const target = fileURLToPath(new URL('../credentials.schema.json', import.meta.url));
const config = (await prettier.resolveConfig(target)) ?? {};
const expected = await prettier.format(JSON.stringify(credentialSchema), { ...config, filepath: target });

if (process.argv.includes('--check')) {
  const current = await readFile(target, 'utf8').catch(() => '');
  if (current !== expected) {
    process.stderr.write(`${target} is stale: run "pnpm --filter @aic/provider-leancore run schema"\n`);
    process.exitCode = 1;
  } else {
    process.stdout.write(`${target} is up to date\n`);
  }
} else {
  await writeFile(target, expected);
  process.stdout.write(`wrote ${target}\n`);
}
