// Prints line coverage per workspace package from jest's json-summary (run after `jest --coverage`).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const summary = JSON.parse(
  readFileSync(new URL('../coverage/coverage-summary.json', import.meta.url), 'utf8'),
);
const root = new URL('..', import.meta.url).pathname;
const totals = new Map();
for (const [file, data] of Object.entries(summary)) {
  if (file === 'total') continue;
  const match = /^packages\/([^/]+)\//.exec(relative(root, file));
  if (match === null) continue;
  const t = totals.get(match[1]) ?? { covered: 0, total: 0 };
  t.covered += data.lines.covered;
  t.total += data.lines.total;
  totals.set(match[1], t);
}
process.stdout.write('\nLine coverage by package\n');
for (const [name, { covered, total }] of [...totals].sort()) {
  const pct = total === 0 ? 100 : (100 * covered) / total;
  process.stdout.write(`  ${name.padEnd(24)} ${pct.toFixed(2).padStart(6)} %  (${covered}/${total})\n`);
}

// The closing line in the plain "N passed, N failed" form, from jest's --json output.
const results = JSON.parse(readFileSync(new URL('../test-results/jest.json', import.meta.url), 'utf8'));
process.stdout.write(
  `\nTests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped\n`,
);
