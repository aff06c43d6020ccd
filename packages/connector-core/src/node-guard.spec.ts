import { readFileSync } from 'node:fs';
import { ErrorCode } from './errors/codes.js';
import {
  MINIMUM_NODE_VERSION,
  UnsupportedNodeError,
  assertSupportedNode,
  exitIfUnsupportedNode,
  type GuardedProcess,
  isNodeAtLeast,
  unsupportedNodeMessage,
} from './node-guard.js';

const LINE_20 =
  'aic: se necesita Node.js ≥ 22.19.0 (este es 20.20.2) / needs Node.js ≥ 22.19.0 (this is 20.20.2)';

describe('isNodeAtLeast', () => {
  it.each([
    ['22.19.0', '22.19.0', true],
    ['22.19.0', '22.19.1', true],
    ['22.19.0', '22.20.0', true],
    ['22.19.0', '24.0.0', true],
    ['22.19.0', 'v24.21.0', true],
    ['22.19.0', '22.18.9', false],
    ['22.19.0', '22.9.0', false],
    ['22.19.0', '20.20.2', false],
    ['22.19.0', '9.99.99', false],
    ['22.20.0', '22.19.5', false],
    ['22.20.0', '22.20.0-nightly20250101', true],
  ])('needs %s, runs %s → %s', (required, current, expected) => {
    expect(isNodeAtLeast(required, current)).toBe(expected);
  });

  it('accepts the Node running these tests', () => {
    expect(isNodeAtLeast(MINIMUM_NODE_VERSION)).toBe(true);
  });
});

describe('assertSupportedNode', () => {
  it('throws ERR_UNSUPPORTED_NODE whose message is the one es/en line', () => {
    let thrown: unknown;
    try {
      assertSupportedNode('aic', '22.19.0', '20.20.2');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(UnsupportedNodeError);
    expect(thrown).toMatchObject({
      name: 'UnsupportedNodeError',
      code: ErrorCode.UnsupportedNode,
      message: LINE_20,
      who: 'aic',
      required: '22.19.0',
      current: '20.20.2',
    });
    expect((thrown as Error).message).not.toContain('\n');
    expect(ErrorCode.UnsupportedNode).toBe('ERR_UNSUPPORTED_NODE');
  });

  it('passes on the minimum itself and above, with core’s minimum by default', () => {
    expect(() => assertSupportedNode('x', '22.19.0', '22.19.0')).not.toThrow();
    expect(() => assertSupportedNode('x', undefined, '22.18.0')).toThrow(
      unsupportedNodeMessage('x', '22.19.0', '22.18.0'),
    );
    expect(() => assertSupportedNode('x')).not.toThrow();
  });

  it('core’s minimum is its engines.node floor', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe(`>=${MINIMUM_NODE_VERSION}`);
  });
});

describe('exitIfUnsupportedNode', () => {
  const fakeProcess = (node: string) => {
    const calls = { stderr: [] as string[], exit: [] as number[] };
    const host: GuardedProcess = {
      versions: { node },
      stderr: { write: (text: string) => calls.stderr.push(text) },
      exit: (code: number) => void calls.exit.push(code),
    };
    return { host, calls };
  };

  it('writes the one line to stderr and exits 1 on an old Node', () => {
    const { host, calls } = fakeProcess('20.20.2');
    exitIfUnsupportedNode('aic', '22.19.0', host);
    expect(calls).toEqual({ stderr: [`${LINE_20}\n`], exit: [1] });
  });

  it('does nothing on a supported Node, with core’s minimum by default', () => {
    const { host, calls } = fakeProcess('22.19.0');
    exitIfUnsupportedNode('aic', '22.19.0', host);
    exitIfUnsupportedNode('aic', undefined, host);
    expect(calls).toEqual({ stderr: [], exit: [] });
    const old = fakeProcess('22.18.1');
    exitIfUnsupportedNode('aic', undefined, old.host);
    expect(old.calls.exit).toEqual([1]);
  });
});
