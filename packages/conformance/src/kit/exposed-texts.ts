import { inspect } from 'node:util';

/** One text a value shows a reader or a log serializer, and where in the value it is. */
export interface ExposedText {
  /** `message`, `util.inspect`, `property config.headers.authorization`, `cause → message`, … */
  readonly view: string;
  readonly text: string;
}

/** How deep the walk follows nested objects and `cause` chains. */
const MAX_DEPTH = 8;

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

const isObject = (value: unknown): value is object =>
  value !== null && (typeof value === 'object' || typeof value === 'function');

function keyName(key: string | symbol): string {
  return typeof key === 'symbol' ? `[${key.description ?? 'symbol'}]` : key;
}

/** An own property's value, without letting a throwing getter stop the walk. */
function ownValue(value: object, key: string | symbol): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(value, key);
  if (descriptor === undefined) return undefined;
  if ('value' in descriptor) return descriptor.value;
  try {
    return Reflect.get(value, key);
  } catch {
    return undefined;
  }
}

/**
 * Every string reachable from `value` through own properties — enumerable or not, symbols too —
 * and through `Map`/`Set` entries, `Headers`-like objects, buffers and `cause` chains: what a
 * logger serializing the whole error (or a person poking at it) sees, whatever `toJSON` and
 * `util.inspect` choose to show.
 */
function* walk(value: unknown, path: string, seen: Set<object>, depth: number): Generator<ExposedText> {
  if (typeof value === 'string') {
    yield { view: path, text: value };
    return;
  }
  if (!isObject(value) || seen.has(value) || depth > MAX_DEPTH) return;
  seen.add(value);
  if (value instanceof Uint8Array) {
    yield { view: path, text: Buffer.from(value).toString('utf8') };
    return;
  }
  const child = (name: string): string => (path === '' ? name : `${path}.${name}`);
  if (value instanceof Map) {
    for (const [key, item] of value) {
      yield* walk(key, child('(key)'), seen, depth + 1);
      yield* walk(item, child(String(key)), seen, depth + 1);
    }
  } else if (value instanceof Set) {
    for (const item of value) yield* walk(item, child('(item)'), seen, depth + 1);
  } else if (typeof (value as { forEach?: unknown }).forEach === 'function' && value instanceof Headers) {
    for (const [name, item] of value) yield* walk(item, child(name), seen, depth + 1);
  }
  for (const key of Reflect.ownKeys(value)) {
    if (typeof value === 'function' && ['length', 'name', 'prototype'].includes(String(key))) continue;
    yield* walk(ownValue(value, key), child(keyName(key)), seen, depth + 1);
  }
}

/**
 * The texts a value exposes: `JSON.stringify`, `util.inspect` (hidden properties shown), and —
 * for an error — its message and stack; then every string reachable through its own properties
 * and its `cause` chain, each named by its path (`property request.headers.authorization`,
 * `property cause.body`).
 */
export function exposedTexts(value: unknown): ExposedText[] {
  const out: ExposedText[] = [];
  if (value instanceof Error) {
    out.push({ view: 'message', text: value.message });
    out.push({ view: 'stack', text: value.stack ?? '' });
  }
  out.push({ view: 'JSON.stringify', text: safeJson(value) });
  out.push({
    view: 'util.inspect',
    text: inspect(value, { depth: MAX_DEPTH, showHidden: true, maxStringLength: Infinity }),
  });
  for (const found of walk(value, '', new Set(), 0)) {
    if (found.view === 'message' || found.view === 'stack') continue;
    out.push({ view: `property ${found.view || '(value)'}`, text: found.text });
  }
  return out;
}
