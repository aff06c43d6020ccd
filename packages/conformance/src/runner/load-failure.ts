import { execFile } from 'node:child_process';
import { readFile, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeError, isErrorLike } from '../kit/expect.js';

/** Why a connector could not be loaded, cause first, for the matrix, the JSON and the JUnit reports. */
export interface LoadFailure {
  /** One line: the loader's error and its root cause (`… Cause: SyntaxError: … at /x/index.js:2:19`). */
  readonly message: string;
  /** The whole cause chain, outermost first, one line each. */
  readonly causes: readonly string[];
  /** `file:line:col` of a syntax error, a missing export or the throwing line, when known. */
  readonly location?: string | undefined;
  /** What to do about it. */
  readonly hint?: string | undefined;
}

function chainOf(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let current = error; current !== undefined && chain.length < 8;) {
    chain.push(current);
    current = isErrorLike(current) ? current.cause : undefined;
  }
  return chain;
}

/** `file:///x/y.js:3` (+ a caret line) at the top of a decorated stack → `/x/y.js:3:col`. */
function locationFromDecoratedStack(text: string): string | undefined {
  const lines = text.split('\n');
  const at = lines.findIndex((line) => /^(?:file:\/\/)?\/\S*:\d+$/.test(line));
  if (at === -1) return undefined;
  const [, file, line] = /^(.*):(\d+)$/.exec(lines[at] ?? '') ?? [];
  if (file === undefined || line === undefined) return undefined;
  const caret = lines[at + 2]?.indexOf('^') ?? -1;
  const path = file.startsWith('file:') ? fileURLToPath(file) : file;
  return `${path}:${line}${caret >= 0 ? `:${caret + 1}` : ''}`;
}

/** The first stack frame in a file (not `node:`): where a module threw while it was evaluated. */
function firstFileFrame(stack: string | undefined): string | undefined {
  for (const line of (stack ?? '').split('\n').slice(1)) {
    const match = /(?:^at |\()((?:file:\/\/)?\/[^():\s]+):(\d+):(\d+)\)?$/.exec(line.trim());
    if (match?.[1] !== undefined) {
      const file = match[1].startsWith('file:') ? fileURLToPath(match[1]) : match[1];
      return `${file}:${match[2]}:${match[3]}`;
    }
  }
  return undefined;
}

/** The file `import` would load for a package (its `exports["."]` or `main`), best effort. */
async function entryOf(specifier: string, from: string): Promise<string | undefined> {
  try {
    let directory: string | undefined;
    if (specifier.startsWith('file:')) directory = fileURLToPath(specifier);
    else if (specifier.startsWith('.') || isAbsolute(specifier)) directory = resolve(from, specifier);
    else {
      for (let dir = resolve(from); ; dir = dirname(dir)) {
        const candidate = join(dir, 'node_modules', specifier);
        if (
          await readFile(join(candidate, 'package.json')).then(
            () => true,
            () => false,
          )
        ) {
          directory = candidate;
          break;
        }
        if (dirname(dir) === dir) return undefined;
      }
    }
    directory = await realpath(directory);
    const pkg = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8')) as {
      main?: string;
      exports?: unknown;
    };
    let target: unknown = pkg.exports ?? `./${pkg.main ?? 'index.js'}`;
    if (target !== null && typeof target === 'object' && '.' in target)
      target = (target as Record<string, unknown>)['.'];
    while (target !== null && typeof target === 'object') {
      const entries = Object.entries(target as Record<string, unknown>);
      target = entries.find(([condition]) => ['node', 'import', 'default'].includes(condition))?.[1];
    }
    return typeof target === 'string' ? join(directory, target) : undefined;
  } catch {
    return undefined;
  }
}

/** What Node printed about a syntax error: where it is, and its own message. */
interface PrintedSyntaxError {
  readonly location: string | undefined;
  readonly message: string | undefined;
}

/**
 * Where a syntax error is, and what it says: Node does not put the location in the error it
 * throws to `import()`, only in what it prints when the error ends a process (and core withholds
 * a `SyntaxError`'s message from the causes it keeps, as it may quote parsed input). So the entry
 * is imported once more in a child process — a module graph with a syntax error is never
 * evaluated, nothing of the connector runs — and both are read from what it prints. Only the
 * message line and the location are kept, never the quoted source line.
 */
function printedSyntaxError(entry: string): Promise<PrintedSyntaxError> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(entry).href)});`],
      { timeout: 10_000, env: { ...process.env, NODE_OPTIONS: '' } },
      (_error, _stdout, stderr) => {
        const text = String(stderr);
        done({
          location: locationFromDecoratedStack(text),
          message: /^SyntaxError: (.+)$/m.exec(text)?.[1],
        });
      },
    );
  });
}

function hintFor(root: unknown): string | undefined {
  const code = (root as { code?: unknown } | null)?.code;
  const message = isErrorLike(root) ? root.message : '';
  const syntax = isErrorLike(root) && root.name === 'SyntaxError';
  const missing = /Cannot find (?:package|module) '([^']+)'/.exec(message)?.[1];
  const notFound = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
  if (notFound && missing !== undefined && !/^(?:\.|\/|file:)/.test(missing)) {
    return `install "${missing}": add it to the connector's dependencies (or peerDependencies) and run the package manager's install`;
  }
  if (notFound) {
    return 'a file the module imports does not exist: build the package (its dist/) and check the import paths';
  }
  if (syntax && /does not provide an export named/.test(message)) {
    return 'an import names an export the imported module does not have: check the name (and that the module was rebuilt)';
  }
  if (syntax) {
    return 'fix the syntax error (a plain-JavaScript connector is loaded as is; a TypeScript one from its build output)';
  }
  if (code === 'ERR_PACKAGE_PATH_NOT_EXPORTED') {
    return 'the package "exports" do not expose the entry the connector declares';
  }
  return undefined;
}

/** Describes a load failure: the chain of causes, the location of a syntax error, what to do. */
export async function describeLoadFailure(
  error: unknown,
  target: { specifier?: string | undefined; from: string },
): Promise<LoadFailure> {
  const chain = chainOf(error);
  const causes = chain.map((item) => describeError(item));
  let root = chain.at(-1);
  let location: string | undefined;
  if (isErrorLike(root)) {
    const found: Error = root;
    const syntax = found.name === 'SyntaxError';
    location = locationFromDecoratedStack(found.stack ?? '');
    if (syntax && location === undefined && target.specifier !== undefined) {
      const entry = await entryOf(target.specifier, target.from);
      const printed = entry === undefined ? undefined : await printedSyntaxError(entry);
      location = printed?.location;
      if (printed?.message !== undefined && printed.message !== found.message) {
        // The message core withheld (or jest's wording): Node's own, about the connector's code.
        root = Object.assign(new SyntaxError(printed.message), { stack: found.stack });
        causes[causes.length - 1] = `SyntaxError: ${printed.message}`;
      }
    }
    if (!syntax && location === undefined && (found as { code?: unknown }).code === undefined) {
      location = firstFileFrame(found.stack);
    }
  }
  const first = causes[0] ?? describeError(error);
  const cause = chain.length > 1 ? ` Cause: ${causes.at(-1) ?? ''}` : '';
  return {
    message: `${first}${cause}${location === undefined ? '' : ` at ${location}`}`,
    causes,
    location,
    hint: hintFor(root),
  };
}
