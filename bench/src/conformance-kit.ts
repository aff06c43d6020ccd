import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BenchModule } from './module.js';
import { fmt } from './stats.js';

/** Wall time of `aic-conformance` over the whole catalogue × the workspace's connectors (full size only). */
export const conformanceKit: BenchModule = {
  id: 'conformance-kit',
  async run({ size, log }) {
    const title = 'Conformance kit';
    const bin = fileURLToPath(
      new URL('../../packages/conformance/dist/bin/aic-conformance.js', import.meta.url),
    );
    if (size === 'smoke' || !existsSync(bin)) {
      const why = size === 'smoke' ? 'not run at smoke size' : 'the conformance CLI is not built';
      return { data: { skipped: why }, sections: [], targets: [], facts: [] };
    }
    log('conformance kit wall time');
    const started = performance.now();
    const run = spawnSync(process.execPath, [bin], {
      stdio: 'ignore',
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });
    const wallMs = performance.now() - started;
    return {
      data: { wallMs, exitCode: run.status },
      sections: [
        {
          title,
          about:
            '`aic-conformance` over every scenario × the workspace connectors, in its own process, start-up included.',
          columns: ['figure', 'value'],
          rows: [['wall time (ms)', `${fmt(wallMs)} (exit ${String(run.status)})`]],
        },
      ],
      targets: [],
      facts: [],
    };
  },
};
