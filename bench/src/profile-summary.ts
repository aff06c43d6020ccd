/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`): self time by area (engine, undici, Node
 * internals, GC, idle…) and the functions with the most self time.
 *
 *   node bench/dist/profile-summary.js <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Which part of the stack a frame belongs to. */
export function areaOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC';
  if (name === '(idle)') return 'idle';
  if (name === '(program)') return 'V8 / native (program)';
  if (url.includes('/connector-core/')) return '@aic/connector-core';
  if (url.includes('/undici/')) return 'undici 8';
  if (url.includes('/bench/')) return 'bench harness';
  if (url.startsWith('node:')) return 'Node internals';
  if (url === '') return 'native / builtins';
  return 'other JS';
}

export function summarize(profile: Profile, top: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const total = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) continue;
    const area = areaOf(frame.url, frame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
    const file = frame.url.replace(/^.*\/(packages|node_modules\/\.pnpm)\//, '').replace(/^file:\/\//, '');
    const key = `${frame.functionName || '(anonymous)'}  ${file}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
  }
  const busy = total - (areas.get('idle') ?? 0);
  const pct = (us: number): string => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const lines = [
    `busy (non-idle) time: ${(busy / 1000).toFixed(0)} ms of ${(total / 1000).toFixed(0)} ms sampled`,
    '',
    'by area (share of busy time):',
  ];
  for (const [area, us] of [...areas].filter(([a]) => a !== 'idle').sort((a, b) => b[1] - a[1]))
    lines.push(`  ${pct(us)}  ${area}`);
  lines.push('', `top ${top} functions by self time:`);
  const ranked = [...functions].filter(([key]) => !key.startsWith('(idle)')).sort((a, b) => b[1] - a[1]);
  for (const [key, us] of ranked.slice(0, top)) lines.push(`  ${pct(us)}  ${key}`);
  return lines.join('\n');
}

const [file, topArg] = process.argv.slice(2);
if (file !== undefined) {
  console.log(summarize(JSON.parse(readFileSync(file, 'utf8')) as Profile, Number(topArg ?? 30)));
}
