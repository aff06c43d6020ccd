#!/usr/bin/env node
// Launcher of the `aic` command. It lives outside `dist/` so that package managers can link the
// command on install, before the first build; the CLI itself is `dist/bin/aic.js`.
try {
  await import('../dist/bin/aic.js');
} catch (error) {
  if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes('aic.js')) {
    process.stderr.write(
      'aic: la CLI no está compilada; ejecute `pnpm exec tsc -b` primero.\n' +
        'aic: the CLI is not built; run `pnpm exec tsc -b` first.\n',
    );
    process.exit(2);
  }
  throw error;
}
