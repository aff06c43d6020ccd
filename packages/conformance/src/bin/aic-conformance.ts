#!/usr/bin/env node
// First, before undici is evaluated: one es/en line and exit 1 on an unsupported Node.js.
import './require-node.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { main } from '../cli/main.js';

const code = await main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  writeFile: async (path, content) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content, 'utf8');
  },
});
process.exitCode = code;
