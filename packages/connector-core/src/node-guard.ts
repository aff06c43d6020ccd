/**
 * @aic/connector-core/node-guard: refuses a Node.js older than a package needs, with one line a
 * person can act on, before anything that would crash on it is evaluated.
 *
 * On an old Node, undici 8 does not fail with a version message: it crashes while its module is
 * evaluated (`createZstdDecompress` is undefined before Node 22.15). ES modules evaluate their
 * imports in order, depth first, so an entry point whose **first** import is a module calling
 * {@link assertSupportedNode} (libraries) or {@link exitIfUnsupportedNode} (command lines) stops
 * before undici, nock or anything else is evaluated. This module imports only the error-code
 * catalogue, and is written to load on any Node that runs ES modules.
 */
import { ErrorCode } from './errors/codes.js';

/** The oldest Node.js every AIC package runs on: undici 8's floor (nock 15 needs 22.20.0). */
export const MINIMUM_NODE_VERSION = '22.19.0';

type Version = readonly [number, number, number];

/** `"22.19.0"`, `"v20.20.2"` or `"24.0.0-nightly…"` as [major, minor, patch]. */
function parseVersion(version: string): Version {
  const [major = 0, minor = 0, patch = 0] = version
    .replace(/^v/, '')
    .split(/[.-]/)
    .slice(0, 3)
    .map((part) => Number.parseInt(part, 10) || 0);
  return [major, minor, patch];
}

/** Whether `current` is `required` or newer (numeric comparison of major, minor, patch). */
export function isNodeAtLeast(required: string, current: string = process.versions.node): boolean {
  const want = parseVersion(required);
  const have = parseVersion(current);
  for (let i = 0; i < 3; i += 1) {
    if (have[i]! !== want[i]!) return have[i]! > want[i]!;
  }
  return true;
}

/**
 * The one line shown on an unsupported Node, Spanish first then English, e.g.
 * `aic: se necesita Node.js ≥ 22.19.0 (este es 20.20.2) / needs Node.js ≥ 22.19.0 (this is 20.20.2)`.
 */
export function unsupportedNodeMessage(name: string, required: string, current: string): string {
  return (
    `${name}: se necesita Node.js ≥ ${required} (este es ${current}) / ` +
    `needs Node.js ≥ ${required} (this is ${current})`
  );
}

/** Thrown when a package is imported on a Node.js older than its `engines.node`. */
export class UnsupportedNodeError extends Error {
  /** Always `ERR_UNSUPPORTED_NODE`. */
  readonly code = ErrorCode.UnsupportedNode;

  constructor(
    /** Who needs the newer Node: a package name or a command. */
    readonly who: string,
    /** The oldest Node.js version accepted. */
    readonly required: string,
    /** The running Node.js version. */
    readonly current: string,
  ) {
    super(unsupportedNodeMessage(who, required, current));
    this.name = 'UnsupportedNodeError';
  }
}

/**
 * Throws an {@link UnsupportedNodeError} (`ERR_UNSUPPORTED_NODE`, the message is the one line)
 * when the running Node.js is older than `required`. A library calls it from a module that is the
 * first import of each of its entry points.
 */
export function assertSupportedNode(
  who: string,
  required: string = MINIMUM_NODE_VERSION,
  current: string = process.versions.node,
): void {
  if (!isNodeAtLeast(required, current)) throw new UnsupportedNodeError(who, required, current);
}

/** What {@link exitIfUnsupportedNode} uses of `process` (a stand-in in tests). */
export interface GuardedProcess {
  readonly versions: { readonly node: string };
  readonly stderr: { write(text: string): unknown };
  exit(code: number): void;
}

/**
 * For a command line: on a Node.js older than `required`, writes the one line to stderr and
 * exits with status 1 at once, so no later module is evaluated. A bin calls it from a module that
 * is its first import.
 */
export function exitIfUnsupportedNode(
  command: string,
  required: string = MINIMUM_NODE_VERSION,
  host: GuardedProcess = process,
): void {
  const current = host.versions.node;
  if (isNodeAtLeast(required, current)) return;
  host.stderr.write(`${unsupportedNodeMessage(command, required, current)}\n`);
  host.exit(1);
}
