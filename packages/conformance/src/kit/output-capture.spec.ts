import { OutputCapture } from './output-capture.js';

const SECRET = 'kit-secret-value-0123456789';

describe('OutputCapture', () => {
  const originalLog = console.log;
  const originalWrite = process.stderr.write;
  let printed: string[];

  beforeEach(() => {
    printed = [];
    console.log = (...args: unknown[]) => void printed.push(`console: ${args.map(String).join(' ')}`);
    process.stderr.write = ((chunk: unknown) => {
      printed.push(`stderr: ${String(chunk)}`);
      return true;
    }) as typeof process.stderr.write;
  });

  afterEach(() => {
    console.log = originalLog;
    process.stderr.write = originalWrite;
  });

  const capture = (forward?: boolean) => {
    let seq = 0;
    return new OutputCapture({
      during: () => 'getAccessToken(conformance-1)',
      seq: () => (seq += 1),
      redact: (text) => text.split(SECRET).join('[REDACTED]'),
      forward,
    });
  };

  it('keeps every console and stderr write with the call in flight, and passes it on redacted', () => {
    const output = capture();
    output.start();
    console.log('token %s', SECRET);
    process.stderr.write(Buffer.from(`raw ${SECRET}\n`));
    output.stop();
    console.log('after');
    expect(output.entries).toEqual([
      { channel: 'console.log', text: `token ${SECRET}`, during: 'getAccessToken(conformance-1)', seq: 1 },
      { channel: 'process.stderr', text: `raw ${SECRET}\n`, during: 'getAccessToken(conformance-1)', seq: 2 },
    ]);
    expect(printed).toEqual(['console: token [REDACTED]', 'stderr: raw [REDACTED]\n', 'console: after']);
  });

  it('holds the output back when told to, and restores everything it patched', () => {
    const output = capture(false);
    const patchedLog = console.log;
    output.start();
    expect(console.log).not.toBe(patchedLog);
    console.log(SECRET);
    process.stderr.write(SECRET);
    output.stop();
    output.stop();
    expect(console.log).toBe(patchedLog);
    expect(output.entries.map((e) => e.channel)).toEqual(['console.log', 'process.stderr']);
    expect(printed).toEqual([]);
  });
});
