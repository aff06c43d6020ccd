import type { BenchRun } from './benchmarks.js';
import { factHolds, type Fact, type Section, type Target } from './module.js';

/** A Markdown table; columns whose cells are all figures are right-aligned. */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => /^[\d—–-]/.test(r[i] ?? '')));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, i) => (numeric[i] === true ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = widths.map((w, i) => (numeric[i] === true ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2)));
  return [line(headers), `|${rule.join('|')}|`, ...rows.map(line)].join('\n');
}

const loads = (values: readonly number[]): string => values.map((v) => v.toFixed(2)).join(' / ');

function section(s: Section): string {
  const parts = [`### ${s.title}`];
  if (s.about !== '') parts.push(s.about);
  if (s.rows.length > 0) parts.push(table(s.columns, s.rows));
  if (s.notes !== undefined) parts.push(s.notes);
  return parts.join('\n\n');
}

/** Every target of the run, each with its figure (median and spread) and whether it is met. */
export function targets(run: BenchRun): Target[] {
  return Object.values(run.modules).flatMap((m) => m.targets);
}

/** Every correctness fact of the run. */
export function facts(run: BenchRun): Fact[] {
  return Object.values(run.modules).flatMap((m) => m.facts);
}

/**
 * The report as Markdown (BENCHMARKS.md quotes it as is): the machine and its load, the targets,
 * every module's tables, and the correctness facts (those that do not hold are listed).
 */
export function formatReport(run: BenchRun, command: string): string {
  const m = run.machine;
  const out: string[] = [
    `Machine: ${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}.`,
    `Run: \`${command}\` (${run.size} size), started ${run.startedAt}, ${run.durationS.toFixed(0)} s; load average (1 / 5 / 15 min) ${loads(run.load.start)} at the start, ${loads(run.load.end)} at the end.`,
  ];
  const goals = targets(run);
  if (goals.length > 0) {
    out.push(
      '### Targets (issue #13)',
      table(
        ['target', 'figure: median (min–max, n)', 'goal', 'met'],
        goals.map((t) => [t.name, t.figure, t.target, t.met ? 'yes' : '**no**']),
      ),
    );
  }
  for (const result of Object.values(run.modules)) for (const s of result.sections) out.push(section(s));
  const all = facts(run);
  const broken = all.filter((f) => !factHolds(f));
  out.push(
    '### Correctness facts',
    broken.length === 0
      ? `All ${all.length} hold (exact token request counts, no failed call, every cache hit served from memory).`
      : table(
          ['fact that does not hold', 'expected', 'actual'],
          broken.map((f) => [f.name, String(f.expected), String(f.actual)]),
        ),
  );
  return `${out.join('\n\n')}\n`;
}
