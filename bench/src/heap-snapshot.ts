import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';

/** Bytes and object count of one kind of heap object (`type:name`, strings by their kind). */
export type HeapCensus = Record<string, { bytes: number; count: number }>;

interface Snapshot {
  snapshot: { meta: { node_fields: string[]; node_types: [string[], ...unknown[]] } };
  nodes: number[];
  strings: string[];
}

/** What kind of object a snapshot node is, coarse enough to compare two processes. */
function kindOf(type: string, name: string): string {
  if (type === 'string' || type === 'concatenated string' || type === 'sliced string') return type;
  if (type === 'number') return 'heap number';
  if (type === 'code' || type === 'object shape') return 'compiled code, feedback and shapes';
  if (type === 'array') return 'arrays (map and set backing stores, lists)';
  if (type === 'hidden') return name.startsWith('system / ') ? name.slice(9) : 'hidden';
  return `${type === 'closure' ? 'closure' : 'object'} ${name.length > 40 ? `${name.slice(0, 40)}…` : name}`;
}

/**
 * A census of this process's heap: writes a heap snapshot to a temporary file, counts bytes and
 * objects by kind, deletes the file. Call it after the heap has been measured: it allocates a lot.
 */
export function heapCensus(): HeapCensus {
  const file = writeHeapSnapshot(join(tmpdir(), `aic-bench-${process.pid}-${Date.now()}.heapsnapshot`));
  try {
    const snapshot = JSON.parse(readFileSync(file, 'utf8')) as Snapshot;
    const fields = snapshot.snapshot.meta.node_fields;
    const types = snapshot.snapshot.meta.node_types[0];
    const [typeAt, nameAt, sizeAt] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f)) as [
      number,
      number,
      number,
    ];
    const census: HeapCensus = {};
    const nodes = snapshot.nodes;
    for (let i = 0; i < nodes.length; i += fields.length) {
      const kind = kindOf(types[nodes[i + typeAt]!] ?? '', snapshot.strings[nodes[i + nameAt]!] ?? '');
      const entry = (census[kind] ??= { bytes: 0, count: 0 });
      entry.bytes += nodes[i + sizeAt]!;
      entry.count += 1;
    }
    return census;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Per connection: (measured − baseline) / n for every kind, largest first; small kinds folded into "other". */
export function censusDiff(
  measured: HeapCensus,
  baseline: HeapCensus,
  n: number,
  minBytes = 4,
): { kind: string; bytes: number; objects: number }[] {
  const rows: { kind: string; bytes: number; objects: number }[] = [];
  let other = 0;
  for (const kind of new Set([...Object.keys(measured), ...Object.keys(baseline)])) {
    const bytes = ((measured[kind]?.bytes ?? 0) - (baseline[kind]?.bytes ?? 0)) / n;
    const objects = ((measured[kind]?.count ?? 0) - (baseline[kind]?.count ?? 0)) / n;
    if (Math.abs(bytes) >= minBytes) rows.push({ kind, bytes, objects });
    else other += bytes;
  }
  rows.sort((a, b) => b.bytes - a.bytes);
  rows.push({ kind: 'other kinds (each under 4 B)', bytes: other, objects: Number.NaN });
  return rows;
}
