// Regenerates credentials.schema.json from the built connector (run `tsc -b` first):
//   pnpm --filter @aic/provider-hp-techpulse run schema
// The committed file must deep-equal `credentialSchema`; src/credentials-schema.spec.ts checks it.
import { writeFile } from 'node:fs/promises';
import { credentialSchema } from '../dist/index.js';

const target = new URL('../credentials.schema.json', import.meta.url);
await writeFile(target, `${JSON.stringify(credentialSchema, null, 2)}\n`);
process.stdout.write(`wrote ${target.pathname}\n`);
