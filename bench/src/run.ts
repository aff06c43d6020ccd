/**
 * `pnpm bench`: runs every benchmark, prints the table and writes bench/results.json.
 * `pnpm bench -- --quick` runs the tiny smoke sizes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fullOptions, runBenchmarks, smokeOptions } from './benchmarks.js';
import { formatResults } from './report.js';

const quick = process.argv.includes('--quick');
const results = await runBenchmarks(quick ? smokeOptions : fullOptions);
process.stdout.write(formatResults(results));
const out = fileURLToPath(new URL('../results.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`\nwrote ${out}\n`);
