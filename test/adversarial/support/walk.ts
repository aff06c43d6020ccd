import { inspect } from 'node:util';

/**
 * Every string an error exposes to whoever holds it: its serializations, and every own property
 * (enumerable or not) of it and of its `cause` chain, recursively (depth-limited, cycle-safe).
 */
export function exposedText(error: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 6 || value === null || value === undefined) return;
    if (typeof value === 'string') {
      parts.push(value);
      return;
    }
    if (typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Buffer.isBuffer(value)) {
      parts.push(value.toString('latin1'));
      return;
    }
    for (const key of Reflect.ownKeys(value)) {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor !== undefined && 'value' in descriptor) visit(descriptor.value, depth + 1);
    }
    if (value instanceof Error) visit(value.cause, depth + 1);
  };
  visit(error, 0);
  let serialized: string;
  try {
    serialized = JSON.stringify(error) ?? '';
  } catch {
    serialized = '';
  }
  return [...parts, serialized, inspect(error, { showHidden: true, depth: 10 }), String(error)].join('\n');
}
