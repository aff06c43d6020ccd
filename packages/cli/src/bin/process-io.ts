import { createInterface, type Interface } from 'node:readline';
import type { Io } from '../io.js';

/** The {@link Io} of the real process, and `close()` to release standard input afterwards. */
export function createProcessIo(signal: AbortSignal): { io: Io; close(): void } {
  let reader: Interface | undefined;
  let lines: AsyncIterator<string> | undefined;
  const io: Io = {
    stdout: (value) => void process.stdout.write(value),
    stderr: (value) => void process.stderr.write(value),
    async readLine(lineSignal) {
      reader ??= createInterface({ input: process.stdin, terminal: false });
      lines ??= reader[Symbol.asyncIterator]();
      const next = lines.next();
      const cancel = lineSignal ?? signal;
      const aborted = new Promise<never>((_, reject) => {
        if (cancel.aborted) reject(cancel.reason as Error);
        cancel.addEventListener('abort', () => reject(cancel.reason as Error), { once: true });
      });
      const result = await Promise.race([next, aborted]);
      return result.done === true ? undefined : result.value;
    },
    env: process.env,
    cwd: process.cwd(),
    signal,
  };
  return { io, close: () => reader?.close() };
}
