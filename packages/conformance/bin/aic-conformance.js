#!/usr/bin/env node
// Launcher of the `aic-conformance` command. It lives outside `dist/` so that package managers can
// link the command on install, before the first build; the CLI itself is `dist/bin/aic-conformance.js`.
try {
  await import('../dist/bin/aic-conformance.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('aic-conformance.js')) {
    process.stderr.write(
      'aic-conformance: el kit no está compilado; ejecute `pnpm exec tsc -b` primero.\n' +
        'aic-conformance: the kit is not built; run `pnpm exec tsc -b` first.\n',
    );
    process.exit(2);
  }
  throw error;
}
